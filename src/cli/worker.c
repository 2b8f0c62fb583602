/*
 * worker: `adept worker [--once]`, the background job runner
 * (src/jobs/worker.c).  --once runs what is due now and exits (cron, tests).
 */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "cli/cli.h"
#include "jobs/jobs.h"
#include "out/storage.h"

int
cmd_worker(int argc, char **argv)
{
	struct config cfg;
	int once = 0, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else
			return cli_usage("worker", "unknown option \"%s\" "
			    "(usage: adept worker [--once])", argv[i]);
	}
	config_init(&cfg);
	setvbuf(stderr, NULL, _IOLBF, 0);
	/* Jobs remove (upload_cleanup) and read (material_index) kept
	 * files through the configured backend. */
	if (storage_init(&cfg) == -1)
		return 1;
	return jobs_worker_run(&cfg, once);
}
