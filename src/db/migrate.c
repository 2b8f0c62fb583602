/*
 * migrate: see migrate.h.  Migration files are trusted repository content
 * run as scripts (several statements each), the one place libpq's simple
 * query protocol is used; everything else goes through prepared statements.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "base/buf.h"
#include "db/migrate.h"

#define MAXMIG 1000

static int
ok(PGconn *c, PGresult *r, const char *what)
{
	ExecStatusType st = PQresultStatus(r);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		PQclear(r);
		return 0;
	}
	fprintf(stderr, "adept: migrate: %s: %s", what,
	    PQresultErrorMessage(r));
	PQclear(r);
	return -1;
}

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
read_file(const char *path, struct buf *b)
{
	FILE *fp;
	char chunk[8192];
	size_t n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_put(b, chunk, n);
	fclose(fp);
	return 0;
}

int
db_migrate(const char *conninfo, const char *dir)
{
	PGconn *c;
	PGresult *r;
	DIR *d;
	struct dirent *de;
	char *names[MAXMIG], path[1024], vbuf[16];
	const char *params[2];
	struct buf sql;
	int n = 0, i, applied = 0, rc = -1;

	buf_init(&sql);
	c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "adept: migrate: cannot connect: %s",
		    PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "adept: migrate: cannot open %s\n", dir);
		PQfinish(c);
		return -1;
	}
	while ((de = readdir(d)) != NULL && n < MAXMIG) {
		size_t l = strlen(de->d_name);
		if (l > 8 && strspn(de->d_name, "0123456789") == 3 &&
		    de->d_name[3] == '_' && strcmp(de->d_name + l - 4, ".sql") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp);

	PQsetNoticeProcessor(c, quiet, NULL);
	if (ok(c, PQexec(c, "SELECT pg_advisory_lock(4242001)"), "lock") ||
	    ok(c, PQexec(c, "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    "version integer PRIMARY KEY, name text NOT NULL, "
	    "applied_at timestamptz NOT NULL DEFAULT now())"), "bookkeeping"))
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(vbuf, sizeof(vbuf), "%d", atoi(names[i]));
		params[0] = vbuf;
		params[1] = names[i];
		r = PQexecParams(c,
		    "SELECT 1 FROM schema_migrations WHERE version = $1", 1,
		    NULL, params, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			ok(c, r, "lookup");
			goto out;
		}
		if (PQntuples(r) > 0) {
			PQclear(r);
			continue;
		}
		PQclear(r);
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (read_file(path, &sql) == -1) {
			fprintf(stderr, "adept: migrate: cannot read %s\n", path);
			goto out;
		}
		if (ok(c, PQexec(c, "BEGIN"), "begin"))
			goto out;
		if (ok(c, PQexec(c, sql.p ? sql.p : ""), names[i]) ||
		    ok(c, PQexecParams(c, "INSERT INTO schema_migrations "
		    "(version, name) VALUES ($1, $2)", 2, NULL, params, NULL,
		    NULL, 0), "record") ||
		    ok(c, PQexec(c, "COMMIT"), "commit")) {
			PQclear(PQexec(c, "ROLLBACK"));
			goto out;
		}
		printf("adept: applied migration %s\n", names[i]);
		applied++;
	}
	rc = applied;
out:
	for (i = 0; i < n; i++)
		free(names[i]);
	buf_free(&sql);
	PQfinish(c);
	return rc;
}
