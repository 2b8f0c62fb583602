/*
 * The check both bank-format harnesses (fuzz_gift, fuzz_aiken) run on
 * arbitrary bytes.  Besides memory errors it checks the reader's promises:
 * a refused file has at least one error, every error names a line inside
 * the file, errors come in line order, every question read passes
 * qb_check(); and the writer's: what it writes from an accepted file reads
 * back as the same questions (qb_same, loose where the format carries less),
 * less the ones it says it skipped.
 */
#ifndef ADEPT_FUZZ_QBANK_ROUNDTRIP_H
#define ADEPT_FUZZ_QBANK_ROUNDTRIP_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/qbank.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

static int
lines(const uint8_t *d, size_t n)
{
	size_t i;
	int k = 1;

	for (i = 0; i < n; i++)
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 == n ||
		    d[i + 1] != '\n')))
			k++;
	return k;
}

static int
roundtrip(int (*parse)(struct arena *, const char *, size_t, struct qb_set *),
    size_t (*write)(struct buf *, const struct qb_question *, size_t,
    size_t *), int loose, const uint8_t *data, size_t size)
{
	struct arena a;
	struct qb_set s, t;
	struct buf b;
	size_t i, j, skipped[QB_MAXQUESTIONS], ns, k;
	int r, nl = lines(data, size);

	arena_init(&a, 64 * 1024);
	r = parse(&a, (const char *)data, size, &s);
	CHECK(r == 0 || s.nerr > 0);
	CHECK(r == -1 || s.nerr == 0);
	for (i = 0; i < s.nerr; i++) {
		CHECK(s.err[i].line >= 1 && s.err[i].line <= nl);
		CHECK(s.err[i].msg != NULL && s.err[i].msg[0] != '\0');
		CHECK(i == 0 || s.err[i - 1].line <= s.err[i].line);
	}
	for (i = 0; i < s.nq; i++)
		CHECK(qb_check(&s.q[i]) == NULL);
	if (r == 0) {
		buf_init(&b);
		ns = write(&b, s.q, s.nq, skipped);
		buf_puts(&b, "");
		r = parse(&a, b.p, b.len, &t);
		if (r != 0)
			fprintf(stderr, "re-read failed at line %d: %s\n%s\n",
			    t.err[0].line, t.err[0].msg, b.p);
		CHECK(r == 0);
		CHECK(t.nq + ns == s.nq);
		for (i = 0, j = 0, k = 0; i < s.nq; i++) {
			if (k < ns && skipped[k] == i) {
				k++;
				continue;
			}
			CHECK(qb_same(&s.q[i], &t.q[j], loose));
			j++;
		}
		buf_free(&b);
	}
	arena_free(&a);
	return 0;
}

#endif
