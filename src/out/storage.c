/*
 * storage: see storage.h.  Keys are 128 random bits in hex with the
 * sniffed extension, in a two-level fan-out (ab/abcdef...png) so no
 * directory grows without bound; the S3 object key is the same string.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/log.h"
#include "db/db.h"
#include "http/server.h"
#include "out/s3.h"
#include "out/storage.h"

/* How long a presigned GET handed to nginx stays valid: nginx uses it at
 * once, the margin covers clock skew between this host and the store. */
#define PRESIGN_TTL_S	300

static char dir[512];
static struct s3 s3;
static int use_s3;

int
storage_init(const struct config *cfg)
{
	char tmp[600];

	snprintf(dir, sizeof(dir), "%s/uploads", cfg->var);
	snprintf(tmp, sizeof(tmp), "%s/tmp", dir);
	if ((mkdir(dir, 0755) == -1 && errno != EEXIST) ||
	    (mkdir(tmp, 0700) == -1 && errno != EEXIST)) {
		log_msg("storage: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (cfg->storage_url[0] != '\0' &&
	    strcmp(cfg->storage_url, "local") != 0) {
		char err[200];

		if (s3_parse(&s3, cfg->storage_url, cfg->s3_key,
		    cfg->s3_secret, err, sizeof(err)) == -1) {
			log_msg("storage: ADEPT_STORAGE_URL: %s", err);
			return -1;
		}
		use_s3 = 1;
	}
	return 0;
}

int
storage_is_s3(void)
{
	return use_s3;
}

/* A key from the uploads table that names a file of ours. */
static int
key_ok(const char *key)
{
	return key != NULL && *key != '\0' && key[0] != '/' &&
	    strstr(key, "..") == NULL;
}

const char *
storage_accel(struct arena *a, const char *key)
{
	char uri[300], q[1024];

	if (!key_ok(key))
		return NULL;
	if (!use_s3)
		return arena_printf(a, "/protected-files/%s", key);
	snprintf(uri, sizeof(uri), "/%s/%s", s3.bucket, key);
	if (s3_presign(&s3, "GET", uri, time(NULL), PRESIGN_TTL_S, q,
	    sizeof(q)) == -1)
		return NULL;
	return arena_printf(a, "/_s3%s?%s", uri, q);
}

int
storage_remove(const char *rid, const char *key)
{
	char path[1024], err[400];

	if (!key_ok(key))
		return -1;
	if (use_s3) {
		if (s3_delete(&s3, key, err, sizeof(err)) != S3_OK) {
			log_msg("%s: storage: %s", rid, err);
			return -1;
		}
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (unlink(path) == -1 && errno != ENOENT) {
		log_msg("%s: storage: cannot remove %s: %s", rid, path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
storage_fetch(const char *key, char *path, size_t pathsz)
{
	unsigned char rnd[8];
	char err[400];
	enum s3_status st;

	if (!key_ok(key))
		return -1;
	if (!use_s3) {
		snprintf(path, pathsz, "%s/%s", dir, key);
		return access(path, R_OK) == 0 ? 0 : -1;
	}
	randombytes_buf(rnd, sizeof(rnd));
	snprintf(path, pathsz, "%s/tmp/fetch-%02x%02x%02x%02x%02x%02x%02x%02x",
	    dir, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
	    rnd[7]);
	if ((st = s3_get_file(&s3, key, path, err, sizeof(err))) == S3_OK)
		return 0;
	log_msg("storage: %s", err);
	return st == S3_NOTFOUND ? -1 : -2;
}

void
storage_fetch_done(const char *path)
{
	if (use_s3)
		unlink(path);
}

const char *
storage_dir(void)
{
	return dir;
}

const char *
storage_sniff(const unsigned char *p, size_t n, const char **ext)
{
	static const struct {
		size_t		 off;
		const char	*magic;
		size_t		 len;
		const char	*type, *ext;
	} sig[] = {
		{ 0, "\x89PNG\r\n\x1a\n", 8, "image/png", "png" },
		{ 0, "\xff\xd8\xff", 3, "image/jpeg", "jpg" },
		{ 0, "GIF87a", 6, "image/gif", "gif" },
		{ 0, "GIF89a", 6, "image/gif", "gif" },
		{ 0, "%PDF-", 5, "application/pdf", "pdf" },
		{ 4, "ftyp", 4, "video/mp4", "mp4" },
		{ 0, "\x1a\x45\xdf\xa3", 4, "video/webm", "webm" },
	};
	size_t i;

	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0) {
		*ext = "webp";
		return "image/webp";
	}
	for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++)
		if (n >= sig[i].off + sig[i].len &&
		    memcmp(p + sig[i].off, sig[i].magic, sig[i].len) == 0) {
			*ext = sig[i].ext;
			return sig[i].type;
		}
	*ext = NULL;
	return NULL;
}

static const struct {
	const char	*prefix;
	int64_t		 max;
} limits[] = {
	{ "image/", STORAGE_MAXIMAGE },
	{ "video/", STORAGE_MAXVIDEO },
	{ "application/pdf", STORAGE_MAXDOC },
	{ "text/", STORAGE_MAXDOC },
};

/* One byte through a strict UTF-8 decoder (no overlongs, surrogates or
 * NUL).  -1 when invalid. */
static int
utf8_step(struct http_file *f, unsigned char c)
{
	if (f->u8need == 0) {
		f->u8lo = 0x80;
		f->u8hi = 0xbf;
		if (c == 0)
			return -1;
		if (c < 0x80)
			return 0;
		if (c >= 0xc2 && c <= 0xdf)
			f->u8need = 1;
		else if (c == 0xe0) {
			f->u8need = 2;
			f->u8lo = 0xa0;
		} else if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef)
			f->u8need = 2;
		else if (c == 0xed) {
			f->u8need = 2;
			f->u8hi = 0x9f;
		} else if (c == 0xf0) {
			f->u8need = 3;
			f->u8lo = 0x90;
		} else if (c >= 0xf1 && c <= 0xf3)
			f->u8need = 3;
		else if (c == 0xf4) {
			f->u8need = 3;
			f->u8hi = 0x8f;
		} else
			return -1;
		return 0;
	}
	if (c < f->u8lo || c > f->u8hi)
		return -1;
	f->u8need--;
	f->u8lo = 0x80;
	f->u8hi = 0xbf;
	return 0;
}

static int
refuse(struct http_file *f, int status, const char *why)
{
	f->refuse = status;
	f->why = why;
	return status;
}

/* A file that looked like text stops being UTF-8: it is no longer of a
 * type storage_commit() keeps (415 there), but the bytes still arrive for
 * routes that read the file themselves and report the error. */
static int
not_text(struct http_file *f)
{
	f->text = 0;
	f->ctype = NULL;
	f->ext = NULL;
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int
sniff(struct http_file *f)
{
	struct http_file probe;
	size_t i;

	f->sniffed = 1;
	f->ctype = storage_sniff(f->head, f->nhead, &f->ext);
	if (f->ctype == NULL) {
		memset(&probe, 0, sizeof(probe));
		for (i = 0; i < f->nhead; i++)
			if (utf8_step(&probe, f->head[i]) == -1) {
				/* Unknown binary: storage_commit() refuses
				 * it (415); a route reading the file itself
				 * (bank import) judges it under the
				 * documents limit. */
				f->limit = STORAGE_MAXDOC;
				return 0;
			}
		f->text = 1;
		if (f->filename != NULL && (ends_with(f->filename, ".md") ||
		    ends_with(f->filename, ".markdown"))) {
			f->ctype = "text/markdown";
			f->ext = "md";
		} else {
			f->ctype = "text/plain";
			f->ext = "txt";
		}
	}
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		if (strncmp(f->ctype, limits[i].prefix,
		    strlen(limits[i].prefix)) == 0) {
			f->limit = limits[i].max;
			return 0;
		}
	return refuse(f, 415, "This kind of file is not accepted.");
}

int
storage_feed(struct http_file *f, const unsigned char *p, size_t n, int final)
{
	size_t i, k;

	if (f->refuse)
		return f->refuse;
	if (!f->sniffed && f->nhead < sizeof(f->head)) {
		k = sizeof(f->head) - f->nhead < n ?
		    sizeof(f->head) - f->nhead : n;
		if (k > 0)	/* p is NULL on the final call */
			memcpy(f->head + f->nhead, p, k);
		f->nhead += k;
	}
	if (!f->sniffed && (f->nhead == sizeof(f->head) || final) &&
	    f->nhead > 0 && sniff(f) != 0)
		return f->refuse;
	if (f->sniffed && (int64_t)(f->size + n) > f->limit)
		return refuse(f, 413, f->limit == STORAGE_MAXIMAGE ?
		    "The file is too large: images may be at most 5 MB." :
		    f->limit == STORAGE_MAXDOC ?
		    "The file is too large: documents may be at most 20 MB." :
		    "The file is too large: videos may be at most 500 MB.");
	if (f->text) {
		/* Bytes of earlier calls before the type was known are all
		 * in head; the decoder sees every byte once, in order. */
		for (; f->u8done < f->size; f->u8done++)
			if (utf8_step(f, f->head[f->u8done]) == -1)
				return not_text(f);
		f->u8done += n;
		for (i = 0; i < n; i++)
			if (utf8_step(f, p[i]) == -1)
				return not_text(f);
		if (final && f->u8need != 0)
			return not_text(f);
	}
	return 0;
}

const struct http_file *
http_file(const struct req *r, const char *field)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++)
		if (strcmp(r->files[i].field, field) == 0 &&
		    r->files[i].size > 0)
			return &r->files[i];
	return NULL;
}

int
storage_tmp_open(struct req *r, struct http_file *f)
{
	char name[33];
	unsigned char rnd[16];
	size_t i;

	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(name + 2 * i, 3, "%02x", rnd[i]);
	f->tmp_path = arena_printf(r->a, "%s/tmp/%s", dir, name);
	f->fd = open(f->tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600);
	if (f->fd == -1) {
		int err = errno;	/* the caller reports it */

		f->tmp_path = NULL;
		errno = err;
		return -1;
	}
	f->hash = arena_alloc(r->a, sizeof(crypto_hash_sha256_state));
	crypto_hash_sha256_init(f->hash);
	return 0;
}

void
storage_cleanup(struct req *r)
{
	size_t i;

	for (i = 0; i < r->nfiles; i++) {
		struct http_file *f = &r->files[i];

		if (f->fd != -1) {
			close(f->fd);
			f->fd = -1;
		}
		if (!f->committed && f->tmp_path != NULL)
			unlink(f->tmp_path);
	}
}

int
storage_commit(struct req *r, struct http_file *f, const char *const *types,
    int64_t *id, const char **why)
{
	unsigned char rnd[16];
	char key[64], sub[600], path[700];
	const char *p[6];
	size_t i;
	int ok = 0, n;

	if (f->size == 0 || f->tmp_path == NULL) {
		*why = "The file is empty.";
		return 413;
	}
	for (i = 0; types[i] != NULL; i++)
		if (f->ctype != NULL && strcmp(types[i], f->ctype) == 0)
			ok = 1;
	if (!ok) {
		*why = "This kind of file is not accepted here.";
		return 415;
	}
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(key + 2 * i, 3, "%02x", rnd[i]);
	snprintf(key + 32, sizeof(key) - 32, ".%s", f->ext);
	p[1] = arena_printf(r->a, "%.2s/%s", key, key);
	if (use_s3) {
		char err[400];
		enum s3_status st;

		/* The temporary file goes with the request (not committed). */
		if ((st = s3_put_file(&s3, p[1], f->tmp_path, (int64_t)f->size,
		    f->ctype, f->sha256, err, sizeof(err))) != S3_OK) {
			log_msg("%s: storage: %s", r->id, err);
			if (st == S3_DOWN) {
				*why = "The file store is not answering; "
				    "try again shortly.";
				return 503;
			}
			*why = "The file could not be stored.";
			return 500;
		}
	} else {
		snprintf(sub, sizeof(sub), "%s/%.2s", dir, key);
		snprintf(path, sizeof(path), "%s/%s", sub, key);
		if ((mkdir(sub, 0755) == -1 && errno != EEXIST) ||
		    rename(f->tmp_path, path) == -1) {
			int e = errno;

			log_msg("%s: storage: cannot keep %s: %s", r->id, path,
			    strerror(e));
			if (e == ENOSPC || e == EDQUOT) {
				*why = "There is no space left to store the "
				    "file; try again later.";
				return 507;
			}
			return 500;
		}
		chmod(path, 0644);
		f->committed = 1;
	}
	p[0] = r->user.id ? db_i64s(r->a, r->user.id) : NULL;
	p[2] = f->ctype;
	p[3] = db_i64s(r->a, (int64_t)f->size);
	p[4] = f->filename ? f->filename : "";
	p[5] = f->sha256;
	if ((n = db_exec(r->db, STMT_UPLOAD_INSERT, 6, p)) != 1) {
		storage_remove(r->id, p[1]);
		return n == DB_RETRY ? 503 : 500;
	}
	*id = db_i64(r->db, 0, 0);
	return 0;
}

int
storage_put(struct db *db, struct arena *a, const char *rid, int64_t owner,
    const char *path, const char *ctype, const char *ext, const char *name,
    int64_t *id)
{
	crypto_hash_sha256_state st;
	unsigned char rnd[16], h[crypto_hash_sha256_BYTES], buf[65536];
	char key[64], sub[700], dst[800], hex[65];
	const char *p[6];
	int64_t size = 0;
	ssize_t k;
	size_t i;
	int fd, n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		log_msg("%s: storage: %s: %s", rid, path, strerror(errno));
		return 1;
	}
	crypto_hash_sha256_init(&st);
	while ((k = read(fd, buf, sizeof(buf))) > 0) {
		crypto_hash_sha256_update(&st, buf, (size_t)k);
		size += k;
	}
	close(fd);
	if (k < 0) {
		log_msg("%s: storage: %s: %s", rid, path, strerror(errno));
		return 1;
	}
	crypto_hash_sha256_final(&st, h);
	for (i = 0; i < sizeof(h); i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	randombytes_buf(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++)
		snprintf(key + 2 * i, 3, "%02x", rnd[i]);
	snprintf(key + 32, sizeof(key) - 32, ".%s", ext);
	p[1] = arena_printf(a, "%.2s/%s", key, key);
	if (use_s3) {
		char err[400];

		if (s3_put_file(&s3, p[1], path, size, ctype, hex, err,
		    sizeof(err)) != S3_OK) {
			log_msg("%s: storage: %s", rid, err);
			return 1;
		}
	} else {
		snprintf(sub, sizeof(sub), "%s/%.2s", dir, key);
		snprintf(dst, sizeof(dst), "%s/%s", sub, key);
		if ((mkdir(sub, 0755) == -1 && errno != EEXIST) ||
		    rename(path, dst) == -1) {
			log_msg("%s: storage: cannot keep %s as %s: %s", rid,
			    path, dst, strerror(errno));
			return 1;
		}
		chmod(dst, 0644);
	}
	p[0] = owner > 0 ? db_i64s(a, owner) : NULL;
	p[2] = ctype;
	p[3] = db_i64s(a, size);
	p[4] = name != NULL ? name : "";
	p[5] = hex;
	if ((n = db_exec(db, STMT_UPLOAD_INSERT, 6, p)) != 1) {
		storage_remove(rid, p[1]);
		return n < 0 ? n : DB_HARD;
	}
	*id = db_i64(db, 0, 0);
	return 0;
}
