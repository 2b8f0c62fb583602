/* Placeholder until the cat tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_cat(int argc, char **argv)
{
	return cli_usage("cat", "not built yet");
}
