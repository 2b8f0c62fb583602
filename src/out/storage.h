/*
 * storage: uploaded files.
 *
 * While a multipart request streams in, each file part goes to a temporary
 * file under $ADEPT_VAR/uploads/tmp (never held in memory), with its
 * SHA-256 and first bytes kept so its type is sniffed from content, not
 * taken from the client.  A handler that accepts the file calls
 * storage_commit(), which moves it under a random key and records it in
 * the uploads table; anything not committed is deleted when the request
 * ends.  Files are served by nginx through X-Accel-Redirect after the
 * worker's access check (GET /uploads/{id}).
 *
 * Two backends, chosen by ADEPT_STORAGE_URL, with the same keys: the
 * directory $ADEPT_VAR/uploads (default), where the temporary file is
 * renamed into place and nginx serves it from an internal alias; or an
 * S3-compatible store (out/s3.h), where storage_commit() PUTs the
 * temporary file and nginx fetches a reader's bytes with a presigned GET
 * through its internal /_s3/ location, so ranges and streaming stay
 * nginx's.  Either way the row is written only once the bytes are kept.
 *
 * Limits are per type (images 5 MiB, documents 20 MiB, videos 500 MiB)
 * and the type is decided from the first bytes, so storage_feed() refuses
 * a file (413) the moment it passes its type's limit.  Text and Markdown
 * have no magic bytes: a file without one is text only while it stays
 * valid UTF-8 without NUL bytes, checked over every byte.  Anything else
 * (a renamed executable, text that turns out not to be UTF-8) has no
 * type, is held to the documents limit, and storage_commit() refuses it
 * (415); routes that parse a file themselves (bank import) still see it.
 *
 * A full disk (ENOSPC or EDQUOT while the temporary file is written,
 * closed, or moved into place) answers 507 with the reason logged; the
 * temporary file goes with the request and no uploads row is written.
 */
#ifndef ADEPT_STORAGE_H
#define ADEPT_STORAGE_H

#include <stddef.h>
#include <stdint.h>

struct arena;
struct config;
struct req;

#define STORAGE_MAXIMAGE	(5LL * 1024 * 1024)
#define STORAGE_MAXDOC		(20LL * 1024 * 1024)
#define STORAGE_MAXVIDEO	(500LL * 1024 * 1024)
#define STORAGE_MAXFILE		STORAGE_MAXVIDEO	/* any one file */

struct http_file {
	const char	*field;		/* form field name */
	const char	*filename;	/* as sent (display only, never a path) */
	const char	*ctype;		/* sniffed: "image/png", ... or NULL */
	const char	*ext;		/* "png", ... matching ctype */
	char		*tmp_path;
	size_t		 size;
	char		 sha256[65];
	int		 fd;
	int		 committed;
	unsigned char	 head[16];	/* first bytes, for sniffing */
	size_t		 nhead;
	void		*hash;		/* crypto_hash_sha256_state */
	int		 sniffed;	/* ctype decided */
	int		 text;		/* ctype is text: keep checking UTF-8 */
	unsigned char	 u8need, u8lo, u8hi;	/* UTF-8 decoder state */
	size_t		 u8done;	/* bytes through the decoder */
	int64_t		 limit;		/* bytes allowed for ctype */
	int		 refuse;	/* 413/415 set by storage_feed */
	const char	*why;		/* message for refuse */
};

/* Sets the storage directory ($ADEPT_VAR/uploads) and makes tmp/. */
int		 storage_init(const struct config *);
/* Content sniffing over the first bytes: a MIME type or NULL. */
const char	*storage_sniff(const unsigned char *, size_t, const char **ext);
/*
 * Checks the next n bytes of f before they are written (final: the part
 * has ended, n may be 0): decides the type from the first bytes, then
 * enforces its size limit and, for text, UTF-8 validity (ctype becomes
 * NULL when that fails).  0 to go on, or 413 with f->refuse and f->why set (the caller stops the upload and
 * the temporary file is removed with the request).  f->size is the count
 * before these bytes.
 */
int		 storage_feed(struct http_file *f, const unsigned char *p,
		    size_t n, int final);
/* The uploaded file named by field, or NULL. */
const struct http_file *http_file(const struct req *, const char *field);
/*
 * Keeps an uploaded file if its sniffed type is one of types (NULL-
 * terminated, e.g. { "image/png", "image/jpeg", NULL }).  0 with *id set;
 * 415 if the type is not allowed (with *why); 413 if empty; 500/503 on
 * failure (507 when the disk is full).
 */
int		 storage_commit(struct req *, struct http_file *,
		    const char *const *types, int64_t *id, const char **why);

/*
 * The X-Accel-Redirect target serving key: "/protected-files/KEY", or
 * with S3 "/_s3/BUCKET/KEY?<presigned query>" valid for a few minutes.
 * In a: NULL when the key is not one of ours.
 */
const char	*storage_accel(struct arena *a, const char *key);
/* Removes a kept file (unlink, or DELETE from the store); one already
 * gone is not an error.  0, or -1 logged with rid (a request id or a job
 * name). */
int		 storage_remove(const char *rid, const char *key);
/*
 * A local path holding key's bytes, for code that reads a file (material
 * extraction): the file itself, or with S3 a temporary copy under
 * uploads/tmp, which the caller removes with storage_fetch_done().
 * 0; -1 (gone: not found); -2 (the store is not answering: try later).
 */
int		 storage_fetch(const char *key, char *path, size_t pathsz);
void		 storage_fetch_done(const char *path);
/* 1 when the S3 backend is configured. */
int		 storage_is_s3(void);
/*
 * Keeps a file a job made (outside any request), like storage_commit():
 * path (a local file, e.g. under uploads/tmp) is moved under a random key
 * with extension ext (local directory: renamed, so it must be on the same
 * file system; S3: PUT, the local file left to the caller), and recorded
 * in the uploads table as content type ctype, owned by owner (0: none),
 * named name.  0 with *id; 1 when the file cannot be read or kept (the
 * reason logged, with rid); or a db_err (the kept file is removed again).
 */
struct db;
int		 storage_put(struct db *, struct arena *, const char *rid,
		    int64_t owner, const char *path, const char *ctype,
		    const char *ext, const char *name, int64_t *id);

/* Internal to the request pipeline. */
int		 storage_tmp_open(struct req *, struct http_file *);
void		 storage_cleanup(struct req *);
const char	*storage_dir(void);

#endif
