/*
 * s3: query-string presigning and signing-key derivation reproduce the
 * vectors AWS publishes (tests/data/aws_sigv4.txt); the storage URL is
 * parsed into endpoint, Host, bucket and region, and refused with a reason
 * when it cannot work.  No server: requests are tested against s3rver in
 * tests/integration/s3.test.mjs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "out/s3.h"

/* The value of name in tests/data/aws_sigv4.txt ("name = value" lines). */
static const char *
vec(const char *name)
{
	static char val[32][512];
	static int next;
	char line[1024], *eq, *v;
	size_t len = strlen(name);
	FILE *fp;

	if ((fp = fopen("tests/data/aws_sigv4.txt", "r")) == NULL) {
		fprintf(stderr, "cannot open tests/data/aws_sigv4.txt (run "
		    "from the checkout)\n");
		abort();
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || strncmp(line, name, len) != 0 ||
		    (eq = strstr(line, " = ")) == NULL ||
		    (size_t)(eq - line) != len)
			continue;
		v = val[next++ % 32];
		snprintf(v, 512, "%s", eq + 3);
		fclose(fp);
		return v;
	}
	fclose(fp);
	fprintf(stderr, "no %s in tests/data/aws_sigv4.txt\n", name);
	abort();
}

static void
aws_example(struct s3 *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->host, sizeof(c->host), "%s", vec("presign.host"));
	snprintf(c->region, sizeof(c->region), "%s", vec("presign.region"));
	snprintf(c->key, sizeof(c->key), "%s", vec("presign.key"));
	snprintf(c->secret, sizeof(c->secret), "%s", vec("presign.secret"));
}

static void
presign_matches_aws_example(void **state)
{
	struct s3 c;
	char out[1024], want[1024];

	aws_example(&c);
	assert_int_equal(s3_presign(&c, vec("presign.method"),
	    vec("presign.uri"), (time_t)atoll(vec("presign.time")),
	    atoi(vec("presign.expires")), out, sizeof(out)), 0);
	snprintf(want, sizeof(want), "%s&X-Amz-Signature=%s",
	    vec("presign.query"), vec("presign.signature"));
	assert_string_equal(out, want);
}

static void
presign_binds_host_uri_method_and_time(void **state)
{
	struct s3 c;
	char base[1024], other[1024];
	time_t t = (time_t)atoll(vec("presign.time"));

	aws_example(&c);
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", t, 300, base,
	    sizeof(base)), 0);
	assert_int_equal(s3_presign(&c, "GET", "/test2.txt", t, 300, other,
	    sizeof(other)), 0);
	assert_string_not_equal(base, other);
	assert_int_equal(s3_presign(&c, "HEAD", "/test.txt", t, 300, other,
	    sizeof(other)), 0);
	assert_string_not_equal(base, other);
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", t + 1, 300, other,
	    sizeof(other)), 0);
	assert_string_not_equal(base, other);
	snprintf(c.host, sizeof(c.host), "127.0.0.1:4569");
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", t, 300, other,
	    sizeof(other)), 0);
	assert_string_not_equal(base, other);
	assert_non_null(strstr(base, "&X-Amz-Expires=300&"));
}

static void
presign_refuses_a_short_buffer(void **state)
{
	struct s3 c;
	char out[1024];
	size_t need;

	aws_example(&c);
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", 0, 60, out,
	    sizeof(out)), 0);
	need = strlen(out) + 1;
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", 0, 60, out,
	    need), 0);
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", 0, 60, out,
	    need - 1), -1);
	assert_int_equal(s3_presign(&c, "GET", "/test.txt", 0, 60, out, 40),
	    -1);
}

static void
signing_key_matches_aws_example(void **state)
{
	unsigned char k[32];
	char hex[65];

	s3_signing_key(vec("key.secret"), vec("key.date"), vec("key.region"),
	    vec("key.service"), k);
	sodium_bin2hex(hex, sizeof(hex), k, sizeof(k));
	assert_string_equal(hex, vec("key.hex"));
}

static void
parse_storage_url(void **state)
{
	struct s3 c;
	char err[200];

	assert_int_equal(s3_parse(&c, "s3://media-bucket?endpoint="
	    "http://127.0.0.1:4569/&region=eu-west-1", "AK", "SK", err,
	    sizeof(err)), 0);
	assert_string_equal(c.bucket, "media-bucket");
	assert_string_equal(c.endpoint, "http://127.0.0.1:4569");
	assert_string_equal(c.host, "127.0.0.1:4569");
	assert_string_equal(c.region, "eu-west-1");
	assert_string_equal(c.key, "AK");
	assert_string_equal(c.secret, "SK");
	assert_int_equal(c.https, 0);

	/* Defaults: us-east-1 and AWS's regional endpoint. */
	assert_int_equal(s3_parse(&c, "s3://media.example", "AK", "SK", err,
	    sizeof(err)), 0);
	assert_string_equal(c.region, "us-east-1");
	assert_string_equal(c.endpoint, "https://s3.us-east-1.amazonaws.com");
	assert_string_equal(c.host, "s3.us-east-1.amazonaws.com");
	assert_int_equal(c.https, 1);

	/* A default port is not part of the Host header curl sends. */
	assert_int_equal(s3_parse(&c, "s3://bkt?region=r1&endpoint="
	    "https://minio.example:443", "AK", "SK", err, sizeof(err)), 0);
	assert_string_equal(c.host, "minio.example");
	assert_string_equal(c.region, "r1");
	assert_int_equal(s3_parse(&c, "s3://bkt?endpoint=http://h:80", "AK",
	    "SK", err, sizeof(err)), 0);
	assert_string_equal(c.host, "h");
}

static void
parse_refuses_what_cannot_work(void **state)
{
	struct s3 c;
	char err[200];

	assert_int_equal(s3_parse(&c, "http://bucket", "AK", "SK", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "s3://"));
	assert_int_equal(s3_parse(&c, "s3://Bad_Bucket", "AK", "SK", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "bucket"));
	assert_int_equal(s3_parse(&c, "s3://ab", "AK", "SK", err,
	    sizeof(err)), -1);
	assert_int_equal(s3_parse(&c, "s3://bkt?endpoint=ftp://h", "AK",
	    "SK", err, sizeof(err)), -1);
	assert_int_equal(s3_parse(&c, "s3://bkt?endpoint=http://h/prefix",
	    "AK", "SK", err, sizeof(err)), -1);
	assert_int_equal(s3_parse(&c, "s3://bkt?endpoint=http://u@h", "AK",
	    "SK", err, sizeof(err)), -1);
	assert_int_equal(s3_parse(&c, "s3://bkt", "", "SK", err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "ADEPT_S3_KEY"));
	assert_int_equal(s3_parse(&c, "s3://bkt", "AK", NULL, err,
	    sizeof(err)), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(presign_matches_aws_example),
		cmocka_unit_test(presign_binds_host_uri_method_and_time),
		cmocka_unit_test(presign_refuses_a_short_buffer),
		cmocka_unit_test(signing_key_matches_aws_example),
		cmocka_unit_test(parse_storage_url),
		cmocka_unit_test(parse_refuses_what_cannot_work),
	};

	if (sodium_init() == -1)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
