/*
 * cli: the `adept` command.  Each subcommand is a function taking the
 * arguments after its name (argv[0] is the subcommand) and returning the
 * process exit status: 0 success, 1 failure (e.g. a duplicate e-mail),
 * 2 bad usage or bad input.
 */
#ifndef ADEPT_CLI_H
#define ADEPT_CLI_H

#include <stdio.h>

struct csv;

int	cmd_migrate(int, char **);
int	cmd_seed(int, char **);
int	cmd_user(int, char **);
int	cmd_routes(int, char **);	/* src/cli/routes.c (issue 9, harden) */
int	cmd_mfa(int, char **);		/* src/cli/mfa.c (issue 9, harden) */
int	cmd_worker(int, char **);
int	cmd_fsrs(int, char **);
int	cmd_sm2(int, char **);
int	cmd_bkt(int, char **);
int	cmd_irt(int, char **);
int	cli_irt_ability(int, char **);	/* `irt ability`, from cmd_irt */
int	cmd_cat(int, char **);
int	cmd_linucb(int, char **);
int	cmd_mail(int, char **);	/* src/cli/mail.c (issue 7, mail) */
int	cmd_calibrate(int, char **);	/* src/cli/calibrate.c (issue 5, calib) */
int	cmd_gen(int, char **);		/* src/cli/gen.c (issue 8, gen) */
int	cmd_fraud(int, char **);	/* src/cli/fraud.c (issue 9, fraud) */

/* Flushes standard output: 0, or 1 after "adept: <tool>: writing output:
 * <reason>" on stderr (a full disk or a closed pipe is a failure). */
int	cli_flush(const char *tool);
/* Prints "adept: <tool>: <csv error>" to stderr and returns 2. */
int	cli_csv_fail(const char *tool, const struct csv *);
/* Prints "adept: <tool>: <message>" to stderr and returns 2. */
int	cli_usage(const char *tool, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
