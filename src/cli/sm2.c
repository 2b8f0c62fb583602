/* Placeholder until the sm2 tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_sm2(int argc, char **argv)
{
	return cli_usage("sm2", "not built yet");
}
