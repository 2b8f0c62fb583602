/*
 * srs: spaced review (/review and GET /api/v1/review/due,
 * POST /api/v1/review/{id}).  A learner's review cards are the questions
 * they have answered and the flashcards of the lessons they completed,
 * each scheduled by FSRS-6 (src/learn/fsrs.c) at the learner's desired
 * retention (learner_goals.retention, default 0.9), with a daily limit.
 *
 * Design decisions.  A review is keyed by (card, the card's review count
 * the page was drawn for): the page carries "seen" and the log row's key
 * is "seen:<reps>", so a doubled or retried submission finds its own row
 * and counts once, and a stale page (the card was reviewed since) is told
 * so instead of reviewing twice.  A due day is spread over the fuzz range
 * FSRS allows towards the least-loaded day (learn_srs_spread), so a day
 * where many cards ripen together does not explode.  Questions are rated
 * from correctness and time (srs_infer_rating); flashcards by the
 * learner's Again / Hard / Good / Easy.  Everything works without
 * JavaScript: the flashcard's back is a <details> element.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/qbank.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/fsrs.h"
#include "learn/srs_load.h"
#include "pages/adaptive.h"
#include "pages/attempt.h"
#include "pages/pages.h"

#define RETENTION_DEFAULT	0.9
#define DAILY_LIMIT_DEFAULT	50
#define FORECAST_DAYS		14
#define MAX_MS			3600000

const char *const page_srs_ratings[] = {
	"again", "hard", "good", "easy", NULL
};

static const char *const rating_label[5] = {
	"", "Again", "Hard", "Good", "Easy"
};

struct card {
	int64_t			 id, qid, fid, vid;
	struct learn_fsrs_card	 c;
	const char		*front, *back, *lesson;
	const char		*kind, *title, *stem, *explanation;
	int			 qdifficulty, item_ms;
};

struct settings {
	double		 retention;
	int		 daily_limit;
};

static const char *
str(struct req *r, int row, int col)
{
	const char *s = db_str(r->db, row, col);

	return arena_strdup(r->a, s != NULL ? s : "");
}

/* Row 0 of srs_next_due / srs_card_get into *k. */
static void
card_read(struct req *r, struct card *k)
{
	memset(k, 0, sizeof(*k));
	k->id = db_i64(r->db, 0, 0);
	k->qid = db_i64(r->db, 0, 1);
	k->fid = db_i64(r->db, 0, 2);
	k->c.state = (int)db_i64(r->db, 0, 3);
	k->c.stability = db_dbl(r->db, 0, 4);
	k->c.difficulty = db_dbl(r->db, 0, 5);
	k->c.step = (int)db_i64(r->db, 0, 6);
	k->c.reps = (int)db_i64(r->db, 0, 7);
	k->c.lapses = (int)db_i64(r->db, 0, 8);
	k->c.elapsed_days = db_i64(r->db, 0, 9);
	k->c.scheduled_days = db_i64(r->db, 0, 10);
	k->c.last_review = db_i64(r->db, 0, 11);
	k->c.due = db_i64(r->db, 0, 12);
	k->front = str(r, 0, 13);
	k->back = str(r, 0, 14);
	k->lesson = str(r, 0, 15);
	k->kind = str(r, 0, 16);
	k->vid = db_i64(r->db, 0, 17);
	k->title = str(r, 0, 18);
	k->stem = str(r, 0, 19);
	k->explanation = str(r, 0, 20);
	k->qdifficulty = (int)db_i64(r->db, 0, 21);
	k->item_ms = (int)db_i64(r->db, 0, 22);
}

static int
settings_load(struct req *r, struct settings *s)
{
	const char *p[1];
	int n;

	s->retention = RETENTION_DEFAULT;
	s->daily_limit = DAILY_LIMIT_DEFAULT;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SRS_SETTINGS, 1, p)) < 0)
		return n;
	if (n > 0) {
		s->retention = db_dbl(r->db, 0, 0);
		s->daily_limit = (int)db_i64(r->db, 0, 1);
	}
	return 0;
}

int
srs_infer_rating(int correct, int ms, int item_ms)
{
	int slow = item_ms > 0 ? 2 * item_ms : 60000;
	int fast = item_ms > 0 ? item_ms / 2 : 8000;

	if (!correct)
		return LEARN_FSRS_AGAIN;
	if (ms > slow)
		return LEARN_FSRS_HARD;
	if (ms >= 0 && ms < fast)
		return LEARN_FSRS_EASY;
	return LEARN_FSRS_GOOD;
}

/*
 * Moves a review card's due day within the range FSRS's fuzz allows
 * towards the day with the fewest cards already due (learn_srs_balance).
 * Learning steps (due the same day) are left alone.
 */
static int
spread(struct req *r, const struct learn_fsrs_params *fp,
    struct learn_fsrs_card *c, int64_t now)
{
	int64_t lo, hi, day, ideal = c->scheduled_days;
	const char *p[3];
	long *load;
	int n, i;

	if (c->state != LEARN_FSRS_REVIEW || ideal < 2)
		return 0;
	if (learn_srs_range(ideal, fp->max_interval, LEARN_SRS_FUZZ, &lo,
	    &hi) == -1 || hi <= lo)
		return 0;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, now + (lo - 1) * 86400);
	p[2] = db_i64s(r->a, now + (hi + 1) * 86400);
	if ((n = db_exec(r->db, STMT_SRS_DUE_PER_DAY, 3, p)) < 0)
		return n;
	load = arena_calloc(r->a, (size_t)hi + 1, sizeof(*load));
	for (i = 0; i < n; i++) {
		day = db_i64(r->db, i, 0);
		if (day >= lo && day <= hi)
			load[day] = (long)db_i64(r->db, i, 1);
	}
	day = learn_srs_balance(ideal, fp->max_interval, LEARN_SRS_FUZZ, load,
	    (size_t)hi + 1);
	if (day < 1)
		return 0;
	c->due += (day - ideal) * 86400;
	c->scheduled_days = day;
	return 0;
}

struct outcome {
	int		 rating;
	int		 inferred;
	int		 correct;	/* -1: a flashcard */
	int		 duplicate;
	int64_t		 due;
	int64_t		 interval_days;
	double		 r;		/* recall probability before (NaN: new) */
};

/*
 * Reviews locked card k with rating at now, keyed idem; inside the
 * caller's transaction.  0 (out->duplicate set when idem was logged
 * already: nothing written), or a db_err.  A card with id 0 is the
 * learner's first for question k->qid, made here already reviewed;
 * 1 when a concurrent transaction made it first (nothing written).
 */
static int
review(struct req *r, struct card *k, const struct settings *s, int rating,
    int inferred, int correct, int ms, const char *idem,
    struct outcome *out)
{
	struct learn_fsrs_params fp;
	struct learn_fsrs_info info;
	struct learn_fsrs_card c = k->c;
	const char *p[20];
	int n;
	int64_t now = r->now;

	memset(out, 0, sizeof(*out));
	out->rating = rating;
	out->inferred = inferred;
	out->correct = correct;
	learn_fsrs_params_default(&fp);
	fp.retention = s->retention;
	if (learn_fsrs_params_prepare(&fp) == -1)
		return DB_HARD;
	if (c.state != LEARN_FSRS_NEW && now < c.last_review)
		now = c.last_review;
	if (learn_fsrs_review(&fp, &c, now, rating, &info) == -1)
		return DB_HARD;
	if ((n = spread(r, &fp, &c, now)) < 0)
		return n;
	p[0] = db_i64s(r->a, k->id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = db_i64s(r->a, rating);
	p[3] = inferred ? "true" : "false";
	p[4] = correct < 0 ? NULL : correct ? "true" : "false";
	p[5] = ms >= 0 ? db_i64s(r->a, ms) : NULL;
	p[6] = db_i64s(r->a, info.state_before);
	p[7] = isnan(info.r) ? NULL : arena_printf(r->a, "%.8f", info.r);
	p[8] = db_i64s(r->a, c.scheduled_days);
	p[9] = idem;
	p[10] = strncmp(idem, "seen:", 5) == 0 ? "review" : "answer";
	p[11] = db_i64s(r->a, c.state);
	p[12] = arena_printf(r->a, "%.17g", c.stability);
	p[13] = arena_printf(r->a, "%.17g", c.difficulty);
	p[14] = db_i64s(r->a, c.step);
	p[15] = db_i64s(r->a, c.reps);
	p[16] = db_i64s(r->a, c.lapses);
	p[17] = db_i64s(r->a, c.elapsed_days);
	p[18] = db_i64s(r->a, c.last_review);
	p[19] = db_i64s(r->a, c.due);
	if (k->id == 0) {
		p[0] = db_i64s(r->a, k->qid);
		if ((n = db_exec(r->db, STMT_SRS_CARD_NEW_REVIEW, 20, p)) < 0)
			return n;
		if (n == 0)
			return 1;
		k->id = db_i64(r->db, 0, 0);
	} else {
		if ((n = db_exec(r->db, STMT_SRS_REVIEW_PUT, 20, p)) < 0)
			return n;
		if (n == 0) {
			out->duplicate = 1;
			return 0;
		}
	}
	k->c = c;
	out->due = c.due;
	out->interval_days = c.scheduled_days;
	out->r = info.r;
	return 0;
}

int
srs_review_answer(struct req *r, int64_t qid, int correct, int ms,
    int item_ms, const char *idem)
{
	struct settings s;
	struct card k;
	struct outcome out;
	const char *p[2];
	int n, tries, rating = srs_infer_rating(correct, ms, item_ms);

	if ((n = settings_load(r, &s)) < 0)
		return n;
	/* A new card is made by its first review; if a concurrent answer
	 * made it meanwhile, the second try finds it, locked. */
	for (tries = 0; tries < 2; tries++) {
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = db_i64s(r->a, qid);
		if ((n = db_exec(r->db, STMT_SRS_CARD_FOR_QUESTION, 2, p)) < 0)
			return n;
		if (n == 0) {
			memset(&k, 0, sizeof(k));
			k.qid = qid;
			k.c.state = LEARN_FSRS_NEW;
			k.c.due = r->now;
		} else {
			p[0] = db_i64s(r->a, db_i64(r->db, 0, 0));
			p[1] = db_i64s(r->a, r->user.id);
			if ((n = db_exec(r->db, STMT_SRS_CARD_GET, 2, p)) <= 0)
				return n < 0 ? n : DB_HARD;
			card_read(r, &k);
		}
		if ((n = review(r, &k, &s, rating, 1, correct, ms, idem,
		    &out)) != 1)
			return n;
	}
	return DB_HARD;
}

int
srs_cards_for_lesson(struct req *r, int64_t lesson)
{
	const char *p[2];
	int n;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_SRS_CARDS_FOR_LESSON, 2, p)) < 0)
		return n;
	return 0;
}

/* ---- the /review page ------------------------------------------------- */

struct state {
	struct settings	 s;
	long		 due, today, total;
	long		 forecast[FORECAST_DAYS + 1];
	int		 has_card;
	struct card	 k;
};

static int
state_load(struct req *r, struct state *st)
{
	const char *p[2];
	int n, i, d;

	memset(st, 0, sizeof(*st));
	if ((n = settings_load(r, &st->s)) < 0)
		return n;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SRS_COUNTS, 1, p)) < 0)
		return n;
	st->due = (long)db_i64(r->db, 0, 0);
	st->today = (long)db_i64(r->db, 0, 1);
	st->total = (long)db_i64(r->db, 0, 2);
	p[1] = db_i64s(r->a, FORECAST_DAYS);
	if ((n = db_exec(r->db, STMT_SRS_FORECAST, 2, p)) < 0)
		return n;
	for (i = 0; i < n; i++) {
		d = (int)db_i64(r->db, i, 0);
		if (d >= 0 && d <= FORECAST_DAYS)
			st->forecast[d] = (long)db_i64(r->db, i, 1);
	}
	if ((n = db_exec(r->db, STMT_SRS_NEXT_DUE, 1, p)) < 0)
		return n;
	if (n > 0) {
		st->has_card = 1;
		card_read(r, &st->k);
	}
	return 0;
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

/* The forecast as a small table (the text alternative is the table). */
static void
forecast_html(struct buf *b, const struct state *st, int64_t now)
{
	char day[16];
	time_t t;
	struct tm tm;
	int d;

	buf_puts(b, "<div class=\"table-wrap\" role=\"region\" "
	    "aria-label=\"Review forecast\" tabindex=\"0\">\n<table "
	    "class=\"forecast\">\n<caption>Cards due in the next 14 days"
	    "</caption>\n<thead><tr><th scope=\"col\">Day</th>"
	    "<th scope=\"col\">Cards due</th></tr></thead>\n<tbody>\n");
	for (d = 0; d <= FORECAST_DAYS; d++) {
		t = (time_t)(now + (int64_t)d * 86400);
		gmtime_r(&t, &tm);
		strftime(day, sizeof(day), "%a %d %b", &tm);
		buf_printf(b, "<tr><th scope=\"row\">%s%s</th><td>%ld</td>"
		    "</tr>\n", d == 0 ? "Today, " : "", day,
		    st->forecast[d]);
	}
	buf_puts(b, "</tbody>\n</table>\n</div>\n");
}

static void
card_html(struct req *r, struct buf *b, const struct card *k)
{
	const char *action = arena_printf(r->a, "/review/%lld?seen=%d&shown="
	    "%lld", (long long)k->id, k->c.reps, (long long)r->now * 1000);
	int g;

	if (k->qid != 0) {
		struct attempt_item it;

		memset(&it, 0, sizeof(it));
		it.seq = 1;
		it.qid = k->qid;
		it.vid = k->vid;
		it.kind = k->kind;
		it.title = k->title;
		it.stem = k->stem;
		it.explanation = k->explanation;
		it.skills = "";
		it.answer = "";
		it.optids = "";
		it.difficulty = k->qdifficulty;
		attempt_item_html(r, b, &it, action, "Check my answer", 0);
		return;
	}
	buf_puts(b, "<section class=\"question flashcard\" "
	    "aria-labelledby=\"card-h\">\n<h2 id=\"card-h\">Flashcard");
	if (k->lesson[0] != '\0') {
		buf_puts(b, " <span class=\"muted\">from ");
		html(b, k->lesson);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</h2>\n<p class=\"front\">");
	html(b, k->front);
	buf_puts(b, "</p>\n<details>\n<summary>Show the answer</summary>\n"
	    "<p class=\"back\">");
	html(b, k->back);
	buf_puts(b, "</p>\n<form class=\"form ratings\" method=\"post\" "
	    "action=\"");
	html(b, action);
	buf_puts(b, "\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html(b, r->csrf);
	buf_puts(b, "\">\n<p>How well did you remember it?</p>\n<p>");
	for (g = 1; g <= 4; g++)
		buf_printf(b, "<button type=\"submit\" name=\"rating\" "
		    "value=\"%s\"%s>%s</button> ", page_srs_ratings[g - 1],
		    g == 1 ? " class=\"button-secondary\"" : "",
		    rating_label[g]);
	buf_puts(b, "</p>\n</form>\n</details>\n</section>\n");
}

static int
review_page(struct req *r, const char *notice)
{
	struct view *v = view_new(r->a);
	struct state st;
	struct buf b;
	int n, st_code, limit_hit;

	if ((n = state_load(r, &st)) < 0)
		return page_db_status(n);
	buf_init(&b);
	limit_hit = st.today >= st.s.daily_limit &&
	    http_param(r, "more") == NULL;
	if (notice != NULL)
		r->flash = notice;
	view_set_int(v, "due", st.due);
	view_set_int(v, "today", st.today);
	view_set_int(v, "limit", st.s.daily_limit);
	view_set_int(v, "total", st.total);
	view_setf(v, "retention", "%.0f", 100 * st.s.retention);
	view_set_bool(v, "limit_hit", limit_hit && st.due > 0);
	if (st.has_card && !limit_hit)
		card_html(r, &b, &st.k);
	view_set_raw(v, "card", b.p != NULL ? b.p : "");
	buf_free(&b);
	buf_init(&b);
	forecast_html(&b, &st, r->now);
	view_set_raw(v, "forecast", b.p);
	buf_free(&b);
	st_code = http_page_nav(r, TMPL_SRS, v, "Review", TMPL_NAV_REVIEW);
	return st_code;
}

int
page_srs(struct req *r)
{
	return review_page(r, NULL);
}

/*
 * Applies the review the request carries to card id: a rating (flashcards,
 * or an explicit one), or an answer to the card's question (rated from
 * correctness and time).  Returns an HTTP status; *out and *msg say what
 * happened.
 */
static int
do_review(struct req *r, int64_t id, struct outcome *out, const char **msg)
{
	const struct http_form *f = &r->form;
	struct settings s;
	struct card k;
	const char *p[2], *idem, *answer, *fb, *why = NULL;
	struct attempt_opt o[QB_MAXOPTS];
	int64_t ids[QB_MAXOPTS];
	int n, no, nids, correct = -1, rating, inferred = 0, ms = -1, seen;

	*msg = NULL;
	memset(out, 0, sizeof(*out));
	if (db_begin(r->db) == -1)
		return 503;
	if ((n = settings_load(r, &s)) < 0)
		goto dberr;
	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_SRS_CARD_LOCK, 2, p)) < 0 ||
	    (n > 0 && (n = db_exec(r->db, STMT_SRS_CARD_GET, 2, p)) < 0))
		goto dberr;
	if (n == 0) {
		db_rollback(r->db);
		*msg = "No such review card.";
		return 404;
	}
	card_read(r, &k);
	seen = f->present[F_SRS_SEEN] ? (int)f->i64[F_SRS_SEEN] : k.c.reps;
	idem = arena_printf(r->a, "seen:%d", seen);
	if (seen != k.c.reps) {
		/* Drawn before another review of this card: if that was
		 * this very submission, report it; else refuse. */
		p[1] = idem;
		if ((n = db_exec(r->db, STMT_SRS_LOG_GET, 2, p)) < 0)
			goto dberr;
		db_rollback(r->db);
		if (n == 0) {
			*msg = "This card was reviewed since this page was "
			    "shown; here is what is due now.";
			return 409;
		}
		out->duplicate = 1;
		out->rating = (int)db_i64(r->db, 0, 0);
		out->correct = db_isnull(r->db, 0, 1) ? -1 :
		    db_bool(r->db, 0, 1);
		out->due = k.c.due;
		out->interval_days = k.c.scheduled_days;
		*msg = "This review was already recorded.";
		return 200;
	}
	if (f->present[F_SRS_MS])
		ms = (int)f->i64[F_SRS_MS];
	else if (f->present[F_SRS_SHOWN]) {
		long long d = (long long)r->now * 1000 - f->i64[F_SRS_SHOWN];

		ms = d < 0 ? 0 : d > MAX_MS ? MAX_MS : (int)d;
	}
	if (k.qid != 0 && !f->present[F_SRS_RATING]) {
		if ((no = attempt_load_opts(r, k.vid, o)) < 0) {
			n = no;
			goto dberr;
		}
		if (attempt_score(r, k.kind, o, no, &correct, &answer, ids,
		    &nids, &fb, &why) != 0) {
			db_rollback(r->db);
			*msg = why;
			return 400;
		}
		rating = srs_infer_rating(correct, ms, k.item_ms);
		inferred = 1;
	} else if (f->present[F_SRS_RATING]) {
		rating = (int)f->i64[F_SRS_RATING] + 1;
	} else {
		db_rollback(r->db);
		*msg = "Choose how well you remembered: again, hard, good "
		    "or easy.";
		return 400;
	}
	if ((n = review(r, &k, &s, rating, inferred, correct, ms, idem,
	    out)) < 0)
		goto dberr;
	if (!out->duplicate) {
		struct activity a = { 0 };

		a.reviews = 1;
		if ((n = activity_record(r, &a)) < 0)
			goto dberr;
	}
	if ((n = db_commit(r->db)) < 0)
		goto dberr;
	return 200;
dberr:
	db_rollback(r->db);
	*msg = "Try again shortly.";
	return page_db_status(n);
}

int
page_srs_review(struct req *r)
{
	struct outcome out;
	const char *msg;
	int st;

	if (r->form.nerr > 0)
		return review_page(r, http_form_error(&r->form));
	st = do_review(r, r->pathid[0], &out, &msg);
	if (st >= 500)
		return http_error(r, st, msg);
	if (st != 200)
		return review_page(r, msg);
	if (msg == NULL) {
		if (out.correct >= 0)
			msg = arena_printf(r->a, "%s Rated %s: next review in "
			    "%lld day%s.", out.correct ? "Right." :
			    "Not quite.", rating_label[out.rating],
			    (long long)out.interval_days,
			    out.interval_days == 1 ? "" : "s");
		else
			msg = arena_printf(r->a, "Rated %s: next review in "
			    "%lld day%s.", rating_label[out.rating],
			    (long long)out.interval_days,
			    out.interval_days == 1 ? "" : "s");
	}
	return review_page(r, msg);
}

int
page_api_srs_due(struct req *r)
{
	struct state st;
	int n, d;

	if ((n = state_load(r, &st)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "due", st.due);
	json_i64(r, "reviewed_today", st.today);
	json_i64(r, "daily_limit", st.s.daily_limit);
	json_dbl(r, "desired_retention", st.s.retention);
	json_i64(r, "cards", st.total);
	if (st.has_card && st.today < st.s.daily_limit) {
		json_obj_begin(r, "next");
		json_i64(r, "id", st.k.id);
		json_str(r, "kind", st.k.qid != 0 ? "question" :
		    "flashcard");
		json_i64(r, "seen", st.k.c.reps);
		json_i64(r, "due_at", st.k.c.due);
		if (st.k.qid != 0) {
			struct attempt_item it;

			memset(&it, 0, sizeof(it));
			it.qid = st.k.qid;
			it.vid = st.k.vid;
			it.kind = st.k.kind;
			json_i64(r, "question_id", st.k.qid);
			json_str(r, "question_kind", st.k.kind);
			json_str(r, "title", st.k.title);
			json_str(r, "stem", st.k.stem);
			attempt_options_json(r, &it, 0);
		} else {
			json_str(r, "front", st.k.front);
			json_str(r, "back", st.k.back);
		}
		json_obj_end(r);
	} else
		json_raw(r, "next", "null");
	json_arr_begin(r, "forecast");
	for (d = 0; d <= FORECAST_DAYS; d++) {
		json_obj_begin(r, NULL);
		json_i64(r, "day", d);
		json_i64(r, "count", st.forecast[d]);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_srs_review(struct req *r)
{
	struct outcome out;
	const char *msg;
	int st;

	if (r->form.nerr > 0)
		return http_error(r, 400, http_form_error(&r->form));
	st = do_review(r, r->pathid[0], &out, &msg);
	if (st != 200)
		return http_error(r, st, msg);
	json_begin(r);
	json_i64(r, "card_id", r->pathid[0]);
	json_str(r, "rating", page_srs_ratings[out.rating - 1]);
	json_bool(r, "inferred", out.inferred);
	if (out.correct >= 0)
		json_bool(r, "correct", out.correct);
	json_bool(r, "duplicate", out.duplicate);
	json_i64(r, "due_at", out.due);
	json_i64(r, "interval_days", out.interval_days);
	json_end(r);
	return http_json(r, 200);
}
