/*
 * gift: Moodle's GIFT question format, read and written (text in, struct
 * out; no I/O).
 *
 * What is read: questions separated by blank lines; "//" comment lines;
 * "$CATEGORY:" lines (ignored); an optional "::title::"; an optional
 * format tag ([markdown], [html], [moodle], [plain]; dropped); the answer
 * block {...}, with text after it making a missing-word question (the
 * blank shown as "_____").  In the block: "=right ~wrong" choices with
 * optional "%weight%" and "#feedback" (one "=" and no positive "~" weight:
 * single choice; several "=" or a positive "~%w%": multiple choice, the
 * options with a positive weight being the correct ones); only "=" answers:
 * short text; T/TRUE/F/FALSE with "#wrong feedback#right feedback": true or
 * false; "#value", "#value:tolerance", "#min..max" or "#=v:t#fb =%0%v:t"
 * lists: numeric (a range becomes its midpoint +- half its width; an
 * answer with weight 0 is a wrong answer that still carries feedback);
 * "####text": the general feedback, our explanation.  Escapes \~ \= \# \{
 * \} \: \\ and \n (newline).  Refused with a message: essay ({}),
 * matching (->), descriptions (no answer block).
 *
 * Adept's own metadata rides in comment lines Moodle ignores, before the
 * question they describe: "// adept-difficulty: 4" and one
 * "// adept-skill: Name" per skill.
 *
 * The design decision: a file is all or nothing.  The parser reads every
 * question and reports every error with its line, so the author fixes the
 * file in one pass; the caller imports only when there is none.
 */
#ifndef ADEPT_GIFT_H
#define ADEPT_GIFT_H

#include <stddef.h>

#include "base/qbank.h"

struct arena;
struct buf;

/*
 * Parses text[0..len) (UTF-8; a leading BOM is skipped; CRLF, CR and LF
 * line ends) into *out (zeroed first; memory in the arena).  Returns 0 when
 * the file has no error, else -1 with out->err listing them in line order.
 * Every parsed question passed qb_check().
 */
int	gift_parse(struct arena *, const char *text, size_t len,
	    struct qb_set *out);

/*
 * Appends questions q[0..n) in GIFT to out, each followed by a blank
 * line.  Kinds GIFT cannot carry (ordering) are not written; for each
 * one a comment line "// skipped: ..." is written instead, and its index
 * is stored in skipped[] (room for n) when skipped is not NULL.  Returns
 * the number skipped.  What gift_parse() reads back from the output is
 * qb_same() as the input, for questions that pass qb_check() and have
 * trimmed texts.
 */
size_t	gift_write(struct buf *out, const struct qb_question *q, size_t n,
	    size_t *skipped);

#endif
