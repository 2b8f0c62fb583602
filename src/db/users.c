/*
 * users: see users.h.  The hash is computed before the transaction opens,
 * so the ~0.1 s of argon2id never holds a database snapshot.
 */
#include <stdio.h>
#include <string.h>

#include "base/password.h"
#include "db/db.h"
#include "db/users.h"

int
db_user_create(struct db *d, const char *email, const char *name,
    const char *password, const char *role, int64_t *id)
{
	return db_user_create_from(d, email, name, password, role, NULL, NULL,
	    NULL, id);
}

int
db_user_create_from(struct db *d, const char *email, const char *name,
    const char *password, const char *role, const char *addr,
    db_user_then then, void *arg, int64_t *id)
{
	char hash[PASSWORD_HASH_MAX], idbuf[24];
	const char *p[5];
	int n;

	if (password_hash(password, strlen(password), hash) == -1)
		return DB_HARD;
	if (db_begin(d) == -1)
		return DB_RETRY;
	p[0] = email;
	p[1] = name;
	p[2] = hash;
	p[3] = role;
	p[4] = addr;
	if ((n = db_exec(d, STMT_USER_INSERT, 5, p)) != 1)
		goto fail;
	*id = db_i64(d, 0, 0);
	snprintf(idbuf, sizeof(idbuf), "%lld", (long long)*id);
	p[0] = idbuf;
	if (strcmp(role, "learner") == 0 &&
	    (n = db_exec(d, STMT_LEARNER_PROFILE_INSERT, 1, p)) < 0)
		goto fail;
	if (then != NULL && (n = then(d, *id, arg)) < 0)
		goto fail;
	if (db_commit(d) == -1) {
		n = DB_RETRY;
		goto fail;
	}
	return 0;
fail:
	db_rollback(d);
	return n < 0 ? n : DB_HARD;
}
