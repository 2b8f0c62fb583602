/*
 * adept bkt: Bayesian knowledge tracing over an answer log.
 *
 *   adept bkt filter --params FILE [IN]   P(known) before/after each answer
 *   adept bkt fit [--tol T] [--max-iter N] [IN]   EM fit per skill
 *
 * IN (a file, or stdin when absent or "-") has the columns order_id,
 * user_id, skill_name, opportunity, correct (by name; extra columns are
 * ignored).  A sequence is one user on one skill; its answers are taken in
 * opportunity order whatever the row order, so the whole log is read, then
 * sorted.  filter prints order_id, p_known_before, p_correct_pred,
 * p_known_posterior, p_known_next in input row order; fit prints
 * skill_name, prior, learn, guess, slip, loglik, skills by name.  Bad input
 * is one message naming the line, exit 2.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "learn/bkt.h"

static const char usage_msg[] =
    "usage: adept bkt filter --params FILE [IN] | "
    "adept bkt fit [--tol T] [--max-iter N] [IN]  (IN absent or - = stdin)";

/* String interning: names to dense ids, in order of first appearance. */
struct names {
	char		**str;		/* id -> name */
	int		 n, cap;
	int		*slot;		/* hash slot -> id, or -1 */
	size_t		 nslot;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n)) == NULL) {
		fprintf(stderr, "adept: bkt: out of memory\n");
		exit(1);
	}
	return p;
}

static int
names_find(const struct names *t, const char *s)
{
	size_t i;

	if (t->nslot == 0)
		return -1;
	for (i = hash(s) & (t->nslot - 1); t->slot[i] >= 0;
	    i = (i + 1) & (t->nslot - 1))
		if (strcmp(t->str[t->slot[i]], s) == 0)
			return t->slot[i];
	return -1;
}

static int
names_add(struct names *t, const char *s)
{
	size_t i, j;
	int id;

	if ((id = names_find(t, s)) >= 0)
		return id;
	if ((size_t)(t->n + 1) * 2 > t->nslot) {
		t->nslot = t->nslot ? t->nslot * 2 : 64;
		t->slot = xrealloc(t->slot, t->nslot * sizeof(int));
		for (j = 0; j < t->nslot; j++)
			t->slot[j] = -1;
		for (id = 0; id < t->n; id++) {
			for (i = hash(t->str[id]) & (t->nslot - 1);
			    t->slot[i] >= 0; i = (i + 1) & (t->nslot - 1))
				;
			t->slot[i] = id;
		}
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->str = xrealloc(t->str, (size_t)t->cap * sizeof(char *));
	}
	if ((t->str[t->n] = strdup(s)) == NULL) {
		fprintf(stderr, "adept: bkt: out of memory\n");
		exit(1);
	}
	for (i = hash(s) & (t->nslot - 1); t->slot[i] >= 0;
	    i = (i + 1) & (t->nslot - 1))
		;
	t->slot[i] = t->n;
	return t->n++;
}

static void
names_free(struct names *t)
{
	int i;

	for (i = 0; i < t->n; i++)
		free(t->str[i]);
	free(t->str);
	free(t->slot);
}

/* One input row. */
struct obs {
	int	skill;		/* rank of the skill name (after sorting) */
	int	user;
	int64_t	opp;
	long	line;
	size_t	row;		/* input order */
};

/* The whole log. */
struct log {
	struct obs	*o;		/* grouped after load() */
	size_t		 n, cap;
	char		*oid;		/* order_id strings, NUL-separated */
	size_t		 oidlen, oidcap;
	size_t		*oidoff;	/* row -> offset in oid */
	unsigned char	*correct;	/* grouped, like o */
	struct names	 users, skills;
	int		*rank;		/* skill id -> rank by name */
	int		*byrank;	/* rank -> skill id */
};

static int
cmp_obs(const void *a, const void *b)
{
	const struct obs *x = a, *y = b;

	if (x->skill != y->skill)
		return x->skill < y->skill ? -1 : 1;
	if (x->user != y->user)
		return x->user < y->user ? -1 : 1;
	if (x->opp != y->opp)
		return x->opp < y->opp ? -1 : 1;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads and groups the log; 0, or -1 with a message printed. */
static int
load(struct log *g, FILE *in)
{
	struct csv c;
	int co, cu, cs, cp, cc, i, rc = -1, r;
	const char *v, *oid;
	char **sorted = NULL;
	size_t k, l;
	struct obs *o;

	memset(g, 0, sizeof(*g));
	if (csv_open_file(&c, in) == -1) {
		cli_csv_fail("bkt", &c);
		goto out;
	}
	if ((co = csv_need(&c, "order_id")) < 0 ||
	    (cu = csv_need(&c, "user_id")) < 0 ||
	    (cs = csv_need(&c, "skill_name")) < 0 ||
	    (cp = csv_need(&c, "opportunity")) < 0 ||
	    (cc = csv_need(&c, "correct")) < 0) {
		cli_csv_fail("bkt", &c);
		goto out;
	}
	while ((r = csv_next(&c)) == 1) {
		if (g->n == g->cap) {
			g->cap = g->cap ? 2 * g->cap : 4096;
			g->o = xrealloc(g->o, g->cap * sizeof(*g->o));
			g->oidoff = xrealloc(g->oidoff,
			    g->cap * sizeof(size_t));
			g->correct = xrealloc(g->correct, g->cap);
		}
		o = &g->o[g->n];
		v = csv_str(&c, cc);
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
			csv_fail(&c, "column correct: \"%.40s\" is not 0 or 1",
			    v);
			break;
		}
		g->correct[g->n] = v[0] == '1';
		if (csv_int64(&c, cp, &o->opp) == -1)
			break;
		if (*csv_str(&c, cu) == '\0' || *csv_str(&c, cs) == '\0' ||
		    *csv_str(&c, co) == '\0') {
			csv_fail(&c, "empty order_id, user_id or skill_name");
			break;
		}
		o->user = names_add(&g->users, csv_str(&c, cu));
		o->skill = names_add(&g->skills, csv_str(&c, cs));
		o->line = c.lineno;
		o->row = g->n;
		oid = csv_str(&c, co);
		l = strlen(oid) + 1;
		if (g->oidlen + l > g->oidcap) {
			g->oidcap = (g->oidlen + l) * 2;
			g->oid = xrealloc(g->oid, g->oidcap);
		}
		memcpy(g->oid + g->oidlen, oid, l);
		g->oidoff[g->n] = g->oidlen;
		g->oidlen += l;
		g->n++;
	}
	if (r != 0) {
		cli_csv_fail("bkt", &c);
		goto out;
	}
	if (g->n == 0) {
		cli_usage("bkt", "no observations after the header");
		goto out;
	}
	/* Skills ranked by name, rows grouped by (skill, user, opportunity). */
	sorted = xrealloc(NULL, (size_t)g->skills.n * sizeof(char *));
	memcpy(sorted, g->skills.str, (size_t)g->skills.n * sizeof(char *));
	qsort(sorted, (size_t)g->skills.n, sizeof(char *), cmp_name);
	g->rank = xrealloc(NULL, (size_t)g->skills.n * sizeof(int));
	g->byrank = xrealloc(NULL, (size_t)g->skills.n * sizeof(int));
	for (i = 0; i < g->skills.n; i++) {
		g->byrank[i] = names_find(&g->skills, sorted[i]);
		g->rank[g->byrank[i]] = i;
	}
	for (k = 0; k < g->n; k++)
		g->o[k].skill = g->rank[g->o[k].skill];
	qsort(g->o, g->n, sizeof(*g->o), cmp_obs);
	/* correct[] was in row order; regroup it. */
	{
		unsigned char *cg = xrealloc(NULL, g->n);
		for (k = 0; k < g->n; k++)
			cg[k] = g->correct[g->o[k].row];
		free(g->correct);
		g->correct = cg;
	}
	for (k = 1; k < g->n; k++)
		if (cmp_obs(&g->o[k - 1], &g->o[k]) == 0) {
			const struct obs *a = &g->o[k - 1], *b = &g->o[k];
			if (a->line > b->line) {
				a = b;
				b = &g->o[k - 1];
			}
			cli_usage("bkt", "line %ld: opportunity %lld of user "
			    "\"%s\" on skill \"%s\" already on line %ld",
			    b->line, (long long)b->opp,
			    g->users.str[b->user],
			    g->skills.str[g->byrank[b->skill]], a->line);
			goto out;
		}
	rc = 0;
out:
	free(sorted);
	csv_close(&c);
	return rc;
}

static void
log_free(struct log *g)
{
	free(g->o);
	free(g->oid);
	free(g->oidoff);
	free(g->correct);
	free(g->rank);
	free(g->byrank);
	names_free(&g->users);
	names_free(&g->skills);
}

/* Opens IN: NULL or "-" is stdin.  NULL with a message on failure. */
static FILE *
open_in(const char *file)
{
	FILE *fp;

	if (file == NULL || strcmp(file, "-") == 0)
		return stdin;
	if ((fp = fopen(file, "r")) == NULL)
		cli_usage("bkt", "cannot open %s", file);
	return fp;
}

/*
 * Reads the params file into p[rank] for each skill of the log.  Every
 * skill of the log must be there; extra skills are allowed.  0 or -1 with
 * a message printed.
 */
static int
load_params(const char *file, const struct log *g, struct learn_bkt_params *p)
{
	struct csv c;
	FILE *fp;
	int cs, cpr, cl, cg, csl, r, id, rc = -1, i;
	long *seen;
	double v[4];
	size_t k;
	const struct obs *first;

	if ((fp = fopen(file, "r")) == NULL)
		return cli_usage("bkt", "cannot open params file %s", file),
		    -1;
	seen = xrealloc(NULL, (size_t)g->skills.n * sizeof(long));
	for (i = 0; i < g->skills.n; i++)
		seen[i] = 0;
	if (csv_open_file(&c, fp) == -1)
		goto bad;
	if ((cs = csv_need(&c, "skill_name")) < 0 ||
	    (cpr = csv_need(&c, "prior")) < 0 ||
	    (cl = csv_need(&c, "learn")) < 0 ||
	    (cg = csv_need(&c, "guess")) < 0 ||
	    (csl = csv_need(&c, "slip")) < 0)
		goto bad;
	while ((r = csv_next(&c)) == 1) {
		if (csv_double(&c, cpr, &v[0]) == -1 ||
		    csv_double(&c, cl, &v[1]) == -1 ||
		    csv_double(&c, cg, &v[2]) == -1 ||
		    csv_double(&c, csl, &v[3]) == -1)
			goto bad;
		if (v[0] < 0 || v[0] > 1 || v[1] < 0 || v[1] > 1 ||
		    v[2] <= 0 || v[2] >= 1 || v[3] <= 0 || v[3] >= 1) {
			csv_fail(&c, "need 0 <= prior, learn <= 1 and "
			    "0 < guess, slip < 1");
			goto bad;
		}
		if ((id = names_find(&g->skills, csv_str(&c, cs))) < 0)
			continue;
		if (seen[id]) {
			csv_fail(&c, "skill \"%s\" already on line %ld",
			    csv_str(&c, cs), seen[id]);
			goto bad;
		}
		seen[id] = c.lineno;
		p[g->rank[id]].prior = v[0];
		p[g->rank[id]].learn = v[1];
		p[g->rank[id]].guess = v[2];
		p[g->rank[id]].slip = v[3];
	}
	if (r != 0)
		goto bad;
	/* The first input line whose skill has no parameters. */
	for (k = 0, first = NULL; k < g->n; k++)
		if (!seen[g->byrank[g->o[k].skill]] &&
		    (first == NULL || g->o[k].line < first->line))
			first = &g->o[k];
	if (first != NULL)
		cli_usage("bkt", "line %ld: skill \"%s\" is not in the params "
		    "file %s", first->line,
		    g->skills.str[g->byrank[first->skill]], file);
	else
		rc = 0;
	goto out;
bad:
	fprintf(stderr, "adept: bkt: params file %s: %s\n", file,
	    csv_error(&c));
out:
	csv_close(&c);
	fclose(fp);
	free(seen);
	return rc;
}

/* Echoes a text field, quoted if it holds a comma, quote or line break. */
static void
put_field(const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s != '\0'; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

static int
do_filter(const char *pfile, FILE *in)
{
	struct log g;
	struct learn_bkt_params *p;
	struct learn_bkt_obs *res, *tmp;
	size_t a, b, k;
	int rc = 2;

	if (load(&g, in) == -1) {
		log_free(&g);
		return 2;
	}
	p = xrealloc(NULL, (size_t)g.skills.n * sizeof(*p));
	res = xrealloc(NULL, g.n * sizeof(*res));
	tmp = xrealloc(NULL, g.n * sizeof(*tmp));
	if (load_params(pfile, &g, p) == -1)
		goto out;
	for (a = 0; a < g.n; a = b) {
		for (b = a + 1; b < g.n && g.o[b].skill == g.o[a].skill &&
		    g.o[b].user == g.o[a].user; b++)
			;
		learn_bkt_filter(&p[g.o[a].skill], g.correct + a, b - a,
		    tmp + a);
		for (k = a; k < b; k++)
			res[g.o[k].row] = tmp[k];
	}
	printf("order_id,p_known_before,p_correct_pred,p_known_posterior,"
	    "p_known_next\n");
	for (k = 0; k < g.n; k++) {
		put_field(g.oid + g.oidoff[k]);
		putchar(',');
		csv_put_double(stdout, res[k].p_known_before);
		putchar(',');
		csv_put_double(stdout, res[k].p_correct_pred);
		putchar(',');
		csv_put_double(stdout, res[k].p_known_posterior);
		putchar(',');
		csv_put_double(stdout, res[k].p_known_next);
		putchar('\n');
	}
	rc = 0;
out:
	free(tmp);
	free(res);
	free(p);
	log_free(&g);
	return rc;
}

static int
do_fit(double tol, int max_iter, FILE *in)
{
	static const struct learn_bkt_params start = { 0.5, 0.1, 0.2, 0.1 };
	struct log g;
	struct learn_bkt_params p;
	struct learn_bkt_fit_info info;
	struct learn_bkt_seqs q;
	size_t *seqstart, a, b, ns;
	double *work;
	int rc = 0;

	if (load(&g, in) == -1) {
		log_free(&g);
		return 2;
	}
	seqstart = xrealloc(NULL, (g.n + 1) * sizeof(size_t));
	work = xrealloc(NULL, g.n * sizeof(double));
	printf("skill_name,prior,learn,guess,slip,loglik\n");
	for (a = 0; a < g.n; a = b) {
		ns = 0;
		for (b = a; b < g.n && g.o[b].skill == g.o[a].skill; b++)
			if (b == a || g.o[b].user != g.o[b - 1].user)
				seqstart[ns++] = b - a;
		seqstart[ns] = b - a;
		q.correct = g.correct + a;
		q.start = seqstart;
		q.nseq = ns;
		p = start;
		if (learn_bkt_fit(&q, &p, tol, max_iter, work, &info) == -1) {
			fprintf(stderr, "adept: bkt: skill \"%s\": EM did not "
			    "reach tol %g in %d steps\n",
			    g.skills.str[g.byrank[g.o[a].skill]], tol,
			    max_iter);
			rc = 1;
		}
		put_field(g.skills.str[g.byrank[g.o[a].skill]]);
		putchar(',');
		csv_put_double(stdout, p.prior);
		putchar(',');
		csv_put_double(stdout, p.learn);
		putchar(',');
		csv_put_double(stdout, p.guess);
		putchar(',');
		csv_put_double(stdout, p.slip);
		putchar(',');
		csv_put_double(stdout, info.loglik);
		putchar('\n');
	}
	free(work);
	free(seqstart);
	log_free(&g);
	return rc;
}

/* Parses a number option value; 0 or -1. */
static int
num_arg(const char *s, double lo, double hi, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return *s != '\0' && *end == '\0' && *v >= lo && *v <= hi ? 0 : -1;
}

static int
is_opt(const char *opt, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(opt, name, len) == 0;
}

int
cmd_bkt(int argc, char **argv)
{
	const char *pfile = NULL, *file = NULL, *opt, *val;
	double tol = 1e-9, mi = 100000;
	size_t olen = 0;
	FILE *in;
	int i, fit, rc;

	if (argc < 2 || (strcmp(argv[1], "filter") != 0 &&
	    strcmp(argv[1], "fit") != 0))
		return cli_usage("bkt", "%s", usage_msg);
	fit = strcmp(argv[1], "fit") == 0;
	for (i = 2; i < argc; i++) {
		opt = argv[i];
		val = NULL;
		if (strncmp(opt, "--", 2) == 0 && opt[2] != '\0') {
			if ((val = strchr(opt, '=')) != NULL)
				olen = (size_t)(val++ - opt);
			else if (i + 1 < argc) {
				olen = strlen(opt);
				val = argv[++i];
			} else
				return cli_usage("bkt", "%s needs a value; %s",
				    opt, usage_msg);
		}
		if (val == NULL) {
			if (file != NULL)
				return cli_usage("bkt", "%s", usage_msg);
			file = opt;
		} else if (!fit && is_opt(opt, olen, "--params"))
			pfile = val;
		else if (fit && is_opt(opt, olen, "--tol")) {
			if (num_arg(val, 1e-15, 1, &tol) == -1)
				return cli_usage("bkt", "--tol: \"%s\" is not "
				    "a number in [1e-15, 1]", val);
		} else if (fit && is_opt(opt, olen, "--max-iter")) {
			if (num_arg(val, 1, 1e9, &mi) == -1 || mi != (int)mi)
				return cli_usage("bkt", "--max-iter: \"%s\" is "
				    "not a whole number in [1, 1e9]", val);
		} else
			return cli_usage("bkt", "unknown option %.*s; %s",
			    (int)olen, opt, usage_msg);
	}
	if (!fit && pfile == NULL)
		return cli_usage("bkt", "filter needs --params FILE; %s",
		    usage_msg);
	if ((in = open_in(file)) == NULL)
		return 2;
	rc = fit ? do_fit(tol, (int)mi, in) : do_filter(pfile, in);
	if (in != stdin)
		fclose(in);
	if (cli_flush("bkt") != 0)
		return 1;
	return rc;
}
