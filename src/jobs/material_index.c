/*
 * material_index: see material_index.h.
 *
 * Design decision: the status is written outside the indexing
 * transaction (so the instructor's page shows extracting / indexing while
 * it happens), and the passages, the counts and "ready" are written in
 * one transaction holding the material's row lock, so a reader never
 * sees half an index and a material deleted meanwhile is noticed (no
 * row to lock) instead of failing on its foreign key.  Passages go in
 * batches of parallel arrays (one statement per BATCH passages): a
 * 20 MB file makes some ten thousand of them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/material_index.h"
#include "learn/passage.h"
#include "out/extract.h"
#include "out/storage.h"

#define BATCH	500

/* One element of a PostgreSQL array literal: "..." with " and \ escaped
 * (the caller writes the braces and commas). */
static void
arr_put(struct buf *b, const char *s, size_t n)
{
	size_t i;

	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			buf_putc(b, '\\');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

static int
set_status(struct job *j, const char *id, const char *status,
    const char *reason, const char *kind, size_t words, size_t passages)
{
	const char *p[6];

	p[0] = id;
	p[1] = status;
	p[2] = reason;
	p[3] = kind;
	p[4] = db_i64s(j->a, (int64_t)words);
	p[5] = db_i64s(j->a, (int64_t)passages);
	return db_exec(j->db, STMT_MATERIAL_SET_STATUS, 6, p);
}

/* The extractor's message as a sentence. */
static const char *
reason_of(struct job *j, const struct extract_doc *d)
{
	char *s = arena_printf(j->a, "%s.", d->err[0] ? d->err :
	    "the file could not be read");

	s[0] = (char)toupper((unsigned char)s[0]);
	return s;
}

/* Writes passages ps[0..np) of material id (course) and marks it ready,
 * in one transaction.  1 done, 0 the material is gone, or a db_err. */
static int
store(struct job *j, const char *id, const char *course,
    const struct extract_doc *d, const struct learn_passage *ps, size_t np,
    size_t words)
{
	struct buf seq, head, body;
	const char *p[5];
	size_t i, k;
	int n, rc;

	if ((n = db_begin(j->db)) < 0)
		return n;
	p[0] = id;
	if ((n = db_exec(j->db, STMT_MATERIAL_LOCK, 1, p)) <= 0) {
		db_rollback(j->db);
		return n;
	}
	if ((n = db_exec(j->db, STMT_MATERIAL_PASSAGES_CLEAR, 1, p)) < 0) {
		db_rollback(j->db);
		return n;
	}
	buf_init(&seq);
	buf_init(&head);
	buf_init(&body);
	rc = 1;
	for (i = 0; i < np && rc == 1; i += BATCH) {
		buf_reset(&seq);
		buf_reset(&head);
		buf_reset(&body);
		for (k = i; k < np && k < i + BATCH; k++) {
			buf_printf(&seq, "%c%zu", k == i ? '{' : ',', k + 1);
			if (k == i) {
				buf_putc(&head, '{');
				buf_putc(&body, '{');
			} else {
				buf_putc(&head, ',');
				buf_putc(&body, ',');
			}
			arr_put(&head, ps[k].heading != NULL ? ps[k].heading :
			    "", ps[k].head_len);
			arr_put(&body, ps[k].text, ps[k].len);
		}
		buf_putc(&seq, '}');
		buf_putc(&head, '}');
		buf_putc(&body, '}');
		p[0] = id;
		p[1] = course;
		p[2] = seq.p;
		p[3] = head.p;
		p[4] = body.p;
		if ((n = db_exec(j->db, STMT_MATERIAL_PASSAGES_INSERT, 5,
		    p)) < 0)
			rc = n;
	}
	buf_free(&seq);
	buf_free(&head);
	buf_free(&body);
	if (rc == 1 && (n = set_status(j, id, "ready", "",
	    extract_type_name(d->type), words, np)) < 0)
		rc = n;
	if (rc != 1) {
		db_rollback(j->db);
		return rc;
	}
	if ((n = db_commit(j->db)) < 0)
		return n;
	return 1;
}

enum job_result
job_material_index(struct job *j)
{
	struct learn_chunk_opt opt = LEARN_CHUNK_OPT_DEFAULT;
	struct learn_passage *ps = NULL;
	struct extract_doc d;
	enum extract_status s;
	json_t *root;
	const char *id, *course, *status, *key;
	char path[1200];
	int64_t mid = 0;
	size_t np = 0, cap = 0, words;
	int k, n;

	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		mid = json_integer_value(json_object_get(root, "material_id"));
		json_decref(root);
	}
	if (mid <= 0) {
		snprintf(j->err, sizeof(j->err), "payload has no material_id");
		return JOB_FATAL;
	}
	id = db_i64s(j->a, mid);
	if ((n = db_exec(j->db, STMT_MATERIAL_GET, 1, &id)) < 0)
		goto dberr;
	if (n == 0)
		return JOB_DONE;	/* deleted before it was indexed */
	course = arena_strdup(j->a, db_str(j->db, 0, 0));
	status = arena_strdup(j->a, db_str(j->db, 0, 1));
	key = arena_strdup(j->a, db_str(j->db, 0, 2));
	if (strcmp(status, "ready") == 0 || strcmp(status, "failed") == 0)
		return JOB_DONE;
	if (*key == '\0' || strstr(key, "..") != NULL || key[0] == '/') {
		if ((n = set_status(j, id, "failed", "The uploaded file is "
		    "gone; upload it again.", "", 0, 0)) < 0)
			goto dberr;
		return JOB_DONE;
	}
	if ((n = set_status(j, id, "extracting", "", "", 0, 0)) < 0)
		goto dberr;
	if ((k = storage_fetch(key, path, sizeof(path))) == -2) {
		/* The object store is not answering: the queue retries. */
		snprintf(j->err, sizeof(j->err), "material %lld: the file "
		    "store is not answering", (long long)mid);
		if ((n = set_status(j, id, "queued", "Will try again: the "
		    "file store is not answering.", "", 0, 0)) < 0)
			goto dberr;
		return JOB_RETRY;
	}
	if (k == -1) {
		if ((n = set_status(j, id, "failed", "The uploaded file is "
		    "gone; upload it again.", "", 0, 0)) < 0)
			goto dberr;
		return JOB_DONE;
	}
	s = extract_file(path, &d);
	storage_fetch_done(path);
	if (s != EXTRACT_OK) {
		if ((s == EXTRACT_TOOL || s == EXTRACT_IO) &&
		    j->attempt < job_kinds[JOB_MATERIAL_INDEX].max_attempts) {
			snprintf(j->err, sizeof(j->err), "material %lld: "
			    "%.200s", (long long)mid, d.err);
			if ((n = set_status(j, id, "queued", arena_printf(j->a,
			    "Will try again: %s", reason_of(j, &d)), "", 0,
			    0)) < 0)
				goto dberr;
			return JOB_RETRY;
		}
		if ((n = set_status(j, id, "failed", reason_of(j, &d),
		    s == EXTRACT_PDF_ENCRYPTED || s == EXTRACT_PDF_CORRUPT ?
		    "pdf" : "", 0, 0)) < 0)
			goto dberr;
		log_msg("worker: material %lld: %s: %s", (long long)mid,
		    extract_status_name(s), d.err);
		return JOB_DONE;
	}
	words = learn_count_words(d.text, d.len, NULL);
	if ((n = set_status(j, id, "indexing", "", extract_type_name(d.type),
	    words, 0)) < 0) {
		extract_free(&d);
		goto dberr;
	}
	if (learn_chunk(d.text, d.len, 0, &opt, &ps, &np, &cap) == -1) {
		free(ps);
		extract_free(&d);
		snprintf(j->err, sizeof(j->err), "out of memory");
		return JOB_RETRY;
	}
	n = store(j, id, course, &d, ps, np, words);
	free(ps);
	extract_free(&d);
	if (n < 0)
		goto dberr;
	if (n > 0)
		log_msg("worker: material %lld: %zu words, %zu passages",
		    (long long)mid, words, np);
	return JOB_DONE;
dberr:
	snprintf(j->err, sizeof(j->err), "database: material %lld (%d)",
	    (long long)mid, n);
	return JOB_RETRY;
}
