/*
 * users: typed database calls for accounts, shared by the sign-up pages,
 * the admin page and `adept user add`.
 */
#ifndef ADEPT_DB_USERS_H
#define ADEPT_DB_USERS_H

#include <stdint.h>

struct db;

/* Hashes the password (argon2id) and inserts the user and, for learners,
 * their profile, in one transaction.  Returns 0 with *id set, DB_CONFLICT
 * for an e-mail already taken (case-insensitively), DB_RETRY, or DB_HARD.
 * role is "learner", "instructor" or "admin". */
int	db_user_create(struct db *, const char *email, const char *name,
	    const char *password, const char *role, int64_t *id);
/* Work done in the new account's transaction, before it commits (the
 * welcome mail): 0 or more to go on, a db_err to roll the account back. */
typedef int (*db_user_then)(struct db *, int64_t id, void *arg);

/* The same for a sign-up: addr, the client's address (NULL or "" for
 * none), is stored as users.signup_ip in the same statement (the fraud
 * scan counts sign-ups per address, issue 9); then, if not NULL, runs in
 * the same transaction. */
int	db_user_create_from(struct db *, const char *email, const char *name,
	    const char *password, const char *role, const char *addr,
	    db_user_then then, void *arg, int64_t *id);

#endif
