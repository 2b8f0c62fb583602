/*
 * feed: the micro-learning feed (/feed, GET /api/v1/feed) and its in-place
 * true/false quizzes (POST /feed/questions/{id}, POST
 * /api/v1/feed/questions/{id}).
 *
 * A card is a short lesson (at most 15 minutes, or a video) of a course
 * the learner follows, ranked by src/learn/feed.c (due reviews, ready to
 * learn, level, popularity) with the sentence saying why; it carries up to
 * three true/false questions of the course author's bank that share a
 * skill with it and are new or due for review.  Each question is its own
 * small form with two buttons (True, False) and the server time the card
 * was shown (ms), so it works without JavaScript and no right answer
 * reaches the page before the answer.
 *
 * Design decisions.  An answer is keyed by (learner, question, shown) in
 * feed_answers and inserted first: only when that insert wrote a row do
 * the review card (srs_review_answer, keyed "feed:<shown>"), the learner
 * model, the rollups (activity_record) and achievements change, all in the
 * same transaction, so a double submit counts once and a failure leaves
 * nothing.  A question answered from another page since this one was
 * shown is refused (409), as /review does.  "Shown to this learner" is
 * what the feed could show them: a true/false question sharing a skill
 * with a feed lesson of a course they are enrolled in, by its author;
 * anything else is 404.  Achievements (first course completed, a 7-day
 * streak, each skill mastered) are decided by learn_an_achievements and
 * awarded once each (ON CONFLICT DO NOTHING) on every feed view and
 * answer.  Days are UTC, like the dashboard's.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/markdown.h"
#include "base/qbank.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/analytics.h"
#include "learn/feed.h"
#include "pages/adaptive.h"
#include "pages/attempt.h"
#include "pages/pages.h"

#define FEED_CARDS	8		/* cards on a page */
#define FEED_QUESTIONS	3		/* questions on a card */
#define MAX_MS		3600000		/* response time cap */
#define SHOWN_PAST_MS	(86400LL * 1000)	/* a page older is stale */
#define SHOWN_SKEW_MS	60000LL		/* clock skew allowed ahead */

const struct http_field page_feed_answer_fields[F_FEED__MAX] = {
	[F_FEED_ANSWER] = { "answer", HTTP_FT_STRING, 0, 24, 0, 0, NULL, 1,
	    "Answer" },
	[F_FEED_SHOWN] = { "shown", HTTP_FT_INT, 0, 0, 0, 0, NULL, 1,
	    "Shown" },
};

struct fq {
	int64_t		 id, vid, yes, no;
	const char	*title, *stem;
};

struct fcard {
	struct learn_feed_item	 it;
	int64_t			 course;
	const char		*title, *kind, *course_title, *level;
	const char		*reason;
	int			 minutes;
	struct fq		 q[FEED_QUESTIONS];
	int			 nq;
};

struct ach {
	const char	*code, *title;
	int64_t		 at;
};

struct feed {
	struct fcard	*cards;
	size_t		 ncards;
	int		 level;		/* 1..3, 0 unknown */
	int		 streak, longest;
	struct ach	*ach;
	int		 nach;
	long long	 shown;		/* ms */
};

/* What an answer did. */
struct outcome {
	int64_t		 qid;
	int		 correct, duplicate, ms;
	int		 practice;	/* recorded, not counted (not due) */
	int		 truth;		/* the right answer: 1 true, 0 false */
	const char	*explanation, *feedback, *stem;
	int		 nnew;		/* achievements newly earned */
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
str(struct req *r, int row, int col)
{
	const char *s = db_str(r->db, row, col);

	return arena_strdup(r->a, s != NULL ? s : "");
}

static int
level_num(const char *l)
{
	if (strcmp(l, "beginner") == 0)
		return 1;
	if (strcmp(l, "intermediate") == 0)
		return 2;
	if (strcmp(l, "advanced") == 0)
		return 3;
	return 0;
}

/* ---- streaks and achievements ------------------------------------------ */

/* The learner's current and longest streaks (UTC days) from their study
 * sessions. */
static int
streaks(struct req *r, int *cur, int *longest)
{
	struct learn_an_event *ev;
	const char *p[1];
	int n, i;

	*cur = *longest = 0;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_DASHBOARD_SESSIONS, 1, p)) < 0)
		return n;
	ev = arena_calloc(r->a, (size_t)n + 1, sizeof(*ev));
	for (i = 0; i < n; i++) {
		ev[i].at = db_i64(r->db, i, 0);
		ev[i].secs = (int32_t)db_i64(r->db, i, 1);
	}
	if (learn_an_streaks(ev, (size_t)n, r->now, 0, cur, longest) == -1)
		return DB_HARD;
	return 0;
}

/*
 * Awards what learn_an_achievements says the learner has earned and the
 * achievements table does not hold yet; inside the caller's transaction.
 * Returns how many were new, or a db_err.
 */
static int
award(struct req *r, int longest)
{
	struct learn_an_params ap;
	struct learn_an_input in;
	struct learn_an_achievement out[LEARN_AN_ACH__MAX + LEARN_AN_MAXLIST];
	struct learn_an_mastery *ms;
	const char **names, *p[4], *code, *title;
	int64_t *done;
	size_t k, i;
	int n, j, nnew = 0;

	learn_an_params_default(&ap);
	memset(&in, 0, sizeof(in));
	in.now = r->now;
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_DASHBOARD_COURSES_DONE, 1, p)) < 0)
		return n;
	done = arena_calloc(r->a, (size_t)n + 1, sizeof(*done));
	for (j = 0; j < n; j++)
		done[j] = db_i64(r->db, j, 0);
	in.courses_done = done;
	in.ncourses_done = (size_t)n;
	p[1] = arena_printf(r->a, "%.17g", ap.mastery_from);
	if ((n = db_exec(r->db, STMT_FEED_MASTERY_NEW, 2, p)) < 0)
		return n;
	ms = arena_calloc(r->a, (size_t)n + 1, sizeof(*ms));
	names = arena_calloc(r->a, (size_t)n + 1, sizeof(*names));
	for (j = 0; j < n; j++) {
		ms[j].skill = db_i64(r->db, j, 0);
		names[j] = str(r, j, 1);
		ms[j].p_known = db_dbl(r->db, j, 2);
	}
	in.mastery = ms;
	in.nmastery = (size_t)n;
	k = learn_an_achievements(&ap, &in, longest, out,
	    sizeof(out) / sizeof(out[0]));
	if (k > sizeof(out) / sizeof(out[0]))
		k = sizeof(out) / sizeof(out[0]);
	for (i = 0; i < k; i++) {
		int64_t at = 0;

		switch (out[i].kind) {
		case LEARN_AN_FIRST_COURSE:
			code = "first_course";
			title = "First course completed";
			at = out[i].at;
			break;
		case LEARN_AN_STREAK:
			code = arena_printf(r->a, "streak_%d", ap.streak_badge);
			title = arena_printf(r->a, "%d-day streak",
			    ap.streak_badge);
			break;
		case LEARN_AN_MASTERY:
			code = arena_printf(r->a, "mastery:%lld",
			    (long long)out[i].skill);
			title = "Mastered a skill";
			for (j = 0; j < (int)in.nmastery; j++)
				if (ms[j].skill == out[i].skill)
					title = arena_printf(r->a,
					    "Mastered %s", names[j]);
			break;
		default:
			continue;
		}
		p[1] = code;
		p[2] = title;
		p[3] = db_i64s(r->a, at);
		if ((n = db_exec(r->db, STMT_FEED_ACHIEVEMENT_AWARD, 4, p)) < 0)
			return n;
		nnew += n;
	}
	return nnew;
}

static int
achievements_load(struct req *r, struct feed *f)
{
	const char *p[1];
	int n, i;

	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_FEED_ACHIEVEMENTS, 1, p)) < 0)
		return n;
	f->ach = arena_calloc(r->a, (size_t)n + 1, sizeof(*f->ach));
	for (i = 0; i < n; i++) {
		f->ach[i].code = str(r, i, 0);
		f->ach[i].title = str(r, i, 1);
		f->ach[i].at = db_i64(r->db, i, 2);
	}
	f->nach = n;
	return 0;
}

/* ---- the cards ---------------------------------------------------------- */

static int
cards_load(struct req *r, struct feed *f)
{
	struct learn_an_params ap;
	struct learn_feed_item *items;
	struct fcard *all;
	size_t order[FEED_CARDS], m, i;
	const char *p[3];
	char why[256];
	int n, j, k;

	learn_an_params_default(&ap);
	p[0] = db_i64s(r->a, r->user.id);
	if ((n = db_exec(r->db, STMT_FEED_LEARNER_LEVEL, 1, p)) < 0)
		return n;
	f->level = learn_feed_level(n > 0 ? db_dbl(r->db, 0, 0) : 0);
	p[1] = arena_printf(r->a, "%.17g", ap.mastery_from);
	if ((n = db_exec(r->db, STMT_FEED_CANDIDATES, 2, p)) < 0)
		return n;
	all = arena_calloc(r->a, (size_t)n + 1, sizeof(*all));
	items = arena_calloc(r->a, (size_t)n + 1, sizeof(*items));
	for (j = 0; j < n; j++) {
		struct fcard *c = &all[j];

		items[j].lesson = db_i64(r->db, j, 0);
		c->title = str(r, j, 1);
		c->kind = str(r, j, 2);
		c->minutes = (int)db_i64(r->db, j, 3);
		c->course = db_i64(r->db, j, 4);
		c->course_title = str(r, j, 5);
		c->level = str(r, j, 6);
		items[j].course_level = level_num(c->level);
		items[j].completed = db_bool(r->db, j, 7);
		items[j].prereqs_met = db_bool(r->db, j, 8);
		items[j].due = (int)db_i64(r->db, j, 9);
		items[j].has_target = !db_isnull(r->db, j, 10);
		items[j].gap = items[j].has_target ?
		    (int)db_i64(r->db, j, 10) : 0;
		items[j].completions = (long)db_i64(r->db, j, 11);
	}
	m = learn_feed_rank(items, (size_t)n, f->level, order, FEED_CARDS);
	f->cards = arena_calloc(r->a, m + 1, sizeof(*f->cards));
	for (i = 0; i < m; i++) {
		struct fcard *c = &f->cards[i];

		*c = all[order[i]];
		c->it = items[order[i]];
		c->reason = arena_strdup(r->a, learn_feed_reason(&c->it,
		    f->level, why, sizeof(why)));
		p[1] = db_i64s(r->a, c->it.lesson);
		p[2] = db_i64s(r->a, FEED_QUESTIONS);
		if ((n = db_exec(r->db, STMT_FEED_QUESTIONS, 3, p)) < 0)
			return n;
		for (k = 0; k < n && k < FEED_QUESTIONS; k++) {
			c->q[k].id = db_i64(r->db, k, 0);
			c->q[k].vid = db_i64(r->db, k, 1);
			c->q[k].title = str(r, k, 2);
			c->q[k].stem = str(r, k, 3);
			c->q[k].yes = db_i64(r->db, k, 5);
			c->q[k].no = db_i64(r->db, k, 6);
		}
		c->nq = k;
	}
	f->ncards = m;
	return 0;
}

/*
 * Everything the feed shows, awarding achievements first (in their own
 * transaction: a feed view may be the first to notice a completed course
 * or a mastered skill).
 */
static int
feed_load(struct req *r, struct feed *f)
{
	int n;

	memset(f, 0, sizeof(*f));
	f->shown = now_ms();
	if (db_begin(r->db) == -1)
		return DB_RETRY;
	if ((n = streaks(r, &f->streak, &f->longest)) < 0 ||
	    (n = award(r, f->longest)) < 0) {
		db_rollback(r->db);
		return n;
	}
	if ((n = db_commit(r->db)) < 0)
		return n;
	if ((n = achievements_load(r, f)) < 0)
		return n;
	return cards_load(r, f);
}

/* ---- answering ---------------------------------------------------------- */

/*
 * The answer in the form as an option of o[0..n): "true"/"yes",
 * "false"/"no" (any case), or an option id.  Index, or -1 with *why.
 */
static int
answer_parse(const char *s, const struct attempt_opt *o, int n,
    const char **why)
{
	const char *want = NULL;
	char *end;
	long long id;
	int i;

	if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0)
		want = "True";
	else if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0)
		want = "False";
	else if (isdigit((unsigned char)s[0])) {
		id = strtoll(s, &end, 10);
		if (*end == '\0' && id > 0) {
			for (i = 0; i < n; i++)
				if (o[i].id == id)
					return i;
			*why = "That is not one of this question's options.";
			return -1;
		}
	}
	if (want == NULL) {
		*why = "Answer true or false.";
		return -1;
	}
	for (i = 0; i < n; i++)
		if (strcmp(o[i].body, want) == 0)
			return i;
	*why = "This question has no such option.";
	return -1;
}

/* The right answer of a true/false question: 1 true, 0 false. */
static int
truth_of(const struct attempt_opt *o, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (o[i].correct)
			return strcmp(o[i].body, "True") == 0;
	return 0;
}

/*
 * Scores and records the answer in r->form to question qid for the
 * signed-in learner.  Returns an HTTP status (200 with *out, else *msg
 * says why; nothing written unless 200 and not out->duplicate).
 */
static int
do_answer(struct req *r, int64_t qid, struct outcome *out, const char **msg)
{
	const struct http_form *f = &r->form;
	struct attempt_opt o[QB_MAXOPTS];
	const char *p[7], *why = NULL;
	long long shown, now = now_ms(), d;
	int64_t vid;
	int n, no, i, difficulty, item_ms, ms;
	double b;

	memset(out, 0, sizeof(*out));
	out->qid = qid;
	out->feedback = out->explanation = out->stem = "";
	*msg = NULL;
	if (f->nerr > 0) {
		*msg = http_form_error(&r->form);
		return 400;
	}
	shown = f->i64[F_FEED_SHOWN];
	if (shown > now + SHOWN_SKEW_MS || shown < now - SHOWN_PAST_MS) {
		*msg = "This card was shown more than a day ago (or the time "
		    "it was shown is wrong): here is your feed now.";
		return 400;
	}
	if (db_begin(r->db) == -1) {
		*msg = "Try again shortly.";
		return 503;
	}
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, qid);
	if ((n = db_exec(r->db, STMT_FEED_QUESTION_GET, 2, p)) < 0)
		goto dberr;
	if (n == 0) {
		db_rollback(r->db);
		*msg = "That question is not in your feed.";
		return 404;
	}
	vid = db_i64(r->db, 0, 0);
	out->stem = str(r, 0, 2);
	out->explanation = str(r, 0, 3);
	difficulty = (int)db_i64(r->db, 0, 4);
	b = db_dbl(r->db, 0, 5);
	item_ms = (int)db_i64(r->db, 0, 6);
	if ((no = attempt_load_opts(r, vid, o)) < 0) {
		n = no;
		goto dberr;
	}
	out->truth = truth_of(o, no);
	if ((i = answer_parse(f->str[F_FEED_ANSWER], o, no, &why)) < 0) {
		db_rollback(r->db);
		*msg = why;
		return 400;
	}
	p[2] = db_i64s(r->a, shown);
	if ((n = db_exec(r->db, STMT_FEED_ANSWER_GET, 3, p)) < 0)
		goto dberr;
	if (n == 0) {
		if ((n = db_exec(r->db, STMT_FEED_ANSWER_SINCE, 3, p)) < 0)
			goto dberr;
		if (db_i64(r->db, 0, 0) > 0) {
			db_rollback(r->db);
			*msg = "You answered this question since this card was "
			    "shown; here is your feed now.";
			return 409;
		}
		d = now - shown;
		ms = d < 0 ? 0 : d > MAX_MS ? MAX_MS : (int)d;
		p[3] = db_i64s(r->a, vid);
		p[4] = db_i64s(r->a, o[i].id);
		p[5] = o[i].correct ? "true" : "false";
		p[6] = db_i64s(r->a, ms);
		if ((n = db_exec(r->db, STMT_FEED_ANSWER_INSERT, 7, p)) < 0)
			goto dberr;
		/* No row: an identical submission committed first (the
		 * insert waited for it); its answer stands. */
		out->duplicate = n == 0;
		if ((n = db_exec(r->db, STMT_FEED_ANSWER_GET, 3, p)) < 0)
			goto dberr;
		if (n == 0) {
			n = DB_HARD;
			goto dberr;
		}
	} else
		out->duplicate = 1;
	/* The stored answer (this one or the first of a double submit). */
	out->correct = db_bool(r->db, 0, 1);
	out->ms = (int)db_i64(r->db, 0, 2);
	for (i = 0; i < no; i++)
		if (o[i].id == db_i64(r->db, 0, 0))
			out->feedback = o[i].feedback;
	if (out->duplicate) {
		db_rollback(r->db);
		*msg = "This answer was already recorded.";
		return 200;
	}
	/* A question answered before counts again only once its review
	 * card is due: a learner who saw the answer cannot replay it (with
	 * new page times) into mastery, streaks or achievements.  The
	 * answer itself stays recorded. */
	if ((n = db_exec(r->db, STMT_FEED_CARD_DUE, 2, p)) < 0)
		goto dberr;
	if (n > 0 && !db_bool(r->db, 0, 0)) {
		if ((n = db_commit(r->db)) < 0)
			goto dberr;
		out->practice = 1;
		*msg = "Recorded as practice: this question counts again when "
		    "it is due for review.";
		return 200;
	}
	p[0] = db_i64s(r->a, vid);
	if ((n = db_exec(r->db, STMT_BANK_VERSION_LOCK, 1, p)) < 0)
		goto dberr;
	if ((n = attempt_model_update(r, qid, difficulty, b,
	    out->correct)) < 0)
		goto dberr;
	if ((n = srs_review_answer(r, qid, out->correct, out->ms, item_ms,
	    arena_printf(r->a, "feed:%lld", shown))) < 0)
		goto dberr;
	{
		struct activity a = { 0 };
		int cur, longest;

		a.answers = 1;
		a.correct = out->correct;
		/* activity_record also marks recommendations stale */
		if ((n = activity_record(r, &a)) < 0)
			goto dberr;
		if ((n = streaks(r, &cur, &longest)) < 0)
			goto dberr;
		if ((n = award(r, longest)) < 0)
			goto dberr;
		out->nnew = n;
	}
	if ((n = db_commit(r->db)) < 0)
		goto dberr;
	return 200;
dberr:
	db_rollback(r->db);
	*msg = "Try again shortly.";
	return page_db_status(n);
}

/* ---- HTML --------------------------------------------------------------- */

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s != NULL ? s : "", s != NULL ? strlen(s) : 0);
}

static const char *
date_of(struct req *r, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char s[32];

	gmtime_r(&tt, &tm);
	strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	return arena_strdup(r->a, s);
}

static void
question_html(struct req *r, struct buf *b, const struct fcard *c,
    const struct fq *q, long long shown)
{
	const char *stem = markdown_html(r->a, q->stem, strlen(q->stem));

	buf_printf(b, "<form class=\"form feed-question\" method=\"post\" "
	    "action=\"/feed/questions/%lld#feed-top\">\n"
	    "<input type=\"hidden\" name=\"csrf\" value=\"", (long long)q->id);
	html(b, r->csrf);
	buf_printf(b, "\">\n<input type=\"hidden\" name=\"shown\" "
	    "value=\"%lld\">\n<fieldset>\n<legend id=\"fq%lld-%lld\">"
	    "True or false?", shown, (long long)c->it.lesson,
	    (long long)q->id);
	if (q->title[0] != '\0') {
		buf_puts(b, " <span class=\"muted\">");
		html(b, q->title);
		buf_puts(b, "</span>");
	}
	buf_puts(b, "</legend>\n<div class=\"stem\">");
	buf_puts(b, stem != NULL ? stem : "");
	buf_puts(b, "</div>\n<p class=\"actions\">"
	    "<button type=\"submit\" name=\"answer\" value=\"true\">True"
	    "</button> <button type=\"submit\" name=\"answer\" "
	    "value=\"false\">False</button></p>\n</fieldset>\n</form>\n");
}

static void
cards_html(struct req *r, struct buf *b, const struct feed *f)
{
	size_t i;
	int k;

	for (i = 0; i < f->ncards; i++) {
		const struct fcard *c = &f->cards[i];

		buf_printf(b, "<article class=\"card feed-card\" "
		    "aria-labelledby=\"fc%lld\">\n<h2 id=\"fc%lld\">"
		    "<a href=\"/courses/%lld/lessons/%lld\">",
		    (long long)c->it.lesson, (long long)c->it.lesson,
		    (long long)c->course, (long long)c->it.lesson);
		html(b, c->title);
		buf_printf(b, "</a></h2>\n<p class=\"muted\">%s, %d min, "
		    "from <a href=\"/courses/%lld\">",
		    strcmp(c->kind, "video") == 0 ? "Video" :
		    strcmp(c->kind, "exercise") == 0 ? "Exercise" : "Lesson",
		    c->minutes, (long long)c->course);
		html(b, c->course_title);
		buf_puts(b, "</a> (");
		html(b, page_level_label(c->level));
		buf_puts(b, ")</p>\n<p class=\"reason\"><strong>Why this "
		    "card:</strong> ");
		html(b, c->reason);
		buf_puts(b, "</p>\n");
		for (k = 0; k < c->nq; k++)
			question_html(r, b, c, &c->q[k], f->shown);
		buf_puts(b, "</article>\n");
	}
}

static void
achievements_html(struct req *r, struct buf *b, const struct feed *f)
{
	int i;

	for (i = 0; i < f->nach; i++) {
		buf_puts(b, "<li><strong>");
		html(b, f->ach[i].title);
		buf_printf(b, "</strong>, earned <time datetime=\"%s\">%s"
		    "</time></li>\n", date_of(r, f->ach[i].at),
		    date_of(r, f->ach[i].at));
	}
}

static void
feedback_html(struct req *r, struct buf *b, const struct outcome *o)
{
	const char *md;

	buf_puts(b, "<section class=\"feedback\" aria-labelledby=\"fb-h\">\n"
	    "<h2 id=\"fb-h\">");
	buf_puts(b, o->correct ? "Right" : "Not quite");
	buf_printf(b, " — the answer is %s.</h2>\n", o->truth ? "true" :
	    "false");
	if (o->feedback[0] != '\0') {
		buf_puts(b, "<p>");
		html(b, o->feedback);
		buf_puts(b, "</p>\n");
	}
	if (o->explanation[0] != '\0') {
		md = markdown_html(r->a, o->explanation,
		    strlen(o->explanation));
		buf_puts(b, "<div class=\"explanation\">");
		buf_puts(b, md != NULL ? md : "");
		buf_puts(b, "</div>\n");
	}
	buf_printf(b, "<p class=\"muted\">Answered in %.1f s%s. The next "
	    "card is below.</p>\n", o->ms / 1000.0, o->duplicate ?
	    " (already recorded: it counted once)" : "");
	if (o->nnew > 0)
		buf_printf(b, "<p><strong>New achievement%s!</strong> See "
		    "<a href=\"#ach-title\">your achievements</a>.</p>\n",
		    o->nnew == 1 ? "" : "s");
	buf_puts(b, "</section>\n");
}

/* The feed page, with o's feedback when an answer was just given and the
 * notice msg (an error when r->status >= 400). */
static int
feed_page(struct req *r, const struct outcome *o, const char *msg)
{
	struct view *v = view_new(r->a);
	struct feed f;
	struct buf b;
	int n;

	if ((n = feed_load(r, &f)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (msg != NULL)
		r->flash = msg;
	view_set_int(v, "streak", f.streak);
	view_set_int(v, "longest", f.longest);
	view_set(v, "streak_days", f.streak == 1 ? "day" : "days");
	view_set(v, "longest_days", f.longest == 1 ? "day" : "days");
	if (o != NULL) {
		buf_init(&b);
		feedback_html(r, &b, o);
		view_set_raw(v, "feedback", b.p);
		buf_free(&b);
	}
	if (f.ncards > 0) {
		buf_init(&b);
		cards_html(r, &b, &f);
		view_set_raw(v, "cards", b.p);
		buf_free(&b);
	}
	if (f.nach > 0) {
		buf_init(&b);
		achievements_html(r, &b, &f);
		view_set_raw(v, "achievements", b.p);
		buf_free(&b);
	}
	return http_page_nav(r, TMPL_FEED, v, "Your feed", TMPL_NAV_FEED);
}

int
page_feed(struct req *r)
{
	return feed_page(r, NULL, NULL);
}

int
page_feed_answer(struct req *r)
{
	struct outcome o;
	const char *msg;
	int st;

	st = do_answer(r, r->pathid[0], &o, &msg);
	if (st >= 500)
		return http_error(r, st, msg);
	if (st != 200) {
		r->status = st;
		return feed_page(r, NULL, msg);
	}
	return feed_page(r, &o, NULL);
}

/* ---- JSON --------------------------------------------------------------- */

static void
achievements_json(struct req *r, const struct feed *f)
{
	int i;

	json_arr_begin(r, "achievements");
	for (i = 0; i < f->nach; i++) {
		json_obj_begin(r, NULL);
		json_str(r, "code", f->ach[i].code);
		json_str(r, "title", f->ach[i].title);
		json_i64(r, "earned_at", f->ach[i].at);
		json_str(r, "earned_on", date_of(r, f->ach[i].at));
		json_obj_end(r);
	}
	json_arr_end(r);
}

int
page_api_feed(struct req *r)
{
	struct feed f;
	size_t i;
	int n, k;

	if ((n = feed_load(r, &f)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "shown", f.shown);
	json_i64(r, "current_streak", f.streak);
	json_i64(r, "longest_streak", f.longest);
	json_str(r, "learner_level", f.level == 0 ? "" :
	    f.level == 1 ? "beginner" : f.level == 2 ? "intermediate" :
	    "advanced");
	json_arr_begin(r, "cards");
	for (i = 0; i < f.ncards; i++) {
		const struct fcard *c = &f.cards[i];

		json_obj_begin(r, NULL);
		json_i64(r, "lesson_id", c->it.lesson);
		json_str(r, "title", c->title);
		json_str(r, "kind", c->kind);
		json_i64(r, "minutes", c->minutes);
		json_i64(r, "course_id", c->course);
		json_str(r, "course_title", c->course_title);
		json_str(r, "level", c->level);
		json_str(r, "url", arena_printf(r->a, "/courses/%lld/lessons/"
		    "%lld", (long long)c->course, (long long)c->it.lesson));
		json_str(r, "why", learn_feed_why_name(c->it.why));
		json_str(r, "reason", c->reason);
		json_dbl(r, "score", c->it.score);
		json_i64(r, "due_reviews", c->it.due);
		json_arr_begin(r, "questions");
		for (k = 0; k < c->nq; k++) {
			json_obj_begin(r, NULL);
			json_i64(r, "id", c->q[k].id);
			json_str(r, "title", c->q[k].title);
			json_str(r, "stem", c->q[k].stem);
			json_arr_begin(r, "options");
			json_obj_begin(r, NULL);
			json_i64(r, "id", c->q[k].yes);
			json_str(r, "text", "True");
			json_obj_end(r);
			json_obj_begin(r, NULL);
			json_i64(r, "id", c->q[k].no);
			json_str(r, "text", "False");
			json_obj_end(r);
			json_arr_end(r);
			json_obj_end(r);
		}
		json_arr_end(r);
		json_obj_end(r);
	}
	json_arr_end(r);
	achievements_json(r, &f);
	json_end(r);
	return http_json(r, 200);
}

int
page_api_feed_answer(struct req *r)
{
	struct outcome o;
	const char *msg;
	int st;

	st = do_answer(r, r->pathid[0], &o, &msg);
	if (st != 200)
		return http_error(r, st, msg);
	json_begin(r);
	json_i64(r, "question_id", o.qid);
	json_bool(r, "correct", o.correct);
	json_bool(r, "right_answer", o.truth);
	json_bool(r, "duplicate", o.duplicate);
	json_bool(r, "practice", o.practice);
	json_i64(r, "response_ms", o.ms);
	json_str(r, "feedback", o.feedback);
	json_str(r, "explanation", o.explanation);
	json_i64(r, "new_achievements", o.nnew);
	json_str(r, "next", "/api/v1/feed");
	json_end(r);
	return http_json(r, 200);
}
