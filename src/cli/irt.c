/* Placeholder until the irt tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_irt(int argc, char **argv)
{
	return cli_usage("irt", "not built yet");
}
