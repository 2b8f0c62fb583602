/*
 * adept irt: item calibration from a response matrix, and ability.
 *
 *   adept irt rasch-cml [IN]                 Rasch by conditional ML
 *   adept irt fit --model rasch|2pl|3pl [--nodes N] [--tol T]
 *       [--max-iter N] [IN]                  marginal ML by EM, D = 1
 *   adept irt ability ...                    see src/cli/irt_ability.c
 *
 * IN (a file, or stdin when absent or "-") has a column person_id and one
 * column per item, each value 0, 1 or NA.  rasch-cml prints item,
 * difficulty, se (difficulties sum to zero); fit prints item, a, b, c
 * (P = c + (1 - c) / (1 + exp(-a (theta - b))); rasch: a = 1, c = 0 and
 * theta ~ N(0, sigma^2) with E[theta] = 0; 2pl/3pl: theta ~ N(0, 1), 3pl
 * with BILOG-MG's default priors on a and c).  Items in input column order.
 * Bad input is one message naming the line or the item, exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "cli/irt_bank.h"
#include "learn/irt_fit.h"

static const char usage_msg[] =
    "usage: adept irt rasch-cml [IN] | adept irt fit --model rasch|2pl|3pl "
    "[--nodes N] [--tol T] [--max-iter N] [IN] | adept irt ability ... "
    "(IN absent or - = stdin)";

struct matrix {
	signed char	*x;		/* n rows of k */
	size_t		 n, k, cap;
	int		*col;		/* csv column of item j */
};

/* Reads the response matrix; -1 with the csv error set. */
static int
read_matrix(struct csv *c, struct matrix *m)
{
	const char *s;
	signed char v;
	size_t j;
	int pid, i, r;

	if ((pid = csv_need(c, "person_id")) < 0)
		return -1;
	if ((m->col = calloc((size_t)c->nhdr, sizeof(int))) == NULL)
		return csv_fail(c, "out of memory");
	for (i = 0; i < c->nhdr; i++)
		if (i != pid)
			m->col[m->k++] = i;
	if (m->k == 0)
		return csv_fail(c, "no item columns besides person_id");
	while ((r = csv_next(c)) == 1) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 1024;
			if ((m->x = realloc(m->x, m->cap * m->k)) == NULL)
				return csv_fail(c, "out of memory");
		}
		for (j = 0; j < m->k; j++) {
			s = csv_str(c, m->col[j]);
			if (strcmp(s, "0") == 0)
				v = 0;
			else if (strcmp(s, "1") == 0)
				v = 1;
			else if (strcmp(s, "NA") == 0)
				v = LEARN_IRTFIT_NA;
			else
				return csv_fail(c, "column %s: \"%s\" is not "
				    "0, 1 or NA", c->hdr[m->col[j]], s);
			m->x[m->n * m->k + j] = v;
		}
		m->n++;
	}
	if (r == -1)
		return -1;
	if (m->n == 0)
		return csv_fail(c, "no response rows after the header");
	return 0;
}

/* Message for a data-object error; returns the exit status. */
static int
data_fail(const char *tool, const struct csv *c, const struct matrix *m,
    int st, size_t bad)
{
	const char *name;
	size_t j, n = 0;

	if (st == LEARN_IRTFIT_ENOMEM)
		return cli_usage(tool, "out of memory");
	if (st != LEARN_IRTFIT_EEMPTY && st != LEARN_IRTFIT_ECONST &&
	    st != LEARN_IRTFIT_EUNBOUNDED)
		return cli_usage(tool, "%s", learn_irtfit_strerror(st));
	name = c->hdr[m->col[bad]];
	if (st == LEARN_IRTFIT_EEMPTY)
		return cli_usage(tool, "item %s has no responses (all NA)",
		    name);
	if (st == LEARN_IRTFIT_EUNBOUNDED)
		return cli_usage(tool, "item %s: CML estimates do not exist: "
		    "the persons whose score is neither 0 nor full all got "
		    "this item (or a group of items holding it) right, or "
		    "all got it wrong", name);
	for (j = 0; j < m->n; j++)
		if (m->x[j * m->k + bad] != LEARN_IRTFIT_NA)
			n++;
	for (j = 0; j < m->n; j++)
		if (m->x[j * m->k + bad] != LEARN_IRTFIT_NA)
			break;
	return cli_usage(tool, "item %s: all %zu responses are %d; its "
	    "parameters cannot be estimated", name, n, m->x[j * m->k + bad]);
}

static FILE *
open_in(const char *tool, const char *file)
{
	FILE *fp;

	if (file == NULL || strcmp(file, "-") == 0)
		return stdin;
	if ((fp = fopen(file, "r")) == NULL)
		cli_usage(tool, "cannot open %s", file);
	return fp;
}

static int
parse_int(const char *tool, const char *opt, const char *s, int *v)
{
	char *end;
	long l = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || l < 1 || l > 1000000)
		return cli_usage(tool, "%s wants a positive integer, not "
		    "\"%s\"", opt, s);
	*v = (int)l;
	return 0;
}

int
cmd_irt(int argc, char **argv)
{
	const char *tool, *file = NULL, *model = NULL;
	struct learn_irtfit_opts o;
	struct learn_irtfit_data *d = NULL;
	struct learn_irtfit_cml cres;
	struct learn_irtfit_mml mres;
	struct matrix m;
	struct csv c;
	double *a = NULL, *b = NULL, *cc = NULL, *se = NULL;
	char *end;
	FILE *fp;
	size_t j, bad;
	int i, cml, st, rc = 2, nodes = 0, maxit = 0;
	double tol = 0;

	if (argc >= 2 && strcmp(argv[1], "ability") == 0)
		return cli_irt_ability(argc - 1, argv + 1);
	if (argc < 2 || (strcmp(argv[1], "rasch-cml") != 0 &&
	    strcmp(argv[1], "fit") != 0))
		return cli_usage("irt", "%s", usage_msg);
	cml = strcmp(argv[1], "rasch-cml") == 0;
	tool = cml ? "irt rasch-cml" : "irt fit";
	for (i = 2; i < argc; i++) {
		if (!cml && i + 1 < argc && strcmp(argv[i], "--model") == 0)
			model = argv[++i];
		else if (!cml && i + 1 < argc &&
		    strcmp(argv[i], "--nodes") == 0) {
			if (parse_int(tool, "--nodes", argv[++i], &nodes))
				return 2;
		} else if (!cml && i + 1 < argc &&
		    strcmp(argv[i], "--max-iter") == 0) {
			if (parse_int(tool, "--max-iter", argv[++i], &maxit))
				return 2;
		} else if (!cml && i + 1 < argc &&
		    strcmp(argv[i], "--tol") == 0) {
			tol = strtod(argv[++i], &end);
			if (*argv[i] == '\0' || *end != '\0' || !(tol > 0))
				return cli_usage(tool, "--tol wants a positive "
				    "number, not \"%s\"", argv[i]);
		} else if (file == NULL && (argv[i][0] != '-' ||
		    strcmp(argv[i], "-") == 0))
			file = argv[i];
		else
			return cli_usage(tool, "unexpected argument \"%s\" "
			    "(%s)", argv[i], usage_msg);
	}
	if (!cml) {
		if (model == NULL)
			return cli_usage(tool, "--model rasch|2pl|3pl is "
			    "required");
		if (strcmp(model, "rasch") == 0)
			learn_irtfit_opts_default(&o, LEARN_IRTFIT_RASCH);
		else if (strcmp(model, "2pl") == 0)
			learn_irtfit_opts_default(&o, LEARN_IRTFIT_2PL);
		else if (strcmp(model, "3pl") == 0)
			learn_irtfit_opts_default(&o, LEARN_IRTFIT_3PL);
		else
			return cli_usage(tool, "--model must be rasch, 2pl or "
			    "3pl, not \"%s\"", model);
		if (nodes != 0) {
			if (nodes < 3 || nodes > LEARN_IRTFIT_MAXNODES)
				return cli_usage(tool, "--nodes must be 3..%d",
				    LEARN_IRTFIT_MAXNODES);
			o.nodes = nodes;
		}
		if (maxit != 0)
			o.max_iter = maxit;
		if (tol != 0)
			o.tol = tol;
	}

	if ((fp = open_in(tool, file)) == NULL)
		return 2;
	memset(&m, 0, sizeof(m));
	if (csv_open_file(&c, fp) == -1) {
		rc = cli_csv_fail(tool, &c);
		goto out_fp;
	}
	if (read_matrix(&c, &m) == -1) {
		rc = cli_csv_fail(tool, &c);
		goto out;
	}
	st = learn_irtfit_data_new(&d, m.x, m.n, m.k, &bad);
	if (st != LEARN_IRTFIT_OK) {
		rc = data_fail(tool, &c, &m, st, bad);
		goto out;
	}
	if ((a = calloc(m.k, sizeof(double))) == NULL ||
	    (b = calloc(m.k, sizeof(double))) == NULL ||
	    (cc = calloc(m.k, sizeof(double))) == NULL ||
	    (se = calloc(m.k, sizeof(double))) == NULL) {
		rc = cli_usage(tool, "out of memory");
		goto out;
	}
	if (cml) {
		st = learn_irtfit_rasch_cml(d, b, se, &cres);
		if (st == LEARN_IRTFIT_EUNBOUNDED) {
			rc = data_fail(tool, &c, &m, st, cres.bad);
			goto out;
		}
	} else
		st = learn_irtfit_mml(d, &o, a, b, cc, &mres);
	if (st != LEARN_IRTFIT_OK) {
		fprintf(stderr, "adept: %s: %s\n", tool,
		    learn_irtfit_strerror(st));
		rc = 1;
		goto out;
	}
	printf(cml ? "item,difficulty,se\n" : "item,a,b,c\n");
	for (j = 0; j < m.k; j++) {
		cli_irt_put_field(stdout, c.hdr[m.col[j]]);
		if (cml) {
			putchar(',');
			csv_put_double(stdout, b[j]);
			putchar(',');
			csv_put_double(stdout, se[j]);
		} else {
			putchar(',');
			csv_put_double(stdout, a[j]);
			putchar(',');
			csv_put_double(stdout, b[j]);
			putchar(',');
			csv_put_double(stdout, cc[j]);
		}
		putchar('\n');
	}
	rc = cli_flush("irt");
out:
	free(a);
	free(b);
	free(cc);
	free(se);
	learn_irtfit_data_free(d);
	free(m.x);
	free(m.col);
	csv_close(&c);
out_fp:
	if (fp != stdin)
		fclose(fp);
	return rc;
}
