/*
 * calibrate: item calibration from real responses (issue 5, calib).
 *
 * Design decision: all eligible item versions are fitted jointly, in one
 * marginal-ML run over a sparse persons-by-items matrix (a learner's
 * unanswered items are missing, which MML simply leaves out of his
 * likelihood), so items share one ability scale anchored by theta ~ N(0, 1)
 * (Rasch: N(0, sigma^2)).  Each learner's first answer to a version counts,
 * so a retake does not double the evidence.  Items every learner answered
 * alike have no finite estimate; they are left uncalibrated and counted.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/calibrate.h"
#include "learn/irt_fit.h"

struct resp {
	int64_t	user, vid, ts;
	int	correct;
};

int
calibrate_min_n_default(void)
{
	const char *v = getenv("ADEPT_CALIBRATE_MIN_N");
	char *end;
	long n;

	if (v == NULL || *v == '\0')
		return 30;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 2 || n > 1000000)
		return 30;
	return (int)n;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
item_index(const int64_t *vids, int k, int64_t vid)
{
	const int64_t *p = bsearch(&vid, vids, k, sizeof(*vids), cmp_i64);

	return p == NULL ? -1 : (int)(p - vids);
}

static int
fail(struct calibrate_report *rep, const char *msg, int code)
{
	snprintf(rep->err, sizeof(rep->err), "%s (%d)", msg, code);
	return -1;
}

/*
 * Builds the matrix over the persons with at least one response among the
 * active items (col[j] >= 0 is item j's column) and its data object.
 */
static int
build(const struct resp *rs, int nr, const int64_t *vids, int k,
    const int *col, int kk, signed char **xp, int *np,
    struct learn_irtfit_data **d, size_t *bad)
{
	signed char *x;
	int i, j, n = 0, start, any;

	if ((x = malloc((size_t)nr * kk + 1)) == NULL)
		return LEARN_IRTFIT_ENOMEM;
	for (i = 0; i < nr; i = start) {
		start = i;
		memset(x + (size_t)n * kk, LEARN_IRTFIT_NA, kk);
		any = 0;
		while (start < nr && rs[start].user == rs[i].user) {
			j = item_index(vids, k, rs[start].vid);
			if (j >= 0 && col[j] >= 0) {
				x[(size_t)n * kk + col[j]] =
				    rs[start].correct ? 1 : 0;
				any = 1;
			}
			start++;
		}
		if (any)
			n++;
	}
	*xp = x;
	*np = n;
	return learn_irtfit_data_new(d, x, n, kk, bad);
}

int
calibrate_run(struct db *db, struct arena *a, int min_n, int model,
    struct calibrate_report *rep)
{
	struct learn_irtfit_data *d = NULL;
	struct learn_irtfit_opts o;
	struct learn_irtfit_mml m;
	struct resp *rs = NULL;
	int64_t *vids = NULL, *lo, *hi;
	signed char *x = NULL;
	double *pa, *pb, *pc;
	int *col, *cnt, nr, k, kk, i, j, n, st, tot, rc = -1;
	size_t bad;
	const char *p[6];

	memset(rep, 0, sizeof(*rep));
	p[0] = db_i64s(a, min_n);
	if ((nr = db_exec(db, STMT_CALIBRATE_RESPONSES, 1, p)) < 0)
		return fail(rep, "database: reading responses failed", nr);
	if (nr == 0)
		return 0;
	rs = calloc(nr, sizeof(*rs));
	vids = calloc(nr, sizeof(*vids));
	if (rs == NULL || vids == NULL) {
		fail(rep, "out of memory", 0);
		goto out;
	}
	for (i = 0; i < nr; i++) {
		rs[i].user = db_i64(db, i, 0);
		rs[i].vid = vids[i] = db_i64(db, i, 1);
		rs[i].correct = db_bool(db, i, 2);
		rs[i].ts = db_i64(db, i, 3);
	}
	qsort(vids, nr, sizeof(*vids), cmp_i64);
	for (i = k = 0; i < nr; i++)
		if (k == 0 || vids[k - 1] != vids[i])
			vids[k++] = vids[i];
	col = arena_calloc(a, k, sizeof(*col));
	cnt = arena_calloc(a, k, sizeof(*cnt));
	lo = arena_calloc(a, k, sizeof(*lo));
	hi = arena_calloc(a, k, sizeof(*hi));
	pa = arena_calloc(a, k, sizeof(*pa));
	pb = arena_calloc(a, k, sizeof(*pb));
	pc = arena_calloc(a, k, sizeof(*pc));
	for (i = 0; i < nr; i++) {
		j = item_index(vids, k, rs[i].vid);
		if (cnt[j]++ == 0 || rs[i].ts < lo[j])
			lo[j] = rs[i].ts;
		if (rs[i].ts > hi[j])
			hi[j] = rs[i].ts;
	}
	/* Drop constant items one at a time until the data object builds. */
	for (;;) {
		for (j = kk = 0; j < k; j++)
			if (col[j] >= 0)
				col[j] = kk++;
		if (kk == 0) {
			rc = 0;
			goto out;
		}
		free(x);
		x = NULL;
		st = build(rs, nr, vids, k, col, kk, &x, &n, &d, &bad);
		if (st == LEARN_IRTFIT_OK)
			break;
		if (st != LEARN_IRTFIT_ECONST && st != LEARN_IRTFIT_EEMPTY) {
			fail(rep, learn_irtfit_strerror(st), st);
			goto out;
		}
		for (j = 0; j < k; j++)
			if (col[j] == (int)bad)
				col[j] = -1;
		rep->dropped++;
	}
	learn_irtfit_opts_default(&o, model == 1 ? LEARN_IRTFIT_2PL :
	    LEARN_IRTFIT_RASCH);
	if (model == 1)
		o.a_logsd = 0.5;
	st = learn_irtfit_mml(d, &o, pa, pb, pc, &m);
	if (st != LEARN_IRTFIT_OK && st != LEARN_IRTFIT_ENOCONV) {
		fail(rep, learn_irtfit_strerror(st), st);
		goto out;
	}
	rep->persons = n;
	for (j = tot = 0; j < k; j++)
		if (col[j] >= 0)
			tot += cnt[j];
	rep->iterations = m.iterations;
	rep->converged = m.converged;
	rep->loglik = m.loglik;
	if (db_begin(db) != 0) {
		fail(rep, "database: begin failed", 0);
		goto out;
	}
	for (j = 0; j < k; j++) {
		char *params, *metrics;

		if (col[j] < 0)
			continue;
		i = col[j];
		if (!isfinite(pa[i]) || !isfinite(pb[i]) || pa[i] <= 0)
			continue;
		rep->responses += cnt[j];
		p[0] = db_i64s(a, vids[j]);
		p[1] = arena_printf(a, "%.17g", pa[i]);
		p[2] = arena_printf(a, "%.17g", pb[i]);
		p[3] = arena_printf(a, "%.17g", pc[i] < 0 ? 0 : pc[i]);
		p[4] = db_i64s(a, cnt[j]);
		if ((st = db_exec(db, STMT_CALIBRATE_ITEM_UPDATE, 5, p)) < 0) {
			db_rollback(db);
			fail(rep, "database: item update failed", st);
			goto out;
		}
		params = arena_printf(a, "{\"a\": %.17g, \"b\": %.17g, "
		    "\"c\": %.17g}", pa[i], pb[i], pc[i] < 0 ? 0 : pc[i]);
		metrics = arena_printf(a, "{\"loglik\": %.17g, \"n_persons\": "
		    "%d, \"n_responses\": %d, \"n_item_responses\": %d, "
		    "\"n_items\": %d, \"iterations\": %d, \"converged\": %s, "
		    "\"sigma\": %.17g, \"min_n\": %d}", m.loglik, n, tot, cnt[j],
		    kk, m.iterations, m.converged ? "true" : "false", m.sigma,
		    min_n);
		p[0] = model == 1 ? "irt_2pl" : "irt_rasch";
		p[1] = db_i64s(a, vids[j]);
		p[2] = params;
		p[3] = metrics;
		p[4] = db_i64s(a, lo[j]);
		p[5] = db_i64s(a, hi[j]);
		if ((st = db_exec(db, STMT_CALIBRATE_METADATA_INSERT, 6,
		    p)) < 0) {
			db_rollback(db);
			fail(rep, "database: metadata insert failed", st);
			goto out;
		}
		rep->items++;
	}
	if (db_commit(db) != 0) {
		fail(rep, "database: commit failed", 0);
		goto out;
	}
	rc = 0;
out:
	learn_irtfit_data_free(d);
	free(x);
	free(rs);
	free(vids);
	return rc;
}

enum job_result
job_calibrate(struct job *j)
{
	struct calibrate_report rep;
	json_t *root, *v;
	int min_n = calibrate_min_n_default(), model = 0;

	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		if ((v = json_object_get(root, "min_n")) != NULL &&
		    json_is_integer(v) && json_integer_value(v) >= 2)
			min_n = (int)json_integer_value(v);
		if ((v = json_object_get(root, "model")) != NULL &&
		    json_is_string(v) && strcmp(json_string_value(v),
		    "2pl") == 0)
			model = 1;
		json_decref(root);
	}
	if (calibrate_run(j->db, j->a, min_n, model, &rep) != 0) {
		snprintf(j->err, sizeof(j->err), "%s", rep.err);
		return JOB_RETRY;
	}
	log_msg("worker: calibrate: %d items, %d dropped, %d persons, "
	    "loglik %.3f, %d iterations", rep.items, rep.dropped, rep.persons,
	    rep.loglik, rep.iterations);
	return JOB_DONE;
}
