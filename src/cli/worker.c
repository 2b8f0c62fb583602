/* Placeholder until the worker tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_worker(int argc, char **argv)
{
	return cli_usage("worker", "not built yet");
}
