/*
 * adept migrate: applies sql/migrations/ to the configured database.
 */
#include <stdio.h>

#include "base/config.h"
#include "cli/cli.h"
#include "db/migrate.h"

int
cmd_migrate(int argc, char **argv)
{
	struct config cfg;
	char dir[600];
	int n;

	if (argc > 1)
		return cli_usage("migrate", "takes no arguments");
	config_init(&cfg);
	snprintf(dir, sizeof(dir), "%s/sql/migrations", cfg.root);
	if ((n = db_migrate(cfg.db, dir)) < 0)
		return 1;
	if (n == 0)
		printf("adept: database is up to date\n");
	return 0;
}
