/*
 * aiken: Moodle's Aiken format, read and written (text in, struct out; no
 * I/O).  A question is its text (one or more lines), then two or more
 * options "A. text" or "A) text" with consecutive capital letters, then
 * "ANSWER: X".  Blank lines between questions are optional.  Aiken carries
 * single-choice questions only: no title, feedback, explanation, skills or
 * difficulty.
 *
 * The design decision, as for GIFT: every error is reported with its
 * line and a file with any error imports nothing.
 */
#ifndef ADEPT_AIKEN_H
#define ADEPT_AIKEN_H

#include <stddef.h>

#include "base/qbank.h"

struct arena;
struct buf;

/* Parses text[0..len) into *out (zeroed first); 0, or -1 with out->err
 * listing every error in line order.  Questions are QB_SINGLE. */
int	aiken_parse(struct arena *, const char *text, size_t len,
	    struct qb_set *out);

/*
 * Appends the single-choice questions of q[0..n) in Aiken.  A question is
 * skipped (a reason is not written: Aiken has no comments) when it is not
 * single choice, or its text has a blank line or a line that would read as
 * an option or an answer line, or an option has a line break; skipped
 * indexes go to skipped[] when not NULL.  Returns the number skipped.
 * What aiken_parse() reads back is qb_same(loose) as the input.
 */
size_t	aiken_write(struct buf *out, const struct qb_question *q, size_t n,
	    size_t *skipped);

#endif
