/*
 * csv: the reader and writer behind every `adept` algorithm tool and the
 * reference-vector tests.
 *
 * Input is RFC 4180-ish: comma-separated, a header row, optional double
 * quotes around a field ("" inside quotes is a quote; quoted fields do not
 * span lines), CRLF or LF.  Columns are found by name; extra columns are
 * ignored.  Every row must have as many fields as the header (a ragged row is
 * an error naming its line).  Errors are kept in the reader as a message
 * "line N: ..." so a tool can print it and exit 2.
 */
#ifndef ADEPT_CSV_H
#define ADEPT_CSV_H

#include <stdint.h>
#include <stdio.h>

#define CSV_MAXFIELDS	4096

struct csv {
	FILE		*fp;		/* stream source, or NULL */
	const char	*mem;		/* memory source */
	size_t		 memlen, memoff;
	char		*line;		/* current row, split in place */
	size_t		 linecap;
	char		*hdrbuf;	/* copy of the header row */
	char		**hdr;		/* header names */
	int		 nhdr;
	char		**field;	/* fields of the current row */
	int		 nfield;
	long		 lineno;	/* 1-based line of the current row */
	char		 err[256];
};

/* Opens a reader and reads the header.  0, or -1 with csv_error() set
 * (including "empty input").  The reader owns no stream: the caller
 * closes fp. */
int		 csv_open_file(struct csv *, FILE *fp);
int		 csv_open_mem(struct csv *, const char *buf, size_t len);
void		 csv_close(struct csv *);

/* Index of the named column, or -1. */
int		 csv_col(const struct csv *, const char *name);
/* Like csv_col, but -1 also sets "missing column NAME". */
int		 csv_need(struct csv *, const char *name);

/* Reads the next row: 1 on a row, 0 at end of input, -1 on error. Blank
 * lines are skipped. */
int		 csv_next(struct csv *);

/* The field at column i of the current row ("" if i < 0). */
const char	*csv_str(const struct csv *, int i);
/* Typed getters: 0, or -1 with "line N: column NAME: ..." set.  Doubles
 * must be finite; "NA" and "" are refused (use csv_is_na first). */
int		 csv_double(struct csv *, int i, double *);
int		 csv_int64(struct csv *, int i, int64_t *);
int		 csv_int(struct csv *, int i, int *);
int		 csv_is_na(const struct csv *, int i);
/* Sets the error message; always returns -1. */
int		 csv_fail(struct csv *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
const char	*csv_error(const struct csv *);

/* Writes a double the way every tool prints numbers: %.17g; NaN as "". */
void		 csv_put_double(FILE *, double);

#endif
