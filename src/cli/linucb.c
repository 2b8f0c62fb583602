/*
 * adept linucb replay: disjoint LinUCB over a logged bandit data set in
 * which every arm's reward is recorded for every round, so the replay does
 * not depend on the choices it makes.
 *
 * Input (CSV, columns by name): round, arm, x0..x{d-1}, reward_if_chosen;
 * one row per arm per round, a round's rows together and its arms listed
 * 0, 1, ... K-1; every round has the K arms of the first.  d is the number
 * of consecutive columns x0, x1, ... in the header.  Output: round,
 * chosen_arm, reward, cumulative_reward (and ucb_0..ucb_{K-1} with --ucb).
 * A round is decided when its last row has been read, so output streams.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "learn/bandit.h"

#define MAXARMS	4096

static const char header[] = "round,chosen_arm,reward,cumulative_reward";
static const char usage_msg[] =
    "usage: adept linucb replay --alpha A [--ucb] [FILE]  (FILE or - = stdin)";

struct round {
	int64_t	 id;
	int	 n;		/* rows read so far */
	int	 cap;		/* arms allocated */
	double	*x;		/* cap rows of d */
	double	*reward;	/* cap */
	long	 lastline;
};

/* Doubles the room for arms in r; 0 or -1 (r unchanged). */
static int
grow(struct round *r, int d)
{
	int cap = r->cap ? 2 * r->cap : 16;
	double *x, *rw;

	if ((x = realloc(r->x, (size_t)cap * (size_t)d * sizeof(double))) ==
	    NULL)
		return -1;
	r->x = x;
	if ((rw = realloc(r->reward, (size_t)cap * sizeof(double))) == NULL)
		return -1;
	r->reward = rw;
	r->cap = cap;
	return 0;
}

/* Decides round r, learns from the chosen arm, prints the output row. */
static void
decide(struct learn_linucb *l, struct round *r, double *ucb, int with_ucb,
    double *cum)
{
	int arm, i;

	arm = learn_linucb_choose(l, r->x, ucb);
	*cum += r->reward[arm];
	/* Inputs were checked finite, so the update cannot fail. */
	learn_linucb_update(l, arm, r->x + (size_t)arm * (size_t)l->d,
	    r->reward[arm]);
	printf("%lld,%d,", (long long)r->id, arm);
	csv_put_double(stdout, r->reward[arm]);
	putchar(',');
	csv_put_double(stdout, *cum);
	if (with_ucb)
		for (i = 0; i < l->narms; i++) {
			putchar(',');
			csv_put_double(stdout, ucb[i]);
		}
	putchar('\n');
}

/*
 * Ends round r: the first round fixes the number of arms and sets up the
 * learner and prints the header; later rounds must have as many.  0, or -1 with the error set in
 * c (or printed, for out of memory: *oom = 1).
 */
static int
end_round(struct csv *c, struct learn_linucb *l, struct round *r,
    double **ucb, int d, double alpha, int with_ucb, double *cum, int *oom)
{
	int i;

	if (l->narms == 0) {
		if ((*ucb = calloc((size_t)r->n, sizeof(double))) == NULL ||
		    learn_linucb_init(l, r->n, d, alpha) == -1) {
			*oom = 1;
			return -1;
		}
		fputs(header, stdout);
		for (i = 0; with_ucb && i < r->n; i++)
			printf(",ucb_%d", i);
		putchar('\n');
	}
	if (r->n != l->narms) {
		c->lineno = r->lastline;
		return csv_fail(c, "round %lld ends with %d arms; the first "
		    "round had %d", (long long)r->id, r->n, l->narms);
	}
	decide(l, r, *ucb, with_ucb, cum);
	r->n = 0;
	return 0;
}

static int
replay(FILE *in, double alpha, int with_ucb)
{
	struct csv c;
	struct learn_linucb l = { 0 };
	struct round r = { 0 };
	char name[16];
	int cround, carm, crew, cx[LEARN_LINUCB_MAXD], d, i, rc, ret = 2;
	int arm, oom = 0;
	int64_t id;
	double cum = 0.0, *ucb = NULL;

	if (csv_open_file(&c, in) == -1)
		goto fail;
	if ((cround = csv_need(&c, "round")) < 0 ||
	    (carm = csv_need(&c, "arm")) < 0 ||
	    (crew = csv_need(&c, "reward_if_chosen")) < 0 ||
	    (cx[0] = csv_need(&c, "x0")) < 0)
		goto fail;
	for (d = 1; d < LEARN_LINUCB_MAXD; d++) {
		snprintf(name, sizeof(name), "x%d", d);
		if ((cx[d] = csv_col(&c, name)) < 0)
			break;
	}
	while ((rc = csv_next(&c)) == 1) {
		if (csv_int64(&c, cround, &id) == -1 ||
		    csv_int(&c, carm, &arm) == -1)
			goto fail;
		if (r.n > 0 && id != r.id) {
			if (id < r.id) {
				csv_fail(&c, "round %lld after round %lld: "
				    "rounds must increase, each round's rows "
				    "together", (long long)id,
				    (long long)r.id);
				goto fail;
			}
			if (end_round(&c, &l, &r, &ucb, d, alpha, with_ucb,
			    &cum, &oom) == -1)
				goto fail;
		}
		r.id = id;
		if (arm != r.n) {
			csv_fail(&c, "arm %d where arm %d was expected "
			    "(arms 0, 1, ... in order within a round)", arm,
			    r.n);
			goto fail;
		}
		if (l.narms > 0 && r.n == l.narms) {
			csv_fail(&c, "round %lld has more than the %d arms of "
			    "the first round", (long long)id, l.narms);
			goto fail;
		}
		if (r.n == MAXARMS) {
			csv_fail(&c, "more than %d arms", MAXARMS);
			goto fail;
		}
		if (r.n == r.cap && grow(&r, d) == -1) {
			ret = cli_usage("linucb", "out of memory");
			goto out;
		}
		for (i = 0; i < d; i++)
			if (csv_double(&c, cx[i],
			    &r.x[(size_t)r.n * (size_t)d + (size_t)i]) == -1)
				goto fail;
		if (csv_double(&c, crew, &r.reward[r.n]) == -1)
			goto fail;
		r.lastline = c.lineno;
		r.n++;
	}
	if (rc == -1)
		goto fail;
	if (r.n > 0 && end_round(&c, &l, &r, &ucb, d, alpha, with_ucb, &cum,
	    &oom) == -1)
		goto fail;
	if (l.narms == 0)
		printf("%s\n", header);
	ret = cli_flush("linucb");
	goto out;
fail:
	ret = oom ? cli_usage("linucb", "out of memory") :
	    cli_csv_fail("linucb", &c);
out:
	csv_close(&c);
	learn_linucb_free(&l);
	free(ucb);
	free(r.x);
	free(r.reward);
	return ret;
}

int
cmd_linucb(int argc, char **argv)
{
	const char *file = NULL, *astr = NULL;
	double alpha;
	char *end;
	int i, with_ucb = 0, ret;
	FILE *in = stdin;

	if (argc < 2 || strcmp(argv[1], "replay") != 0)
		return cli_usage("linucb", "%s", usage_msg);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--alpha") == 0 && i + 1 < argc)
			astr = argv[++i];
		else if (strncmp(argv[i], "--alpha=", 8) == 0)
			astr = argv[i] + 8;
		else if (strcmp(argv[i], "--ucb") == 0)
			with_ucb = 1;
		else if (file == NULL &&
		    (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			file = argv[i];
		else
			return cli_usage("linucb", "%s", usage_msg);
	}
	if (astr == NULL)
		return cli_usage("linucb", "--alpha is required; %s",
		    usage_msg);
	errno = 0;
	alpha = strtod(astr, &end);
	if (*astr == '\0' || *end != '\0' || errno != 0 || !isfinite(alpha) ||
	    alpha < 0.0)
		return cli_usage("linucb", "--alpha \"%s\": need a finite "
		    "number >= 0", astr);
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (in = fopen(file, "r")) == NULL)
		return cli_usage("linucb", "%s: %s", file, strerror(errno));
	ret = replay(in, alpha, with_ucb);
	if (in != stdin)
		fclose(in);
	return ret;
}
