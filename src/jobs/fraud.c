/*
 * fraud: the fraud and anomaly scan (issue 9); see fraud.h.
 *
 * Design decision: each quiz is judged on its own answers (each learner's
 * first answer to each item version there), so the time fits, the option
 * shares and the dense indices liblearn wants are all per quiz, and a
 * learner's retake, who knows the questions, is not taken for
 * pre-knowledge.  Similarity and guessing look only at single-choice items
 * (an answer is a position there); fast correct looks at every timed
 * answer.  The flags' identity is the database's (017_fraud.sql), so the
 * scan simply upserts what it finds and never has to remember a run.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/fraud.h"

/* ---- settings ------------------------------------------------------- */

#define P_DBL	0
#define P_INT	1

/* One row per threshold an environment variable may set; a variable may
 * set several fields (ADEPT_FRAUD_FAST_Z: both z thresholds). */
static const struct setting {
	const char	*env;
	size_t		 off;
	int		 type;
	double		 min, max;
} settings[] = {
	{ "ADEPT_FRAUD_FAST_Z", offsetof(struct learn_anomaly_params,
	    fast_item_z), P_DBL, 0.5, 20 },
	{ "ADEPT_FRAUD_FAST_Z", offsetof(struct learn_anomaly_params,
	    fast_learner_z), P_DBL, 0.5, 20 },
	{ "ADEPT_FRAUD_FAST_MIN", offsetof(struct learn_anomaly_params,
	    fast_min_flagged), P_INT, 1, 1000 },
	{ "ADEPT_FRAUD_FAST_SHARE", offsetof(struct learn_anomaly_params,
	    fast_share), P_DBL, 0, 1 },
	{ "ADEPT_FRAUD_FAST_MIN_ITEM_N", offsetof(struct learn_anomaly_params,
	    fast_min_item_n), P_INT, 2, 100000 },
	{ "ADEPT_FRAUD_FAST_MIN_LEARNER_N", offsetof(struct
	    learn_anomaly_params, fast_min_learner_n), P_INT, 2, 100000 },
	{ "ADEPT_FRAUD_SIMILARITY_Z", offsetof(struct learn_anomaly_params,
	    sim_z), P_DBL, 0.5, 50 },
	{ "ADEPT_FRAUD_SIMILARITY_MIN_SHARED", offsetof(struct
	    learn_anomaly_params, sim_min_shared), P_INT, 1, 1000 },
	{ "ADEPT_FRAUD_BURST_SIGNUPS", offsetof(struct learn_anomaly_params,
	    burst_signup_max), P_INT, 1, 1000000 },
	{ "ADEPT_FRAUD_BURST_SIGNUP_WINDOW", offsetof(struct
	    learn_anomaly_params, burst_signup_window), P_DBL, 1, 86400 },
	{ "ADEPT_FRAUD_BURST_ATTEMPTS", offsetof(struct learn_anomaly_params,
	    burst_attempt_max), P_INT, 1, 1000000 },
	{ "ADEPT_FRAUD_BURST_ATTEMPT_WINDOW", offsetof(struct
	    learn_anomaly_params, burst_attempt_window), P_DBL, 1, 86400 },
	{ "ADEPT_FRAUD_GUESS_MIN_N", offsetof(struct learn_anomaly_params,
	    guess_min_n), P_INT, 1, 100000 },
	{ "ADEPT_FRAUD_GUESS_RAPID_MS", offsetof(struct learn_anomaly_params,
	    guess_rapid_ms), P_DBL, 1, 600000 },
};

/* *out from env if it holds a number in [min, max]: 1, else 0. */
static int
env_number(const char *env, double min, double max, int integer,
    double *out)
{
	const char *v = getenv(env);
	char *end;
	double d;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	d = strtod(v, &end);
	if (errno != 0 || *end != '\0' || !isfinite(d) || d < min ||
	    d > max || (integer && d != floor(d))) {
		log_msg("fraud: %s=%s is not a %s in [%g, %g]; using the "
		    "default", env, v, integer ? "whole number" : "number",
		    min, max);
		return 0;
	}
	*out = d;
	return 1;
}

void
fraud_params(struct learn_anomaly_params *p)
{
	const struct setting *s;
	double d;
	size_t i;

	learn_anomaly_params_default(p);
	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		s = &settings[i];
		if (!env_number(s->env, s->min, s->max, s->type == P_INT, &d))
			continue;
		if (s->type == P_INT)
			*(int *)((char *)p + s->off) = (int)d;
		else
			*(double *)((char *)p + s->off) = d;
	}
}

double
fraud_lookback_s(void)
{
	double h = 24;

	env_number("ADEPT_FRAUD_LOOKBACK_HOURS", 1, 8760, 0, &h);
	return h * 3600;
}

/* ---- the scan ------------------------------------------------------- */

struct scan {
	struct db			*db;
	struct arena			*a;
	const struct learn_anomaly_params *p;
	struct fraud_report		*rep;
	fraud_flag_fn			 fn;
	void				*arg;
};

/* What put_flag needs to name a flag's learners and items. */
struct names {
	int64_t		 aid;		/* 0 for a burst */
	const int64_t	*uids;		/* by learner index */
	const char	*const *lnames;
	const int64_t	*qids;		/* by item index */
	const char	*const *inames;
};

static int
fail(struct fraud_report *rep, const char *msg, int code)
{
	snprintf(rep->err, sizeof(rep->err), "%s (%d)", msg, code);
	return -1;
}

/* A JSON number; JSON has no NaN or infinity. */
static void
jnum(struct buf *b, const char *key, double v)
{
	if (isfinite(v))
		buf_printf(b, "\"%s\": %.6g", key, v);
	else
		buf_printf(b, "\"%s\": null", key);
}

static void
jtime(struct buf *b, const char *key, double t)
{
	struct tm tm;
	time_t s = (time_t)floor(t);
	char iso[32];

	if (gmtime_r(&s, &tm) == NULL ||
	    strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		jnum(b, key, t);
	else
		buf_printf(b, "\"%s\": \"%s\"", key, iso);
}

static char
letter(int o)
{
	return o >= 0 && o < 26 ? (char)('A' + o) : '?';
}

/* The flag's numbers as a JSON object, for the API and later analysis. */
static char *
evidence_json(struct arena *a, const struct learn_anomaly_flag *f,
    const struct names *nm, const struct learn_anomaly_params *p)
{
	struct buf b;
	char *out;
	int j;

	buf_init(&b);
	buf_puts(&b, "{");
	switch (f->kind) {
	case LEARN_ANOMALY_FAST_CORRECT:
		buf_printf(&b, "\"timed_correct\": %d, \"fast\": %d, "
		    "\"fast_correct\": %d, ", f->u.fast.ncorrect,
		    f->u.fast.nfast, f->u.fast.nflagged);
		jnum(&b, "item_z", p->fast_item_z);
		buf_puts(&b, ", ");
		jnum(&b, "learner_z", p->fast_learner_z);
		buf_puts(&b, ", \"answers\": [");
		for (j = 0; j < f->u.fast.nev; j++) {
			const struct learn_anomaly_fast_ev *e =
			    &f->u.fast.ev[j];

			buf_printf(&b, "%s{\"question_id\": %lld, ",
			    j ? ", " : "", (long long)nm->qids[e->item]);
			jnum(&b, "ms", e->ms);
			buf_puts(&b, ", ");
			jnum(&b, "median_ms", e->median_ms);
			buf_puts(&b, ", ");
			jnum(&b, "z_item", e->z_item);
			buf_puts(&b, ", ");
			jnum(&b, "z_learner", e->z_learner);
			buf_puts(&b, "}");
		}
		buf_puts(&b, "]");
		break;
	case LEARN_ANOMALY_SIMILARITY:
		buf_printf(&b, "\"common\": %d, \"both_wrong\": %d, "
		    "\"shared_wrong\": %d, ", f->u.sim.ncommon,
		    f->u.sim.nbothwrong, f->u.sim.nshared);
		jnum(&b, "weight", f->u.sim.weight);
		buf_puts(&b, ", ");
		jnum(&b, "expected", f->u.sim.expected);
		buf_puts(&b, ", ");
		jnum(&b, "sd", f->u.sim.sd);
		buf_puts(&b, ", ");
		jnum(&b, "z_threshold", p->sim_z);
		buf_puts(&b, ", \"shared\": [");
		for (j = 0; j < f->u.sim.nev; j++) {
			const struct learn_anomaly_sim_ev *e =
			    &f->u.sim.ev[j];

			buf_printf(&b, "%s{\"question_id\": %lld, "
			    "\"option\": \"%c\", ", j ? ", " : "",
			    (long long)nm->qids[e->item], letter(e->option));
			jnum(&b, "share_of_others", e->p);
			buf_puts(&b, "}");
		}
		buf_puts(&b, "]");
		break;
	case LEARN_ANOMALY_BURST:
		buf_printf(&b, "\"event\": \"%s\", \"count\": %d, "
		    "\"max\": %d, ", f->u.burst.what ==
		    LEARN_ANOMALY_EVENT_SIGNUP ? "signup" : "attempt",
		    f->u.burst.count, f->u.burst.max);
		jnum(&b, "window_s", f->u.burst.window);
		buf_puts(&b, ", ");
		jtime(&b, "first", f->u.burst.first);
		buf_puts(&b, ", ");
		jtime(&b, "last", f->u.burst.last);
		break;
	case LEARN_ANOMALY_GUESSING:
		buf_printf(&b, "\"answers\": %d, \"correct\": %d, ",
		    f->u.guess.n, f->u.guess.ncorrect);
		jnum(&b, "chance", f->u.guess.chance);
		buf_puts(&b, ", ");
		jnum(&b, "z", f->u.guess.z);
		buf_printf(&b, ", \"timed\": %d, \"rapid\": %d, "
		    "\"position\": \"%c\", \"at_position\": %d, ",
		    f->u.guess.ntimed, f->u.guess.nrapid,
		    letter(f->u.guess.position), f->u.guess.npos);
		jnum(&b, "median_ms", f->u.guess.median_ms);
		break;
	default:
		break;
	}
	buf_puts(&b, "}");
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

/* Writes (or refreshes) one flag: 0, or -1 with rep->err. */
static int
put_flag(struct scan *s, const struct learn_anomaly_flag *f,
    const struct names *nm)
{
	const char *p[10], *kind = learn_anomaly_kind_name(f->kind);
	char *text;
	int len, n, created;

	if (kind == NULL)
		return fail(s->rep, "bad flag kind", (int)f->kind);
	len = learn_anomaly_format(f, nm->lnames, nm->inames, NULL, 0);
	if (len < 0)
		return fail(s->rep, "formatting a flag failed", len);
	text = arena_alloc(s->a, (size_t)len + 1);
	learn_anomaly_format(f, nm->lnames, nm->inames, text, len + 1);
	s->rep->found[f->kind]++;
	p[0] = kind;
	p[1] = NULL;
	p[3] = nm->aid > 0 ? db_i64s(s->a, nm->aid) : NULL;
	p[4] = p[5] = p[6] = NULL;
	if (f->kind == LEARN_ANOMALY_BURST) {
		p[1] = f->u.burst.what == LEARN_ANOMALY_EVENT_SIGNUP ?
		    "signup" : "attempt";
		p[2] = "{}";
		p[4] = f->u.burst.key;
		p[5] = arena_printf(s->a, "%.6f", f->u.burst.first);
		p[6] = arena_printf(s->a, "%.6f", f->u.burst.last);
	} else if (f->learner[1] >= 0)
		p[2] = arena_printf(s->a, "{%lld,%lld}",
		    (long long)nm->uids[f->learner[0]],
		    (long long)nm->uids[f->learner[1]]);
	else
		p[2] = arena_printf(s->a, "{%lld}",
		    (long long)nm->uids[f->learner[0]]);
	p[7] = arena_printf(s->a, "%.17g", isfinite(f->score) ? f->score :
	    0.0);
	p[8] = text;
	p[9] = evidence_json(s->a, f, nm, s->p);
	if ((n = db_exec(s->db, STMT_FRAUD_FLAG_UPSERT, 10, p)) < 0)
		return fail(s->rep, "database: writing a flag failed", n);
	if (n == 0) {
		s->rep->kept++;
		return 0;
	}
	created = (int)db_i64(s->db, 0, 1);
	if (created)
		s->rep->created++;
	else
		s->rep->refreshed++;
	if (s->fn != NULL)
		s->fn(s->arg, db_i64(s->db, 0, 0), created, kind, text);
	return 0;
}

/* Runs one detector twice (count, then fill) and writes its flags. */
typedef int	(*detector_fn)(struct scan *, void *ctx,
		    struct learn_anomaly_flag *, size_t);

static int
run_detector(struct scan *s, detector_fn det, void *ctx,
    const struct names *nm)
{
	struct learn_anomaly_flag *f;
	int n, i;

	if ((n = det(s, ctx, NULL, 0)) < 0)
		return fail(s->rep, "a detector refused its input", n);
	if (n == 0)
		return 0;
	f = arena_calloc(s->a, (size_t)n, sizeof(*f));
	if (det(s, ctx, f, (size_t)n) != n)
		return fail(s->rep, "a detector changed its mind", n);
	for (i = 0; i < n; i++)
		if (put_flag(s, &f[i], nm) != 0)
			return -1;
	return 0;
}

/* One quiz's data, as the detectors take it. */
struct quiz {
	struct learn_anomaly_response	*all, *choice;
	size_t				 nall, nchoice;
	struct learn_anomaly_item	*items;
	struct learn_anomaly_lognorm	*learners;
	int				 nitems, nlearners;
};

static int
det_fast(struct scan *s, void *ctx, struct learn_anomaly_flag *f, size_t n)
{
	struct quiz *q = ctx;

	return learn_anomaly_fast_correct(q->all, q->nall, q->items,
	    q->nitems, q->learners, q->nlearners, s->p, f, n);
}

static int
det_similarity(struct scan *s, void *ctx, struct learn_anomaly_flag *f,
    size_t n)
{
	struct quiz *q = ctx;

	return learn_anomaly_similarity(q->choice, q->nchoice, q->items,
	    q->nitems, q->nlearners, s->p, f, n);
}

static int
det_guessing(struct scan *s, void *ctx, struct learn_anomaly_flag *f,
    size_t n)
{
	struct quiz *q = ctx;

	return learn_anomaly_guessing(q->choice, q->nchoice, q->items,
	    q->nitems, q->nlearners, s->p, f, n);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
scan_quiz(struct scan *s, int64_t aid)
{
	struct quiz q;
	struct names nm;
	const char *p[1];
	int64_t *uids, *vids, *qids, *rowvid;
	const char **lnames, **inames;
	int *nopt, nr, i, k, j, l;

	memset(&q, 0, sizeof(q));
	p[0] = db_i64s(s->a, aid);
	if ((nr = db_exec(s->db, STMT_FRAUD_RESPONSES, 1, p)) < 0)
		return fail(s->rep, "database: reading answers failed", nr);
	if (nr == 0)
		return 0;
	s->rep->assessments++;
	s->rep->responses += nr;
	q.all = arena_calloc(s->a, nr, sizeof(*q.all));
	q.choice = arena_calloc(s->a, nr, sizeof(*q.choice));
	uids = arena_calloc(s->a, nr, sizeof(*uids));
	lnames = arena_calloc(s->a, nr, sizeof(*lnames));
	vids = arena_calloc(s->a, nr, sizeof(*vids));
	rowvid = arena_calloc(s->a, nr, sizeof(*rowvid));
	qids = arena_calloc(s->a, nr, sizeof(*qids));
	inames = arena_calloc(s->a, nr, sizeof(*inames));
	nopt = arena_calloc(s->a, nr, sizeof(*nopt));
	/* Learners: rows come ordered by user. */
	for (i = 0, l = -1; i < nr; i++) {
		int64_t uid = db_i64(s->db, i, 0);

		if (l < 0 || uids[l] != uid) {
			uids[++l] = uid;
			lnames[l] = arena_printf(s->a, "%s (#%lld)",
			    db_str(s->db, i, 6), (long long)uid);
		}
		q.all[i].learner = l;
		rowvid[i] = vids[i] = db_i64(s->db, i, 1);
	}
	q.nlearners = l + 1;
	qsort(vids, nr, sizeof(*vids), cmp_i64);
	for (i = k = 0; i < nr; i++)
		if (k == 0 || vids[k - 1] != vids[i])
			vids[k++] = vids[i];
	q.nitems = k;
	q.items = arena_calloc(s->a, k, sizeof(*q.items));
	q.learners = arena_calloc(s->a, q.nlearners, sizeof(*q.learners));
	for (i = 0; i < nr; i++) {
		const char *title = db_str(s->db, i, 8);
		int64_t *hit = bsearch(&rowvid[i], vids, k, sizeof(*vids),
		    cmp_i64);

		j = (int)(hit - vids);
		q.all[i].item = j;
		q.all[i].option = (int)db_i64(s->db, i, 2);
		q.all[i].correct = db_bool(s->db, i, 4);
		q.all[i].ms = (double)db_i64(s->db, i, 5);
		if (inames[j] == NULL) {
			nopt[j] = (int)db_i64(s->db, i, 3);
			qids[j] = db_i64(s->db, i, 7);
			inames[j] = title != NULL && *title ?
			    arena_printf(s->a, "question #%lld \"%s\"",
			    (long long)qids[j], title) :
			    arena_printf(s->a, "question #%lld",
			    (long long)qids[j]);
		}
	}
	/* Single-choice items (2 .. OPTIONS_MAX positions) for similarity
	 * and guessing; every item for fast correct. */
	for (j = 0; j < k; j++)
		q.items[j].noptions = nopt[j] < 2 ? 2 :
		    nopt[j] > LEARN_ANOMALY_OPTIONS_MAX ?
		    LEARN_ANOMALY_OPTIONS_MAX : nopt[j];
	for (i = 0; i < nr; i++) {
		j = q.all[i].item;
		if (nopt[j] >= 2 && nopt[j] <= LEARN_ANOMALY_OPTIONS_MAX &&
		    q.all[i].option < nopt[j])
			q.choice[q.nchoice++] = q.all[i];
	}
	q.nall = (size_t)nr;
	if (learn_anomaly_fit_times(q.all, q.nall, q.items, q.nitems,
	    q.learners, q.nlearners) != 0)
		return fail(s->rep, "fitting response times failed", 0);
	nm.aid = aid;
	nm.uids = uids;
	nm.lnames = lnames;
	nm.qids = qids;
	nm.inames = inames;
	if (run_detector(s, det_fast, &q, &nm) != 0 ||
	    run_detector(s, det_similarity, &q, &nm) != 0 ||
	    run_detector(s, det_guessing, &q, &nm) != 0)
		return -1;
	return 0;
}

struct bursts {
	struct learn_anomaly_event	*ev;
	size_t				 n;
	enum learn_anomaly_event_kind	 what;
};

static int
det_bursts(struct scan *s, void *ctx, struct learn_anomaly_flag *f,
    size_t n)
{
	struct bursts *b = ctx;

	return learn_anomaly_bursts(b->ev, b->n, b->what, s->p, f, n);
}

/* Loads the events (statement st) and writes the bursts among them.  The
 * keys are arena copies, so the flags' keys outlive the result set. */
static int
scan_bursts(struct scan *s, enum stmt st, enum learn_anomaly_event_kind what,
    double lookback_s, int *count)
{
	struct bursts b;
	struct names nm;
	const char *p[1];
	int n, i;

	p[0] = arena_printf(s->a, "%.0f", lookback_s);
	if ((n = db_exec(s->db, st, 1, p)) < 0)
		return fail(s->rep, "database: reading events failed", n);
	*count = n;
	if (n == 0)
		return 0;
	b.ev = arena_calloc(s->a, n, sizeof(*b.ev));
	b.n = (size_t)n;
	b.what = what;
	for (i = 0; i < n; i++) {
		b.ev[i].key = arena_strdup(s->a, db_str(s->db, i, 0));
		b.ev[i].t = db_dbl(s->db, i, 1);
	}
	memset(&nm, 0, sizeof(nm));
	return run_detector(s, det_bursts, &b, &nm);
}

int
fraud_scan_run(struct db *db, struct arena *a,
    const struct learn_anomaly_params *params, double lookback_s,
    struct fraud_report *rep, fraud_flag_fn fn, void *arg)
{
	struct scan s;
	const char *p[1];
	int64_t *aids;
	int n, i;

	memset(rep, 0, sizeof(*rep));
	s.db = db;
	s.a = a;
	s.p = params;
	s.rep = rep;
	s.fn = fn;
	s.arg = arg;
	if (db_begin(db) != 0)
		return fail(rep, "database: begin failed", 0);
	p[0] = arena_printf(a, "%.0f", lookback_s);
	if ((n = db_exec(db, STMT_FRAUD_ASSESSMENTS_RECENT, 1, p)) < 0) {
		fail(rep, "database: finding recent quizzes failed", n);
		goto fail;
	}
	aids = arena_calloc(a, n + 1, sizeof(*aids));
	for (i = 0; i < n; i++)
		aids[i] = db_i64(db, i, 0);
	for (i = 0; i < n; i++)
		if (scan_quiz(&s, aids[i]) != 0)
			goto fail;
	if (scan_bursts(&s, STMT_FRAUD_SIGNUPS_RECENT,
	    LEARN_ANOMALY_EVENT_SIGNUP, lookback_s, &rep->signups) != 0 ||
	    scan_bursts(&s, STMT_FRAUD_ATTEMPT_STARTS_RECENT,
	    LEARN_ANOMALY_EVENT_ATTEMPT, lookback_s, &rep->starts) != 0)
		goto fail;
	if (db_commit(db) != 0) {
		fail(rep, "database: commit failed", 0);
		goto fail;
	}
	return 0;
fail:
	db_rollback(db);
	return -1;
}

enum job_result
job_fraud_scan(struct job *j)
{
	struct learn_anomaly_params params;
	struct fraud_report rep;
	json_t *root, *v;
	double lookback = fraud_lookback_s();

	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		if ((v = json_object_get(root, "hours")) != NULL &&
		    json_is_number(v) && json_number_value(v) >= 1 &&
		    json_number_value(v) <= 8760)
			lookback = json_number_value(v) * 3600;
		json_decref(root);
	}
	fraud_params(&params);
	if (fraud_scan_run(j->db, j->a, &params, lookback, &rep, NULL,
	    NULL) != 0) {
		snprintf(j->err, sizeof(j->err), "%s", rep.err);
		return JOB_RETRY;
	}
	log_msg("worker: fraud_scan: %d quizzes, %d answers, %d sign-ups, "
	    "%d attempt starts: %d new flags, %d refreshed, %d already "
	    "decided", rep.assessments, rep.responses, rep.signups,
	    rep.starts, rep.created, rep.refreshed, rep.kept);
	return JOB_DONE;
}
