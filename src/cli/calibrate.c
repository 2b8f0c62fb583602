/*
 * calibrate: `adept calibrate [--min-n N] [--model rasch|2pl]` fits item
 * versions with at least N learners' answers (default
 * ADEPT_CALIBRATE_MIN_N or 30) now, as the nightly "calibrate" job does
 * (src/jobs/calibrate.c), and prints what it fitted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "cli/cli.h"
#include "db/db.h"
#include "jobs/calibrate.h"

#define USAGE	"usage: adept calibrate [--min-n N] [--model rasch|2pl]"

int
cmd_calibrate(int argc, char **argv)
{
	struct calibrate_report rep;
	struct config cfg;
	struct arena a;
	struct db db;
	char *end;
	int min_n = calibrate_min_n_default(), model = 0, i, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--min-n") == 0 && i + 1 < argc) {
			min_n = (int)strtol(argv[++i], &end, 10);
			if (*end != '\0' || min_n < 2)
				return cli_usage("calibrate", "--min-n needs "
				    "a number of at least 2");
		} else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "rasch") == 0)
				model = 0;
			else if (strcmp(argv[i], "2pl") == 0)
				model = 1;
			else
				return cli_usage("calibrate", "--model is "
				    "rasch or 2pl");
		} else
			return cli_usage("calibrate", USAGE);
	}
	config_init(&cfg);
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: calibrate: %s\n", db.err);
		return 1;
	}
	arena_init(&a, 64 * 1024);
	if (calibrate_run(&db, &a, min_n, model, &rep) != 0) {
		fprintf(stderr, "adept: calibrate: %s\n", rep.err);
		rc = 1;
	} else {
		printf("calibrated %d items (%d left out: all answered alike), "
		    "%d persons, %d responses, loglik %.6f, %d iterations, "
		    "%s\n", rep.items, rep.dropped, rep.persons, rep.responses,
		    rep.loglik, rep.iterations, rep.items == 0 ? "nothing to fit" :
		    rep.converged ? "converged" : "NOT converged");
		rc = cli_flush("calibrate");
	}
	arena_free(&a);
	db_close(&db);
	return rc;
}
