/*
 * db: see db.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DB_STMTS_DEFINE
#include "db/db.h"
#include "base/arena.h"
#include "base/log.h"

/* COPY takes no parameters and cannot be prepared: db_copy sends its
 * fixed text. */
static int
is_copy(enum stmt s)
{
	const char *q = stmt_defs[s].sql;

	q += strspn(q, " \t\n");
	return strncasecmp(q, "COPY", 4) == 0;
}

static int
prepare_all(struct db *d)
{
	PGresult *r;
	int i;

	for (i = 0; i < STMT__MAX; i++) {
		if (is_copy(i))
			continue;
		r = PQprepare(d->conn, stmt_defs[i].name, stmt_defs[i].sql, 0,
		    NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			snprintf(d->err, sizeof(d->err),
			    "cannot prepare statement %s: %s",
			    stmt_defs[i].name, PQresultErrorMessage(r));
			PQclear(r);
			return -1;
		}
		PQclear(r);
	}
	return 0;
}

static int
connect_now(struct db *d)
{
	if (d->conn != NULL)
		PQfinish(d->conn);
	d->conn = PQconnectdb(d->conninfo);
	d->nconnect++;
	if (PQstatus(d->conn) != CONNECTION_OK) {
		snprintf(d->err, sizeof(d->err), "cannot connect to database: %s",
		    PQerrorMessage(d->conn));
		return -1;
	}
	return prepare_all(d);
}

int
db_open(struct db *d, const char *conninfo)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->conninfo, sizeof(d->conninfo), "%s", conninfo);
	return connect_now(d);
}

void
db_close(struct db *d)
{
	if (d->res != NULL)
		PQclear(d->res);
	if (d->conn != NULL)
		PQfinish(d->conn);
	d->res = NULL;
	d->conn = NULL;
}

const char *
db_stmt_name(enum stmt s)
{
	return s < STMT__MAX ? stmt_defs[s].name : "?";
}

/* A statement that may be sent again on a new connection when the old one
 * broke under it: a read, or the BEGIN that opens a transaction (nothing
 * can have been committed yet).  A write may have committed before the
 * connection broke, so it is never resent. */
static int
safe_to_resend(enum stmt s)
{
	const char *q = stmt_defs[s].sql;

	q += strspn(q, " \t\n");
	return strncasecmp(q, "SELECT", 6) == 0 || s == STMT_TX_BEGIN;
}

/* Clears the last result and makes sure a connection is open; -1 if it
 * cannot be. */
static int
ready(struct db *d)
{
	if (d->res != NULL) {
		PQclear(d->res);
		d->res = NULL;
	}
	if (d->conn == NULL || PQstatus(d->conn) != CONNECTION_OK) {
		if (connect_now(d) == -1) {
			log_msg("db: %s", d->err);
			return -1;
		}
	}
	d->nexec++;
	return 0;
}

/* The row count of a successful d->res, or -1 if it failed. */
static int
result_rows(struct db *d)
{
	ExecStatusType st = PQresultStatus(d->res);
	const char *c;

	if (st == PGRES_TUPLES_OK)
		return PQntuples(d->res);
	if (st != PGRES_COMMAND_OK)
		return -1;
	c = PQcmdTuples(d->res);
	return *c ? atoi(c) : 0;
}

/* Closes a lost connection (the next call opens a new one). */
static int
lost(struct db *d, enum stmt s)
{
	log_msg("db: %s: connection lost: %s", stmt_defs[s].name,
	    PQerrorMessage(d->conn));
	PQfinish(d->conn);
	d->conn = NULL;
	return DB_RETRY;
}

/* The db_err for the failed d->res of s, logged. */
static int
result_err(struct db *d, enum stmt s)
{
	const char *state = PQresultErrorField(d->res, PG_DIAG_SQLSTATE);

	if (PQstatus(d->conn) != CONNECTION_OK)
		return lost(d, s);
	if (state != NULL && strcmp(state, "23505") == 0)
		return DB_CONFLICT;
	if (state != NULL && (strcmp(state, "40001") == 0 ||
	    strcmp(state, "40P01") == 0))
		return DB_RETRY;
	log_msg("db: %s: %s", stmt_defs[s].name, PQresultErrorMessage(d->res));
	return DB_HARD;
}

int
db_exec(struct db *d, enum stmt s, int n, const char *const *params)
{
	int tries, rows;

	for (tries = 0; tries < 2; tries++) {
		if (ready(d) == -1)
			return DB_RETRY;
		d->res = PQexecPrepared(d->conn, stmt_defs[s].name, n, params,
		    NULL, NULL, 0);
		if ((rows = result_rows(d)) >= 0)
			return rows;
		if (tries == 0 && PQstatus(d->conn) != CONNECTION_OK &&
		    safe_to_resend(s) &&
		    PQtransactionStatus(d->conn) != PQTRANS_INTRANS) {
			log_msg("db: %s: connection lost, sent again: %s",
			    stmt_defs[s].name, PQerrorMessage(d->conn));
			continue;
		}
		return result_err(d, s);
	}
	return DB_RETRY;
}

int
db_copy(struct db *d, enum stmt s, const char *data, size_t len)
{
	PGresult *r;
	int rows;

	if (!is_copy(s) || len > INT_MAX) {
		log_msg("db: %s: not a COPY, or %zu bytes", stmt_defs[s].name,
		    len);
		return DB_HARD;
	}
	if (ready(d) == -1)
		return DB_RETRY;
	d->res = PQexec(d->conn, stmt_defs[s].sql);
	if (PQresultStatus(d->res) != PGRES_COPY_IN)
		return result_err(d, s);
	PQclear(d->res);
	d->res = NULL;
	if (PQputCopyData(d->conn, data, (int)len) != 1 ||
	    PQputCopyEnd(d->conn, NULL) != 1 ||
	    (d->res = PQgetResult(d->conn)) == NULL)
		return lost(d, s);
	while ((r = PQgetResult(d->conn)) != NULL)
		PQclear(r);
	if ((rows = result_rows(d)) >= 0)
		return rows;
	return result_err(d, s);
}

const char *
db_str(struct db *d, int row, int col)
{
	if (d->res == NULL || PQgetisnull(d->res, row, col))
		return NULL;
	return PQgetvalue(d->res, row, col);
}

int
db_isnull(struct db *d, int row, int col)
{
	return d->res == NULL || PQgetisnull(d->res, row, col);
}

int64_t
db_i64(struct db *d, int row, int col)
{
	const char *s = db_str(d, row, col);

	return s ? strtoll(s, NULL, 10) : 0;
}

double
db_dbl(struct db *d, int row, int col)
{
	const char *s = db_str(d, row, col);

	return s ? strtod(s, NULL) : 0.0;
}

int
db_bool(struct db *d, int row, int col)
{
	const char *s = db_str(d, row, col);

	return s != NULL && s[0] == 't';
}

struct db_part
db_part(struct db *d, int n, char kind)
{
	struct db_part p = { 0, 0 };

	while (p.first < n && *PQgetvalue(d->res, p.first, 0) != kind)
		p.first++;
	p.end = p.first;
	while (p.end < n && *PQgetvalue(d->res, p.end, 0) == kind)
		p.end++;
	return p;
}

int
db_begin(struct db *d)
{
	return db_exec(d, STMT_TX_BEGIN, 0, NULL) < 0 ? -1 : 0;
}

int
db_commit(struct db *d)
{
	return db_exec(d, STMT_TX_COMMIT, 0, NULL) < 0 ? -1 : 0;
}

void
db_rollback(struct db *d)
{
	if (d->conn != NULL && PQstatus(d->conn) == CONNECTION_OK &&
	    PQtransactionStatus(d->conn) != PQTRANS_IDLE)
		(void)db_exec(d, STMT_TX_ROLLBACK, 0, NULL);
}

const char *
db_i64s(struct arena *a, int64_t v)
{
	return arena_printf(a, "%lld", (long long)v);
}
