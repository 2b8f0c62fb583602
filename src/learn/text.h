/*
 * text: the small toolkit every liblearn "reason" formatter shares, so a
 * page can turn a machine-readable reason (an enum plus numbers and ids)
 * into the sentence it shows.
 *
 * Design decision: the library knows ids, never titles, so a formatter
 * asks the caller for names through one callback (struct learn_names);
 * with no callback, or when it returns NULL, the id is printed ("skill
 * #12").  Sentences are written snprintf-style into the caller's buffer:
 * always NUL-terminated when size > 0, and the return value is the length
 * the whole sentence needs, so a caller can detect truncation.  The text is
 * UTF-8 (arrows and dashes) and English; names are copied as given (the
 * caller HTML-escapes when it renders).
 */
#ifndef ADEPT_LEARN_TEXT_H
#define ADEPT_LEARN_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* What an id names, for struct learn_names. */
enum learn_name_kind {
	LEARN_NAME_SKILL = 0,
	LEARN_NAME_COURSE,
	LEARN_NAME_LESSON,
	LEARN_NAME_ITEM,
	LEARN_NAME_QUIZ,
	LEARN_NAME__MAX
};

/* name(arg, kind, id) returns a NUL-terminated name that stays valid until
 * the formatter returns, or NULL to have the id printed instead. */
struct learn_names {
	const char	*(*name)(void *arg, int kind, int64_t id);
	void		*arg;
};

/* An appender over a caller buffer: pos counts every byte asked for, even
 * past size, so pos is the snprintf-style result. */
struct learn_text {
	char		*buf;
	size_t		 size;
	size_t		 pos;
};

/* Starts an appender over buf[0..size) (buf may be NULL when size is 0)
 * and writes the empty string. */
void	learn_text_init(struct learn_text *, char *buf, size_t size);

/* Appends printf-style; keeps the buffer NUL-terminated. */
void	learn_text_printf(struct learn_text *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	learn_text_vprintf(struct learn_text *, const char *fmt, va_list);

/* Appends the name of id (kind from enum learn_name_kind) via names, or
 * "skill #id" / "course #id" / ... when names is NULL or has no name. */
void	learn_text_name(struct learn_text *, const struct learn_names *,
	    int kind, int64_t id);

/* Appends a level or other small number without noise: "4" for 4.0,
 * "4.5" for 4.5 (one decimal, rounded half away from zero). */
void	learn_text_num(struct learn_text *, double);

/* Appends a fraction in [0, 1] as a whole percentage: "92 %". */
void	learn_text_pct(struct learn_text *, double fraction);

/* The snprintf-style result: the length the whole text needs, capped at
 * INT_MAX. */
int	learn_text_len(const struct learn_text *);

#endif
