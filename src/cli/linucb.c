/* Placeholder until the linucb tool lands; replaced by its own file. */
#include "cli/cli.h"

int
cmd_linucb(int argc, char **argv)
{
	return cli_usage("linucb", "not built yet");
}
