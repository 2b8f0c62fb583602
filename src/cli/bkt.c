/* Placeholder until the bkt tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_bkt(int argc, char **argv)
{
	return cli_usage("bkt", "not built yet");
}
