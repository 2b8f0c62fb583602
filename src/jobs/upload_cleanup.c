/*
 * upload_cleanup: see upload_cleanup.h.  Files are removed (unlinked, or
 * deleted from the S3 store) while the rows are locked and deleted in the
 * same transaction, before the commit: a crash in between leaves rows
 * whose files are gone, which the next run deletes (a missing file is not
 * an error), never a file that no row names.  A store that does not
 * answer rolls the batch back, for the retry.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/upload_cleanup.h"
#include "out/storage.h"

#define ORPHAN_AGE_S	(24 * 3600)
#define TMP_AGE_S	3600
#define BATCH		500

static int
sweep_tmp(const char *dir, int64_t now)
{
	char tmp[700], path[1000];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int n = 0;

	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	if ((d = opendir(tmp)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    now - (int64_t)st.st_mtime > TMP_AGE_S &&
		    unlink(path) == 0)
			n++;
	}
	closedir(d);
	return n;
}

enum job_result
job_upload_cleanup(struct job *j)
{
	char dir[600];
	const char *p[2], *key;
	int i, n, total = 0, tmp;

	snprintf(dir, sizeof(dir), "%s/uploads", j->cfg->var);
	p[0] = db_i64s(j->a, ORPHAN_AGE_S);
	p[1] = db_i64s(j->a, BATCH);
	do {
		if ((n = db_begin(j->db)) < 0)
			goto dberr;
		if ((n = db_exec(j->db, STMT_MEDIA_ORPHANS_DELETE, 2, p)) < 0) {
			db_rollback(j->db);
			goto dberr;
		}
		for (i = 0; i < n; i++) {
			key = db_str(j->db, i, 0);
			if (storage_remove("upload_cleanup", key) == -1) {
				/* The store is down: keep the rows for the
				 * next run rather than forget the objects. */
				db_rollback(j->db);
				snprintf(j->err, sizeof(j->err), "cannot "
				    "remove %.100s from storage", key);
				return JOB_RETRY;
			}
		}
		if ((i = db_commit(j->db)) < 0) {
			n = i;
			goto dberr;
		}
		total += n;
	} while (n == BATCH);
	if ((tmp = sweep_tmp(dir, j->now)) < 0) {
		snprintf(j->err, sizeof(j->err), "cannot read the temporary upload directory");
		return JOB_RETRY;
	}
	if (total > 0 || tmp > 0)
		log_msg("upload_cleanup: %d orphaned uploads, %d stale "
		    "temporary files removed", total, tmp);
	return JOB_DONE;
dberr:
	snprintf(j->err, sizeof(j->err), "database: upload clean-up failed "
	    "(%d)", n);
	return JOB_RETRY;
}
