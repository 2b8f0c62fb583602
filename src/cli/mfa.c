/*
 * adept mfa reset|require|optional EMAIL: the operator's way out of a
 * two-factor lockout (issue 9, harden).
 *
 * reset turns the account's TOTP off, deletes its recovery codes and ends
 * all its sessions (an admin then enrols again at the next sign-in);
 * require / optional set the account's own "must have a second factor"
 * flag.  Each change is written to the audit log.  Exit 0, 1 (no such
 * account, database error), or 2 (usage).
 */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "cli/cli.h"
#include "db/db.h"

#define USAGE	"usage: adept mfa reset|require|optional EMAIL"

int
cmd_mfa(int argc, char **argv)
{
	struct config cfg;
	struct arena a;
	struct db db;
	const char *p[4], *action;
	int64_t id;
	int n, rc = 1;

	if (argc != 3)
		return cli_usage("mfa", USAGE);
	if (strcmp(argv[1], "reset") == 0)
		action = "user.mfa_reset";
	else if (strcmp(argv[1], "require") == 0)
		action = "user.mfa_require";
	else if (strcmp(argv[1], "optional") == 0)
		action = "user.mfa_optional";
	else
		return cli_usage("mfa", USAGE);
	config_init(&cfg);
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: %s\n", db.err);
		db_close(&db);
		return 1;
	}
	arena_init(&a, 0);
	p[0] = argv[2];
	if ((n = db_exec(&db, STMT_USER_BY_EMAIL, 1, p)) != 1) {
		fprintf(stderr, "adept: mfa: %s\n", n == 0 ?
		    "no account has this e-mail" : "database error");
		goto out;
	}
	id = db_i64(&db, 0, 0);
	p[0] = db_i64s(&a, id);
	if (db_begin(&db) == -1)
		goto fail;
	if (strcmp(argv[1], "reset") == 0) {
		if (db_exec(&db, STMT_SECURITY_TOTP_DISABLE, 1, p) != 1 ||
		    db_exec(&db, STMT_SECURITY_RECOVERY_CLEAR, 1, p) < 0 ||
		    db_exec(&db, STMT_REFRESH_REVOKE_USER, 1, p) < 0)
			goto fail;
	} else {
		p[1] = strcmp(argv[1], "require") == 0 ? "true" : "false";
		if (db_exec(&db, STMT_SECURITY_MFA_REQUIRED_SET, 2, p) != 1)
			goto fail;
	}
	p[0] = NULL;
	p[1] = action;
	p[2] = arena_printf(&a, "user:%lld", (long long)id);
	p[3] = "{\"by\":\"cli\"}";
	if (db_exec(&db, STMT_AUDIT_INSERT, 4, p) != 1 || db_commit(&db) != 0)
		goto fail;
	printf("%s: %s\n", argv[2], argv[1]);
	rc = cli_flush("mfa");
	goto out;
fail:
	db_rollback(&db);
	fprintf(stderr, "adept: mfa: database error\n");
out:
	db_close(&db);
	arena_free(&a);
	return rc;
}
