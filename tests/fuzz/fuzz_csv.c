/*
 * fuzz_csv: the CSV reader (src/base/csv.c) on arbitrary bytes.  Besides
 * memory errors (ASan/UBSan) it checks the reader's promises: every field is
 * a NUL-terminated string, getters agree with each other, errors name a
 * line, and the file reader (csv_open_file over fmemopen) sees exactly the
 * rows and fields the memory reader sees.
 */
// SOURCES: src/base/csv.c
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

/* Exercises every getter on the current row. */
static void
getters(struct csv *c)
{
	double d;
	int64_t v64;
	int i, v, r64, r;

	for (i = -1; i <= c->nfield; i++) {
		const char *s = csv_str(c, i);

		CHECK(s != NULL);
		CHECK(strlen(s) <= c->linecap);
		if (i < 0 || i == c->nfield)
			CHECK(*s == '\0');
		(void)csv_is_na(c, i);
		if (csv_double(c, i, &d) == 0)
			CHECK(isfinite(d));
		else
			CHECK(strncmp(csv_error(c), "line ", 5) == 0);
		r64 = csv_int64(c, i, &v64);
		r = csv_int(c, i, &v);
		/* An int is an int64 in range. */
		CHECK(r == -1 || (r64 == 0 && v64 == v));
		if (r64 == 0 && v64 > -2147483648LL && v64 < 2147483648LL)
			CHECK(r == 0);
	}
}

/* Reads the header and every row from the memory reader and, in lockstep,
 * from the stream reader (NULL when fmemopen is unavailable). */
static void
read_all(const char *buf, size_t len, FILE *fp)
{
	struct csv m, f;
	int rm, rf, i, n = 0;

	rm = csv_open_mem(&m, buf, len);
	if (fp != NULL) {
		rf = csv_open_file(&f, fp);
		CHECK(rm == rf);
		CHECK(strcmp(csv_error(&m), csv_error(&f)) == 0);
	}
	if (rm == 0) {
		CHECK(m.nhdr >= 1);
		/* csv_col is a linear scan: check the first names only, or
		 * a 4096-column header costs 16M compares per input. */
		for (i = 0; i < m.nhdr && i < 64; i++)
			CHECK(csv_col(&m, m.hdr[i]) <= i);
		if (csv_need(&m, "\x01no such column") == -1)
			CHECK(strncmp(csv_error(&m), "line 1: missing", 15) ==
			    0);
		for (;;) {
			rm = csv_next(&m);
			if (fp != NULL) {
				rf = csv_next(&f);
				CHECK(rm == rf);
				CHECK(m.lineno == f.lineno);
				if (rm == 1) {
					CHECK(m.nfield == f.nfield);
					for (i = 0; i < m.nfield; i++)
						CHECK(strcmp(csv_str(&m, i),
						    csv_str(&f, i)) == 0);
				} else if (rm == -1)
					CHECK(strcmp(csv_error(&m),
					    csv_error(&f)) == 0);
			}
			if (rm != 1)
				break;
			CHECK(m.nfield == m.nhdr);
			getters(&m);
			if (fp != NULL)
				getters(&f);
			if (++n > 100000)
				break;
		}
		if (rm == -1) {
			CHECK(strncmp(csv_error(&m), "line ", 5) == 0);
			/* Fields left after an error must still be valid
			 * memory (a tool may print the offending one). */
			for (i = 0; i < m.nfield; i++)
				CHECK(strlen(csv_str(&m, i)) <= m.linecap);
			for (i = 0; fp != NULL && i < f.nfield; i++)
				CHECK(strlen(csv_str(&f, i)) <= f.linecap);
		}
	}
	csv_close(&m);
	if (fp != NULL)
		csv_close(&f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp = NULL;
	char *copy;

	/* A private copy, so the stream reader does not alias the input. */
	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if (size > 0)
		fp = fmemopen(copy, size, "r");
	read_all((const char *)data, size, fp);
	if (fp != NULL)
		fclose(fp);
	free(copy);
	return 0;
}
