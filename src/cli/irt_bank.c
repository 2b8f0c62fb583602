/*
 * irt_bank: see irt_bank.h.  Validation happens here, once, so the tools
 * can hand the items to liblearn without further checks.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "cli/irt_bank.h"

static int
by_id(const void *a, const void *b, void *arg)
{
	char *const *id = arg;

	return strcmp(id[*(const size_t *)a], id[*(const size_t *)b]);
}

void
cli_irt_bank_free(struct cli_irt_bank *bk)
{
	size_t i;

	for (i = 0; i < bk->n; i++)
		free(bk->id[i]);
	free(bk->id);
	free(bk->item);
	free(bk->sorted);
	memset(bk, 0, sizeof(*bk));
}

long
cli_irt_bank_find(const struct cli_irt_bank *bk, const char *id)
{
	size_t lo = 0, hi = bk->n, mid;
	int r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcmp(id, bk->id[bk->sorted[mid]]);
		if (r == 0)
			return (long)bk->sorted[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static int
grow(struct cli_irt_bank *bk, size_t *cap)
{
	size_t nc = *cap ? 2 * *cap : 256;
	char **id;
	struct learn_irt_item *it;

	if ((id = realloc(bk->id, nc * sizeof(*id))) == NULL)
		return -1;
	bk->id = id;
	if ((it = realloc(bk->item, nc * sizeof(*it))) == NULL)
		return -1;
	bk->item = it;
	*cap = nc;
	return 0;
}

/* Reads the rows of c into bk; 0, or -1 with the csv error set. */
static int
read_items(struct csv *c, struct cli_irt_bank *bk)
{
	struct learn_irt_item it;
	size_t cap = 0;
	int cid, ca, cb, cc, cd, r;

	if ((cid = csv_need(c, "item_id")) < 0 || (ca = csv_need(c, "a")) < 0 ||
	    (cb = csv_need(c, "b")) < 0 || (cc = csv_need(c, "c")) < 0)
		return -1;
	cd = csv_col(c, "d");
	while ((r = csv_next(c)) == 1) {
		if (csv_double(c, ca, &it.a) == -1 ||
		    csv_double(c, cb, &it.b) == -1 ||
		    csv_double(c, cc, &it.c) == -1)
			return -1;
		it.d = 1;
		if (cd >= 0 && csv_double(c, cd, &it.d) == -1)
			return -1;
		if (*csv_str(c, cid) == '\0')
			return csv_fail(c, "empty item_id");
		if (!(it.a > 0))
			return csv_fail(c, "a must be > 0");
		if (!(it.c >= 0 && it.c < it.d && it.d <= 1))
			return csv_fail(c, "need 0 <= c < d <= 1");
		if (bk->n == cap && grow(bk, &cap) == -1)
			return csv_fail(c, "out of memory");
		if ((bk->id[bk->n] = strdup(csv_str(c, cid))) == NULL)
			return csv_fail(c, "out of memory");
		bk->item[bk->n++] = it;
	}
	if (r == -1)
		return -1;
	if (bk->n == 0)
		return csv_fail(c, "no items");
	return 0;
}

int
cli_irt_bank_load(const char *tool, const char *path, struct cli_irt_bank *bk)
{
	struct csv c;
	FILE *fp;
	size_t i;
	int rc = 2;

	memset(bk, 0, sizeof(*bk));
	if ((fp = fopen(path, "r")) == NULL)
		return cli_usage(tool, "bank %s: %s", path, strerror(errno));
	if (csv_open_file(&c, fp) == -1 || read_items(&c, bk) == -1) {
		cli_usage(tool, "bank %s: %s", path, csv_error(&c));
		goto out;
	}
	if ((bk->sorted = malloc(bk->n * sizeof(*bk->sorted))) == NULL) {
		cli_usage(tool, "out of memory");
		goto out;
	}
	for (i = 0; i < bk->n; i++)
		bk->sorted[i] = i;
	qsort_r(bk->sorted, bk->n, sizeof(*bk->sorted), by_id, bk->id);
	for (i = 1; i < bk->n; i++)
		if (strcmp(bk->id[bk->sorted[i - 1]],
		    bk->id[bk->sorted[i]]) == 0) {
			cli_usage(tool, "bank %s: duplicate item_id %s", path,
			    bk->id[bk->sorted[i]]);
			goto out;
		}
	rc = 0;
out:
	csv_close(&c);
	fclose(fp);
	if (rc != 0)
		cli_irt_bank_free(bk);
	return rc;
}

int
cli_irt_args(const char *tool, int argc, char **argv, int first,
    const char **bank, enum learn_irt_method *m)
{
	const char *method = NULL;
	int i;

	*bank = NULL;
	for (i = first; i < argc; i++) {
		if (strcmp(argv[i], "--bank") == 0 && i + 1 < argc)
			*bank = argv[++i];
		else if (strcmp(argv[i], "--method") == 0 && i + 1 < argc)
			method = argv[++i];
		else
			return cli_usage(tool, "unexpected argument \"%s\" "
			    "(usage: --bank FILE --method eap|mle, CSV on "
			    "stdin)", argv[i]);
	}
	if (*bank == NULL || method == NULL)
		return cli_usage(tool, "usage: --bank FILE --method eap|mle "
		    "(CSV on stdin)");
	if (strcmp(method, "eap") == 0)
		*m = LEARN_IRT_EAP;
	else if (strcmp(method, "mle") == 0)
		*m = LEARN_IRT_MLE;
	else
		return cli_usage(tool, "--method must be eap or mle, not "
		    "\"%s\"", method);
	return 0;
}

void
cli_irt_put_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}
