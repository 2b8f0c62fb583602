/*
 * db: the only code that calls libpq.
 *
 * One persistent connection per worker thread.  Every statement in
 * sql/queries/ is prepared when the connection opens (the generated
 * registry build/gen/db_stmts.h names them STMT_*); a worker refuses to
 * start if one fails.  Calls return a row count (>= 0) or a db_err, in the
 * manner of GNU Taler's libpq layer: hard error, retryable (connection lost:
 * the caller answers 503), or a unique-key conflict the caller can turn into
 * a form error.  A lost connection is re-established (and re-prepared) on the
 * next call; a read-only statement is retried once at once.
 */
#ifndef ADEPT_DB_H
#define ADEPT_DB_H

#include <stddef.h>
#include <stdint.h>
#include <libpq-fe.h>

#include "db_stmts.h"

struct arena;

enum db_err {
	DB_HARD = -1,		/* bug or constraint: logged */
	DB_RETRY = -2,		/* connection lost; try again later */
	DB_CONFLICT = -3,	/* unique violation (SQLSTATE 23505) */
};

struct db {
	PGconn		*conn;
	char		 conninfo[1024];
	PGresult	*res;		/* result of the last query */
	unsigned long	 nexec;		/* statements sent (metrics) */
	unsigned	 nconnect;	/* connections made: a new one forgets
					 * LISTEN (src/http/auth_cache.c) */
	char		 err[256];
};

/* Connects and prepares every statement; -1 with db->err set. */
int		 db_open(struct db *, const char *conninfo);
void		 db_close(struct db *);
/* Runs a prepared statement with n text parameters (NULL = SQL NULL).
 * Returns rows returned (SELECT / RETURNING) or affected, or a db_err.
 * The result stays in db->res until the next call. */
int		 db_exec(struct db *, enum stmt, int n, const char *const *params);
/* Runs COPY statement s (FROM STDIN) with data, len bytes in the format
 * it names.  Returns the rows copied or a db_err, as db_exec; never sent
 * twice (a COPY writes). */
int		 db_copy(struct db *, enum stmt, const char *data, size_t len);
/* Result accessors on db->res; NULL / 0 for SQL NULL. */
const char	*db_str(struct db *, int row, int col);
int64_t		 db_i64(struct db *, int row, int col);
double		 db_dbl(struct db *, int row, int col);
int		 db_bool(struct db *, int row, int col);
int		 db_isnull(struct db *, int row, int col);
/* A statement that answers a whole page returns rows of one shape, told
 * apart by a one-letter first column and grouped by it.  The rows [first,
 * end) of db->res (n rows) whose first column is kind; first = end = n
 * when there are none. */
struct db_part {
	int	first, end;
};
struct db_part	 db_part(struct db *, int n, char kind);
/* Transactions (BEGIN / COMMIT / ROLLBACK as prepared statements). */
int		 db_begin(struct db *);
int		 db_commit(struct db *);
void		 db_rollback(struct db *);
/* Formats an int64 parameter in the arena. */
const char	*db_i64s(struct arena *, int64_t);
const char	*db_stmt_name(enum stmt);

#endif
