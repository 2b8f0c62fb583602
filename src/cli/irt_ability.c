/*
 * irt ability: ability of fixed-form response patterns given an item bank.
 *
 *   adept irt ability --bank FILE --method eap|mle  < patterns.csv
 *
 * Input columns (by name): pattern_id, item_ids, responses, the two lists
 * space-separated and of equal length.  Output: pattern_id, theta, se with
 * se = 1/sqrt(test information at theta), jscat's convention for both
 * methods.  EAP uses jscat's 121-node grid and N(0, 1) prior; MLE is the
 * exact maximiser on [-6, 6] (-6 / 6 for all-wrong / all-correct answers,
 * where no MLE exists).  The subcommand is dispatched by src/cli/irt.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "cli/irt_bank.h"
#include "learn/irt.h"

struct pattern {
	struct learn_irt_item	*item;
	unsigned char		*resp;
	size_t			 n, cap;
	char			*buf;		/* copy of a list to split */
	size_t			 bufcap;
};

/* A writable copy of s in p->buf, or NULL if out of memory. */
static char *
copy(struct pattern *p, const char *s)
{
	size_t len = strlen(s) + 1;
	char *nb;

	if (len > p->bufcap) {
		if ((nb = realloc(p->buf, len)) == NULL)
			return NULL;
		p->buf = nb;
		p->bufcap = len;
	}
	return memcpy(p->buf, s, len);
}

static int
push(struct pattern *p, size_t n)
{
	struct learn_irt_item *it;
	unsigned char *r;
	size_t nc;

	if (n < p->cap)
		return 0;
	nc = p->cap ? 2 * p->cap : 64;
	if ((it = realloc(p->item, nc * sizeof(*it))) == NULL)
		return -1;
	p->item = it;
	if ((r = realloc(p->resp, nc)) == NULL)
		return -1;
	p->resp = r;
	p->cap = nc;
	return 0;
}

/* Fills p from the row's two lists; 0, or -1 with the csv error set. */
static int
parse(struct csv *c, int cids, int cresp, const struct cli_irt_bank *bk,
    struct pattern *p)
{
	static const char sep[] = " \t";
	char *s, *tok, *save = NULL;
	size_t nr = 0;
	long ix;

	p->n = 0;
	if ((s = copy(p, csv_str(c, cids))) == NULL)
		return csv_fail(c, "out of memory");
	for (tok = strtok_r(s, sep, &save); tok != NULL;
	    tok = strtok_r(NULL, sep, &save)) {
		if ((ix = cli_irt_bank_find(bk, tok)) < 0)
			return csv_fail(c, "unknown item \"%s\"", tok);
		if (push(p, p->n) == -1)
			return csv_fail(c, "out of memory");
		p->item[p->n++] = bk->item[ix];
	}
	if (p->n == 0)
		return csv_fail(c, "no item_ids");
	if ((s = copy(p, csv_str(c, cresp))) == NULL)
		return csv_fail(c, "out of memory");
	for (tok = strtok_r(s, sep, &save); tok != NULL;
	    tok = strtok_r(NULL, sep, &save)) {
		if (strcmp(tok, "0") != 0 && strcmp(tok, "1") != 0)
			return csv_fail(c, "response \"%s\" is not 0 or 1",
			    tok);
		if (nr < p->n)
			p->resp[nr] = (unsigned char)(tok[0] - '0');
		nr++;
	}
	if (nr != p->n)
		return csv_fail(c, "%zu item_ids but %zu responses", p->n,
		    nr);
	return 0;
}

int
cli_irt_ability(int argc, char **argv)
{
	const char *tool = "irt ability", *bankpath;
	enum learn_irt_method m;
	struct cli_irt_bank bk;
	struct learn_irt_grid g;
	struct pattern p;
	struct csv c;
	double theta;
	int rc, r, cid, cids, cresp;

	if ((rc = cli_irt_args(tool, argc, argv, 1, &bankpath, &m)) != 0)
		return rc;
	if ((rc = cli_irt_bank_load(tool, bankpath, &bk)) != 0)
		return rc;
	memset(&p, 0, sizeof(p));
	(void)learn_irt_grid_jscat(&g, LEARN_IRT_THETA_MIN,
	    LEARN_IRT_THETA_MAX, 0.1, 0, 1);
	if (csv_open_file(&c, stdin) == -1) {
		rc = cli_csv_fail(tool, &c);
		goto out;	/* csv_close frees what the failed open took */
	}
	if ((cid = csv_need(&c, "pattern_id")) < 0 ||
	    (cids = csv_need(&c, "item_ids")) < 0 ||
	    (cresp = csv_need(&c, "responses")) < 0) {
		rc = cli_csv_fail(tool, &c);
		goto out;
	}
	printf("pattern_id,theta,se\n");
	while ((r = csv_next(&c)) == 1) {
		if (parse(&c, cids, cresp, &bk, &p) == -1) {
			r = -1;
			break;
		}
		if (m == LEARN_IRT_EAP)
			theta = learn_irt_eap(&g, p.item, p.resp, p.n, NULL);
		else
			(void)learn_irt_mle(p.item, p.resp, p.n,
			    LEARN_IRT_THETA_MIN, LEARN_IRT_THETA_MAX, &theta);
		cli_irt_put_field(stdout, csv_str(&c, cid));
		putchar(',');
		csv_put_double(stdout, theta);
		putchar(',');
		csv_put_double(stdout, learn_irt_se(p.item, p.n, theta));
		putchar('\n');
	}
	rc = r == -1 ? cli_csv_fail(tool, &c) : 0;
	if (cli_flush(tool) != 0 && rc == 0)
		rc = 1;
out:
	csv_close(&c);
	free(p.item);
	free(p.resp);
	free(p.buf);
	cli_irt_bank_free(&bk);
	return rc;
}
