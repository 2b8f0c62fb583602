/* Placeholder until the fsrs tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_fsrs(int argc, char **argv)
{
	return cli_usage("fsrs", "not built yet");
}
