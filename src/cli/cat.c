/*
 * cat replay: adaptive tests driven by recorded answers.
 *
 *   adept cat replay --bank FILE --method eap|mle  < sessions.csv
 *
 * Input columns (by name): session_id, step, item_id, response; the rows of
 * a session are consecutive with steps 1, 2, ...  The library picks every
 * item itself (maximum Fisher information at the current theta over the
 * items the session has not seen, start theta 0, as jscat's MFI) and
 * applies the recorded response of that step to it; the recorded item_id
 * is only checked to exist.  So the output reproduces a recorded session
 * exactly when the library's estimates equal those that chose it (EAP on
 * jscat's grid does; jscat's MLE after all-equal answers is an optimiser
 * artefact, where ours sits at the bound -6 or 6, so MLE runs diverge).
 * Output: session_id, step, item_id (the picked item), theta_after,
 * se_after.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"
#include "cli/irt_bank.h"
#include "learn/irt.h"

struct replay {
	struct cli_irt_bank	 bk;
	struct learn_irt_bank	*bank;
	struct learn_irt_cat	*cat;
	enum learn_irt_method	 method;
	char			*sid;		/* current session id */
};

/* One input row: 0, or -1 with the csv error set. */
static int
step(struct replay *rp, struct csv *c, const int col[4])
{
	const char *sid = csv_str(c, col[0]);
	int64_t st;
	int resp;
	long pick;

	if (csv_int64(c, col[1], &st) == -1)
		return -1;
	if (cli_irt_bank_find(&rp->bk, csv_str(c, col[2])) < 0)
		return csv_fail(c, "unknown item \"%s\"", csv_str(c, col[2]));
	if (strcmp(csv_str(c, col[3]), "0") == 0)
		resp = 0;
	else if (strcmp(csv_str(c, col[3]), "1") == 0)
		resp = 1;
	else
		return csv_fail(c, "response \"%s\" is not 0 or 1",
		    csv_str(c, col[3]));

	if (rp->sid == NULL || strcmp(rp->sid, sid) != 0) {
		if (st != 1)
			return csv_fail(c, "session %s starts at step %lld, "
			    "not 1", sid, (long long)st);
		learn_irt_cat_free(rp->cat);
		free(rp->sid);
		rp->sid = NULL;
		if ((rp->cat = learn_irt_cat_new(rp->bank, rp->method)) ==
		    NULL || (rp->sid = strdup(sid)) == NULL)
			return csv_fail(c, "out of memory");
	} else if (st != (int64_t)rp->cat->n + 1)
		return csv_fail(c, "session %s: step %lld after step %zu", sid,
		    (long long)st, rp->cat->n);

	if ((pick = learn_irt_cat_next(rp->cat, NULL)) < 0)
		return csv_fail(c, "session %s: step %lld but the bank has "
		    "only %zu items", sid, (long long)st, rp->bk.n);
	(void)learn_irt_cat_answer(rp->cat, (size_t)pick, resp);

	cli_irt_put_field(stdout, sid);
	printf(",%lld,", (long long)st);
	cli_irt_put_field(stdout, rp->bk.id[pick]);
	putchar(',');
	csv_put_double(stdout, rp->cat->theta);
	putchar(',');
	csv_put_double(stdout, rp->cat->se);
	putchar('\n');
	return 0;
}

int
cmd_cat(int argc, char **argv)
{
	static const char *names[4] = { "session_id", "step", "item_id",
	    "response" };
	const char *tool = "cat replay", *bankpath;
	struct replay rp;
	struct csv c;
	int col[4], rc, r, i;

	if (argc < 2 || strcmp(argv[1], "replay") != 0)
		return cli_usage("cat", "usage: adept cat replay --bank FILE "
		    "--method eap|mle < sessions.csv");
	memset(&rp, 0, sizeof(rp));
	if ((rc = cli_irt_args(tool, argc, argv, 2, &bankpath,
	    &rp.method)) != 0)
		return rc;
	if ((rc = cli_irt_bank_load(tool, bankpath, &rp.bk)) != 0)
		return rc;
	if ((rp.bank = learn_irt_bank_new(rp.bk.item, rp.bk.n, NULL, 0)) ==
	    NULL) {
		rc = cli_usage(tool, "out of memory");
		goto out_bank;
	}
	if (csv_open_file(&c, stdin) == -1) {
		rc = cli_csv_fail(tool, &c);
		goto out;	/* csv_close frees what the failed open took */
	}
	for (i = 0; i < 4; i++)
		if ((col[i] = csv_need(&c, names[i])) < 0) {
			rc = cli_csv_fail(tool, &c);
			goto out;
		}
	printf("session_id,step,item_id,theta_after,se_after\n");
	while ((r = csv_next(&c)) == 1)
		if (step(&rp, &c, col) == -1) {
			r = -1;
			break;
		}
	rc = r == -1 ? cli_csv_fail(tool, &c) : 0;
	if (cli_flush(tool) != 0 && rc == 0)
		rc = 1;
out:
	csv_close(&c);
out_bank:
	learn_irt_cat_free(rp.cat);
	free(rp.sid);
	learn_irt_bank_free(rp.bank);
	cli_irt_bank_free(&rp.bk);
	return rc;
}
