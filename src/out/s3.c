/*
 * s3: see s3.h.  One easy handle per request: a request costs a
 * connection, which is small next to the bytes it carries, and keeps the
 * worker threads free of shared handles.  Time-outs bound the connection
 * and a stalled transfer (under 1 KB/s for 30 s), not the whole transfer,
 * so a 500 MB video is not cut off on a slow link.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "out/s3.h"

static const char hexd[] = "0123456789abcdef";

static void
hex(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexd[p[i] >> 4];
		out[2 * i + 1] = hexd[p[i] & 15];
	}
	out[2 * n] = '\0';
}

static int
unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

/* RFC 3986 percent-encoding of s (every byte but the unreserved ones)
 * appended at out[*n]; -1 when it does not fit. */
static int
enc(char *out, size_t outsz, size_t *n, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*n + 4 > outsz)
			return -1;
		if (unreserved((unsigned char)*s))
			out[(*n)++] = *s;
		else {
			out[(*n)++] = '%';
			out[(*n)++] = "0123456789ABCDEF"[(unsigned char)*s >> 4];
			out[(*n)++] = "0123456789ABCDEF"[*s & 15];
		}
	}
	out[*n] = '\0';
	return 0;
}

static void
hmac(const unsigned char *key, size_t klen, const char *msg,
    unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, klen);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg,
	    strlen(msg));
	crypto_auth_hmacsha256_final(&st, out);
}

void
s3_signing_key(const char *secret, const char *date, const char *region,
    const char *service, unsigned char key[32])
{
	char k0[160];
	unsigned char k[32];

	snprintf(k0, sizeof(k0), "AWS4%s", secret);
	hmac((const unsigned char *)k0, strlen(k0), date, k);
	hmac(k, 32, region, k);
	hmac(k, 32, service, k);
	hmac(k, 32, "aws4_request", key);
	sodium_memzero(k0, sizeof(k0));
	sodium_memzero(k, sizeof(k));
}

int
s3_presign(const struct s3 *c, const char *method, const char *uri,
    time_t now, int expires, char *out, size_t outsz)
{
	char stamp[20], date[9], scope[160], cred[300], canon[2048];
	char sts[512], digest[65], sig[65];
	unsigned char h[32], key[32];
	struct tm tm;
	size_t n = 0;
	int k;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	memcpy(date, stamp, 8);
	date[8] = '\0';
	snprintf(scope, sizeof(scope), "%s/%s/s3/aws4_request", date,
	    c->region);
	snprintf(cred, sizeof(cred), "%s/%s", c->key, scope);
	/* The canonical query string: names in byte order, values encoded. */
	k = snprintf(out, outsz, "X-Amz-Algorithm=AWS4-HMAC-SHA256"
	    "&X-Amz-Credential=");
	if (k < 0 || (size_t)k >= outsz)
		return -1;
	n = (size_t)k;
	if (enc(out, outsz, &n, cred) == -1)
		return -1;
	k = snprintf(out + n, outsz - n, "&X-Amz-Date=%s&X-Amz-Expires=%d"
	    "&X-Amz-SignedHeaders=host", stamp, expires);
	if (k < 0 || (size_t)k >= outsz - n)
		return -1;
	n += (size_t)k;
	k = snprintf(canon, sizeof(canon), "%s\n%s\n%s\nhost:%s\n\nhost\n"
	    "UNSIGNED-PAYLOAD", method, uri, out, c->host);
	if (k < 0 || (size_t)k >= sizeof(canon))
		return -1;
	crypto_hash_sha256(h, (const unsigned char *)canon, (size_t)k);
	hex(h, 32, digest);
	snprintf(sts, sizeof(sts), "AWS4-HMAC-SHA256\n%s\n%s\n%s", stamp,
	    scope, digest);
	s3_signing_key(c->secret, date, c->region, "s3", key);
	hmac(key, 32, sts, h);
	sodium_memzero(key, sizeof(key));
	hex(h, 32, sig);
	k = snprintf(out + n, outsz - n, "&X-Amz-Signature=%s", sig);
	return k < 0 || (size_t)k >= outsz - n ? -1 : 0;
}

/* The value of name in the query string q ("a=1&b=2"), copied to out. */
static int
query_get(const char *q, const char *name, char *out, size_t outsz)
{
	size_t len = strlen(name), vlen;
	const char *p, *end;

	for (p = q; p != NULL && *p != '\0'; p = end ? end + 1 : NULL) {
		end = strchr(p, '&');
		if (strncmp(p, name, len) == 0 && p[len] == '=') {
			p += len + 1;
			vlen = end ? (size_t)(end - p) : strlen(p);
			if (vlen == 0 || vlen >= outsz)
				return -1;
			memcpy(out, p, vlen);
			out[vlen] = '\0';
			return 0;
		}
	}
	return -1;
}

int
s3_parse(struct s3 *c, const char *url, const char *key, const char *secret,
    char *err, size_t errsz)
{
	const char *q, *h;
	char *port;
	size_t blen;

	memset(c, 0, sizeof(*c));
	if (strncmp(url, "s3://", 5) != 0) {
		snprintf(err, errsz, "the storage URL must be s3://BUCKET?"
		    "endpoint=...&region=...");
		return -1;
	}
	url += 5;
	q = strchr(url, '?');
	blen = q ? (size_t)(q - url) : strlen(url);
	if (blen > 0 && url[blen - 1] == '/')
		blen--;
	if (blen < 3 || blen >= sizeof(c->bucket) ||
	    strspn(url, "abcdefghijklmnopqrstuvwxyz0123456789.-") < blen) {
		snprintf(err, errsz, "the bucket name must be 3 to 63 "
		    "lower-case letters, digits, dots or hyphens");
		return -1;
	}
	memcpy(c->bucket, url, blen);
	if (q == NULL || query_get(q + 1, "region", c->region,
	    sizeof(c->region)) == -1)
		snprintf(c->region, sizeof(c->region), "us-east-1");
	if (q == NULL || query_get(q + 1, "endpoint", c->endpoint,
	    sizeof(c->endpoint)) == -1)
		snprintf(c->endpoint, sizeof(c->endpoint),
		    "https://s3.%s.amazonaws.com", c->region);
	blen = strlen(c->endpoint);
	while (blen > 0 && c->endpoint[blen - 1] == '/')
		c->endpoint[--blen] = '\0';
	if (strncmp(c->endpoint, "https://", 8) == 0) {
		c->https = 1;
		h = c->endpoint + 8;
	} else if (strncmp(c->endpoint, "http://", 7) == 0)
		h = c->endpoint + 7;
	else {
		snprintf(err, errsz, "the S3 endpoint must be an http:// or "
		    "https:// URL");
		return -1;
	}
	if (*h == '\0' || strchr(h, '/') != NULL || strchr(h, '@') != NULL) {
		snprintf(err, errsz, "the S3 endpoint must be scheme://host"
		    "[:port] without a path");
		return -1;
	}
	snprintf(c->host, sizeof(c->host), "%s", h);
	/* The Host header omits the scheme's default port; so must the
	 * signature. */
	if ((port = strrchr(c->host, ':')) != NULL &&
	    strcmp(port + 1, c->https ? "443" : "80") == 0)
		*port = '\0';
	if (key == NULL || *key == '\0' || secret == NULL || *secret == '\0') {
		snprintf(err, errsz, "set ADEPT_S3_KEY and ADEPT_S3_SECRET");
		return -1;
	}
	if (strlen(key) >= sizeof(c->key) ||
	    strlen(secret) >= sizeof(c->secret)) {
		snprintf(err, errsz, "the S3 key or secret is too long");
		return -1;
	}
	snprintf(c->key, sizeof(c->key), "%s", key);
	snprintf(c->secret, sizeof(c->secret), "%s", secret);
	return 0;
}

/* ---- requests ----------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct snippet {
	char	 b[240];
	size_t	 n;
};

static size_t
keep_snippet(char *p, size_t sz, size_t nm, void *arg)
{
	struct snippet *s = arg;
	size_t n = sz * nm, k;

	k = sizeof(s->b) - 1 - s->n < n ? sizeof(s->b) - 1 - s->n : n;
	memcpy(s->b + s->n, p, k);
	s->n += k;
	s->b[s->n] = '\0';
	return n;
}

/* Object keys are ours (hex, '/', '.'): anything else is refused rather
 * than encoded, so the URL, the signature and nginx agree. */
static int
key_ok(const char *key)
{
	return *key != '\0' && key[0] != '/' && strstr(key, "..") == NULL &&
	    strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-/") == strlen(key);
}

#define EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/*
 * Runs one signed request on h (method, body and output set by the
 * caller) for key, with headers hd (NULL: a bodiless request's, made in
 * *own, which the caller frees).  The status from the transport and HTTP
 * code; err says what went wrong in words for the log.
 */
static enum s3_status
perform(const struct s3 *c, CURL *h, const char *what, const char *key,
    struct curl_slist *hd, struct curl_slist **own, struct snippet *body,
    char *err, size_t errsz)
{
	char url[1024], sigv4[100], ebuf[CURL_ERROR_SIZE];
	long code = 0;
	CURLcode cc;

	snprintf(url, sizeof(url), "%s/%s/%s", c->endpoint, c->bucket, key);
	/* S3 wants the payload hash in a header on every request; a PUT
	 * brings its own, the rest have no body. */
	if (hd == NULL && (hd = *own = curl_slist_append(NULL,
	    "x-amz-content-sha256: " EMPTY_SHA256)) == NULL) {
		snprintf(err, errsz, "out of memory");
		return S3_DOWN;
	}
	snprintf(sigv4, sizeof(sigv4), "aws:amz:%s:s3", c->region);
	ebuf[0] = '\0';
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4);
	curl_easy_setopt(h, CURLOPT_USERNAME, c->key);
	curl_easy_setopt(h, CURLOPT_PASSWORD, c->secret);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
	if (c->timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "adept-storage/1");
	if ((cc = curl_easy_perform(h)) != CURLE_OK) {
		snprintf(err, errsz, "%s %s: %s", what, url,
		    ebuf[0] ? ebuf : curl_easy_strerror(cc));
		return S3_DOWN;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300)
		return S3_OK;
	snprintf(err, errsz, "%s %s: HTTP %ld %.200s", what, url, code,
	    body != NULL ? body->b : "");
	if (code == 404)
		return S3_NOTFOUND;
	return code >= 500 ? S3_DOWN : S3_REFUSED;
}

enum s3_status
s3_put_file(const struct s3 *c, const char *key, const char *path,
    int64_t size, const char *ctype, const char *sha256hex, char *err,
    size_t errsz)
{
	struct curl_slist *hd = NULL, *n;
	struct snippet body = { "", 0 };
	char line[2][160];
	enum s3_status st = S3_DOWN;
	FILE *fp = NULL;
	CURL *h = NULL;
	int i;

	if (!key_ok(key)) {
		snprintf(err, errsz, "bad object key");
		return S3_REFUSED;
	}
	pthread_once(&curl_once, curl_start);
	if ((fp = fopen(path, "rb")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return S3_REFUSED;
	}
	snprintf(line[0], sizeof(line[0]), "Content-Type: %s", ctype);
	/* The store checks the body against it; curl signs it. */
	snprintf(line[1], sizeof(line[1]), "x-amz-content-sha256: %s",
	    sha256hex);
	for (i = 0; i < 2; i++) {
		if ((n = curl_slist_append(hd, line[i])) == NULL)
			goto nomem;
		hd = n;
	}
	/* No 100-continue round trip: a server that never sends it costs a
	 * second per upload. */
	if ((n = curl_slist_append(hd, "Expect:")) == NULL ||
	    (h = curl_easy_init()) == NULL)
		goto nomem;
	hd = n;
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READDATA, fp);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_snippet);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	st = perform(c, h, "PUT", key, hd, NULL, &body, err, errsz);
	goto out;
nomem:
	snprintf(err, errsz, "out of memory");
out:
	if (h != NULL)
		curl_easy_cleanup(h);
	curl_slist_free_all(hd);
	fclose(fp);
	return st;
}

enum s3_status
s3_get_file(const struct s3 *c, const char *key, const char *path, char *err,
    size_t errsz)
{
	struct curl_slist *own = NULL;
	enum s3_status st;
	FILE *fp;
	CURL *h;

	if (!key_ok(key)) {
		snprintf(err, errsz, "bad object key");
		return S3_REFUSED;
	}
	pthread_once(&curl_once, curl_start);
	if ((fp = fopen(path, "wbx")) == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return S3_REFUSED;
	}
	if ((h = curl_easy_init()) == NULL) {
		fclose(fp);
		unlink(path);
		snprintf(err, errsz, "out of memory");
		return S3_DOWN;
	}
	curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, fp);
	st = perform(c, h, "GET", key, NULL, &own, NULL, err, errsz);
	curl_easy_cleanup(h);
	curl_slist_free_all(own);
	if (fclose(fp) != 0 && st == S3_OK) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		st = S3_REFUSED;
	}
	if (st != S3_OK)
		unlink(path);
	return st;
}

enum s3_status
s3_delete(const struct s3 *c, const char *key, char *err, size_t errsz)
{
	struct snippet body = { "", 0 };
	struct curl_slist *own = NULL;
	enum s3_status st;
	CURL *h;

	if (!key_ok(key)) {
		snprintf(err, errsz, "bad object key");
		return S3_REFUSED;
	}
	pthread_once(&curl_once, curl_start);
	if ((h = curl_easy_init()) == NULL) {
		snprintf(err, errsz, "out of memory");
		return S3_DOWN;
	}
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(h, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, keep_snippet);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &body);
	st = perform(c, h, "DELETE", key, NULL, &own, &body, err, errsz);
	curl_easy_cleanup(h);
	curl_slist_free_all(own);
	return st == S3_NOTFOUND ? S3_OK : st;
}
