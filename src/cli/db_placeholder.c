/* Placeholder until the database commands land. */
#include "cli/cli.h"

int
cmd_migrate(int argc, char **argv)
{
	return cli_usage("migrate", "not built yet");
}

int
cmd_seed(int argc, char **argv)
{
	return cli_usage("seed", "not built yet");
}

int
cmd_user(int argc, char **argv)
{
	return cli_usage("user", "not built yet");
}
