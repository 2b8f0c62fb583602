/*
 * s3: the S3-compatible object store behind storage (issue 7, uploads).
 *
 * Requests are path-style (ENDPOINT/BUCKET/KEY) and signed with AWS
 * Signature Version 4: PUT, GET and DELETE by libcurl's own signer
 * (CURLOPT_AWS_SIGV4), and the short-lived GET URLs nginx fetches for a
 * reader by s3_presign() (query-string signing, which libcurl lacks),
 * built on libsodium's SHA-256 and HMAC-SHA256.  A PUT streams from the
 * file, never from memory, and carries the SHA-256 already computed while
 * the upload arrived, so the store checks what it received.
 */
#ifndef ADEPT_S3_H
#define ADEPT_S3_H

#include <stdint.h>
#include <time.h>

struct s3 {
	char	 endpoint[256];	/* "http://127.0.0.1:4569", no slash at the end */
	char	 host[256];	/* Host header: endpoint's host[:port], no
				 * default port */
	char	 bucket[64];
	char	 region[64];
	char	 key[128];	/* access key id */
	char	 secret[128];	/* secret access key */
	int	 https;
	long	 timeout_ms;	/* per request, 0: curl's default */
};

enum s3_status {
	S3_OK = 0,
	S3_NOTFOUND,		/* 404: the object is not there */
	S3_DOWN,		/* no answer, a time-out, or a 5xx: try later */
	S3_REFUSED		/* a 4xx other than 404: configuration */
};

/*
 * Fills c from a storage URL "s3://BUCKET?endpoint=URL&region=REGION"
 * (endpoint defaults to https://s3.REGION.amazonaws.com, region to
 * us-east-1) and the credentials.  0, or -1 with err set.
 */
int	 s3_parse(struct s3 *c, const char *url, const char *key,
	    const char *secret, char *err, size_t errsz);
/* PUT path's bytes (size of them) as KEY with a content type and the
 * hex SHA-256 of the bytes. */
enum s3_status	 s3_put_file(const struct s3 *, const char *key,
		    const char *path, int64_t size, const char *ctype,
		    const char *sha256hex, char *err, size_t errsz);
/* GET KEY into a new file at path (removed again on failure). */
enum s3_status	 s3_get_file(const struct s3 *, const char *key,
		    const char *path, char *err, size_t errsz);
/* DELETE KEY; an object already gone is S3_OK (S3 answers 204 too). */
enum s3_status	 s3_delete(const struct s3 *, const char *key, char *err,
		    size_t errsz);
/*
 * The query string presigning METHOD on uri (the canonical path, e.g.
 * "/bucket/ab/abcd.png", already safe: unreserved characters and '/'),
 * signed at now for expires seconds with only the host header signed and
 * an unsigned payload.  0, or -1 if out is too small.
 */
int	 s3_presign(const struct s3 *, const char *method, const char *uri,
	    time_t now, int expires, char *out, size_t outsz);
/* AWS SigV4 signing key for date (YYYYMMDD), region and service. */
void	 s3_signing_key(const char *secret, const char *date,
	    const char *region, const char *service, unsigned char key[32]);

#endif
