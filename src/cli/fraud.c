/*
 * fraud: `adept fraud scan [--hours N]` runs the fraud and anomaly scan
 * now, as the nightly "fraud_scan" job does (src/jobs/fraud.c), over the
 * last N hours (default ADEPT_FRAUD_LOOKBACK_HOURS or 24), with the
 * thresholds from the environment, and prints each flag it wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "cli/cli.h"
#include "db/db.h"
#include "jobs/fraud.h"

#define USAGE	"usage: adept fraud scan [--hours N]"

static void
print_flag(void *arg, int64_t id, int created, const char *kind,
    const char *evidence)
{
	printf("#%lld %s (%s): %s\n", (long long)id, kind, created ? "new" :
	    "refreshed", evidence);
}

int
cmd_fraud(int argc, char **argv)
{
	struct learn_anomaly_params params;
	struct fraud_report rep;
	struct config cfg;
	struct arena a;
	struct db db;
	double lookback = fraud_lookback_s();
	char *end;
	int i, rc;

	if (argc < 2 || strcmp(argv[1], "scan") != 0)
		return cli_usage("fraud", USAGE);
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--hours") == 0 && i + 1 < argc) {
			lookback = strtod(argv[++i], &end);
			if (*end != '\0' || !(lookback >= 1 &&
			    lookback <= 8760))
				return cli_usage("fraud", "--hours needs a "
				    "number from 1 to 8760");
			lookback *= 3600;
		} else
			return cli_usage("fraud", USAGE);
	}
	fraud_params(&params);
	config_init(&cfg);
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: fraud: %s\n", db.err);
		return 1;
	}
	arena_init(&a, 64 * 1024);
	if (fraud_scan_run(&db, &a, &params, lookback, &rep, print_flag,
	    NULL) != 0) {
		fprintf(stderr, "adept: fraud: %s\n", rep.err);
		rc = 1;
	} else {
		printf("scanned %d quizzes (%d answers), %d sign-ups and %d "
		    "attempt starts: %d flags (%d fast correct, %d similar "
		    "pairs, %d bursts, %d guessing): %d new, %d refreshed, "
		    "%d already decided\n", rep.assessments, rep.responses,
		    rep.signups, rep.starts, rep.created + rep.refreshed +
		    rep.kept, rep.found[LEARN_ANOMALY_FAST_CORRECT],
		    rep.found[LEARN_ANOMALY_SIMILARITY],
		    rep.found[LEARN_ANOMALY_BURST],
		    rep.found[LEARN_ANOMALY_GUESSING], rep.created,
		    rep.refreshed, rep.kept);
		rc = cli_flush("fraud");
	}
	arena_free(&a);
	db_close(&db);
	return rc;
}
