/*
 * adept: the command-line tool.  One table of subcommands; each lives in its
 * own file under src/cli/.  Database commands find the database from the
 * same environment `make start` uses (see src/base/config.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cli.h"

struct cmd {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*help;
};

static const struct cmd cmds[] = {
	{ "migrate", cmd_migrate, "apply sql/migrations/ in order, once each" },
	{ "seed", cmd_seed, "seed the demo site (once)" },
	{ "user", cmd_user, "user add --email E --password P --name N --role R" },
	{ "routes", cmd_routes, "print the routing table (method, path, role, flags)" },
	{ "mfa", cmd_mfa, "mfa reset|require|optional EMAIL: two-factor by hand" },
	{ "worker", cmd_worker, "worker [--once]: run background jobs until SIGTERM" },
	{ "fsrs", cmd_fsrs, "fsrs replay: FSRS-6 over a review log (CSV)" },
	{ "sm2", cmd_sm2, "sm2 replay: SM-2 over a review log (CSV)" },
	{ "bkt", cmd_bkt, "bkt filter|fit: Bayesian knowledge tracing" },
	{ "irt", cmd_irt, "irt rasch-cml|fit|ability: item response theory" },
	{ "cat", cmd_cat, "cat replay: adaptive testing over recorded sessions" },
	{ "linucb", cmd_linucb, "linucb replay: contextual bandit replay" },
	{ "mail", cmd_mail, "mail send|weekly|certificate: outbox by hand" },
	/* issue 5, calib */
	{ "calibrate", cmd_calibrate, "calibrate [--min-n N] [--model rasch|2pl]: fit items" },
	/* issue 8, gen */
	{ "gen", cmd_gen, "gen objectives|lesson|quiz|ask FILE...: content from material" },
	/* issue 9, fraud */
	{ "fraud", cmd_fraud, "fraud scan [--hours N]: raise fraud and anomaly flags now" },
};

int
cli_csv_fail(const char *tool, const struct csv *c)
{
	fprintf(stderr, "adept: %s: %s\n", tool, csv_error(c));
	return 2;
}

int
cli_flush(const char *tool)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "adept: %s: writing output: %s\n", tool,
		    strerror(errno));
		return 1;
	}
	return 0;
}

int
cli_usage(const char *tool, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "adept: %s: ", tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static void
usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: adept <command> [args]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(fp, "  %-8s %s\n", cmds[i].name, cmds[i].help);
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "adept: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
