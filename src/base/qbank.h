/*
 * qbank: the question as the bank's text formats see it (GIFT, Aiken), and
 * the pure answer rules the bank and the attempts share: short-text
 * normalisation, numeric tolerance, authored difficulty on the IRT scale.
 *
 * The design decision: one plain struct for every question type.  A
 * question is a stem and a list of options; what an option means depends
 * on the kind (single/multiple choice: a choice, correct or not; true/
 * false: the two options "True" and "False"; numeric: a value with a
 * tolerance, correct or not, matched first to last; short text: an
 * accepted answer; ordering: an item, listed in the correct order).  So
 * parsers, writers, the database rows and the pages all walk the same
 * array.  Strings live in the caller's arena; nothing here does I/O.
 */
#ifndef ADEPT_QBANK_H
#define ADEPT_QBANK_H

#include <stddef.h>

struct arena;

enum qb_kind {
	QB_SINGLE = 0,	/* one correct choice */
	QB_MULTIPLE,	/* one or more correct choices */
	QB_TRUEFALSE,
	QB_NUMERIC,
	QB_SHORT,	/* typed text, several accepted answers */
	QB_ORDERING,
	QB__MAX
};

#define QB_MAXOPTS	10	/* options per question */
#define QB_MAXSKILLS	10	/* skills per question */
#define QB_MAXQUESTIONS	2000	/* questions per imported file */
#define QB_MAXERRORS	200	/* errors kept per file (then a summary) */
#define QB_MAXTEXT	10000	/* stem, explanation: characters */
#define QB_MAXOPTTEXT	1000	/* option text, feedback: characters */
#define QB_MAXTITLE	200
#define QB_MAXSKILLNAME	100

struct qb_option {
	const char	*text;		/* "" for numeric options */
	const char	*feedback;	/* "" = none */
	int		 correct;
	double		 value;		/* numeric: the answer */
	double		 tolerance;	/* numeric: accepted +- */
};

struct qb_question {
	enum qb_kind	 kind;
	int		 line;		/* first line in the source, 0 = none */
	const char	*title;		/* "" = none */
	const char	*stem;		/* Markdown */
	const char	*explanation;	/* "" = none */
	int		 difficulty;	/* 1..10, 0 = not given */
	const char	*skills[QB_MAXSKILLS];	/* skill names */
	size_t		 nskills;
	struct qb_option opts[QB_MAXOPTS];
	size_t		 nopts;
};

struct qb_error {
	int		 line;
	const char	*msg;
};

/*
 * What a parser returns: the questions it read and every error it found
 * (line-numbered, in file order).  A file with any error must be refused
 * as a whole; q then holds the questions that parsed, for reporting only.
 * ndropped counts errors past QB_MAXERRORS (not kept).
 */
struct qb_set {
	struct qb_question	*q;
	size_t			 nq;
	struct qb_error		*err;
	size_t			 nerr;
	size_t			 ndropped;
	size_t			 capq, caperr;	/* internal */
};

/* "single", "multiple", "truefalse", "numeric", "short", "ordering". */
const char	*qb_kind_name(enum qb_kind);
/* "Single choice", ... for pages. */
const char	*qb_kind_label(enum qb_kind);
/* The kind for a name above, or -1. */
int		 qb_kind_parse(const char *);

/*
 * The rules every stored question keeps: a non-empty stem; single choice
 * 2+ options with exactly one correct; multiple choice 2+ options, one or
 * more correct; true/false exactly the options "True" and "False", one
 * correct; numeric 1+ options, one or more correct, finite values,
 * finite tolerances >= 0; short text 1+ accepted answers, all correct;
 * ordering 2+ items; no empty option text (numeric aside); difficulty
 * 0..10; lengths within the limits above.  Returns NULL or a sentence
 * saying what is wrong.
 */
const char	*qb_check(const struct qb_question *);

/* Initialises q as an empty question of kind k ("" strings). */
void		 qb_init(struct qb_question *, enum qb_kind);

/*
 * Short-text normalisation: surrounding blanks dropped, inner runs of
 * blanks (space, tab, newline, no-break space) made one space, letters
 * lower-cased (ASCII, Latin-1, Latin Extended-A pairs, Greek and Cyrillic
 * basic capitals; no Unicode normalisation).  Invalid UTF-8 bytes are kept
 * as they are.  The result is in the arena.
 */
char		*qb_normalise(struct arena *, const char *);
/* The index of the first short-text option whose normalised text equals
 * the normalised answer, or -1. */
int		 qb_short_match(struct arena *, const struct qb_question *,
		    const char *answer);
/* The index of the first numeric option with |x - value| <= tolerance
 * (with a relative slack of 1e-9 for decimal rounding), or -1. */
int		 qb_numeric_match(const struct qb_question *, double x);

/*
 * Authored difficulty 1..10 on the IRT ability scale, for items not yet
 * calibrated: b = (d - 5.5) / 1.5, so 1 -> -3, 10 -> +3, evenly spaced.
 * Out-of-range d is clamped.
 */
double		 qb_difficulty_b(int d);

/*
 * 1 if a and b are the same question as the text formats carry it: kind,
 * title, stem, explanation, difficulty, skills (in order), and per option
 * text, feedback, correctness and (numeric) value and tolerance.  With
 * loose set, only what Aiken carries: kind, stem, option texts and
 * correctness.
 */
int		 qb_same(const struct qb_question *, const struct qb_question *,
		    int loose);

/* Shortest decimal that reads back as the same double ("%.15g" when that
 * round-trips, else "%.17g"), into out (32 bytes). */
void		 qb_fmt_double(char out[32], double);

/* Adds an error (printf-style) at line to the set; past QB_MAXERRORS it
 * only counts. */
void		 qb_error_add(struct arena *, struct qb_set *, int line,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* 1 if s[0..len) is well-formed UTF-8 without NUL; else 0 with *bad set
 * to the offset of the first bad byte. */
int		 qb_utf8_check(const char *s, size_t len, size_t *bad);

/* Appends a copy of q to the set (the strings are shared); -1 past
 * QB_MAXQUESTIONS. */
int		 qb_set_add(struct arena *, struct qb_set *,
		    const struct qb_question *);

#endif
