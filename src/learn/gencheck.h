/*
 * gencheck: the quality gates every generated item passes through before
 * anyone sees it -- grounded, duplicate-free, distractors distinct,
 * readability for the course level, safety (blocked terms, personal data).
 *
 * Design decision: checks judge text against text by tokens (folded,
 * plurals folded, learn_norm), never by the generator's own bookkeeping,
 * so they hold for items from any backend (an LLM's included): an item is
 * grounded when every token of the sentence it claims is in the cited
 * passage and its stem with the answer put back is that sentence.  Each
 * check gives ok or a reason a person can act on.
 */
#ifndef ADEPT_LEARN_GENCHECK_H
#define ADEPT_LEARN_GENCHECK_H

#include <stddef.h>

#include "learn/gen.h"
#include "learn/passage.h"

enum learn_check {
	LEARN_CHECK_GROUNDED,
	LEARN_CHECK_DUPLICATE,
	LEARN_CHECK_DISTRACTORS,
	LEARN_CHECK_READABILITY,
	LEARN_CHECK_SAFETY,
	LEARN_CHECK__MAX
};

/* "grounded", "duplicate_free", "distractors_distinct", "readability",
 * "safety". */
const char *learn_check_name(enum learn_check);

/* Reading levels: the longest sentence (words) and the lowest Flesch
 * reading ease an item's text may have.
 *   primary       20 words, ease >= 60
 *   secondary     28 words, ease >= 40
 *   adult         40 words, ease >= 10
 *   professional  60 words, any ease
 * The ease is judged on texts of ten words or more only: on fewer, one
 * long word swings it by tens of points. */
enum learn_level {
	LEARN_LEVEL_PRIMARY,
	LEARN_LEVEL_SECONDARY,
	LEARN_LEVEL_ADULT,
	LEARN_LEVEL_PROFESSIONAL,
	LEARN_LEVEL__MAX
};

const char *learn_level_name(enum learn_level);
/* The level named s, or LEARN_LEVEL__MAX. */
enum learn_level learn_level_parse(const char *s);
/* The longest sentence a level allows (for learn_gen_req.max_words). */
size_t	learn_level_max_words(enum learn_level);

struct learn_check_opt {
	enum learn_level	 level;
	const char *const	*blocked;	/* terms, matched as whole words */
	size_t			 nblocked;
};

#define LEARN_CHECK_REASON	200

struct learn_check_result {
	int	ok[LEARN_CHECK__MAX];
	char	reason[LEARN_CHECK__MAX][LEARN_CHECK_REASON];	/* "" if ok */
	int	pass;		/* all ok */
};

/* Runs every check but the duplicate one (which needs the whole set: see
 * learn_check_dups) on item x, whose passage and cites index ps[0..np).
 * Fills *res (its duplicate check ok) and returns res->pass, or -1 when
 * out of memory. */
int	learn_check_item(const struct learn_item *x,
	    const struct learn_passage *ps, size_t np,
	    const struct learn_check_opt *, struct learn_check_result *res);

/* The duplicate check over items[0..n): an item whose folded question,
 * or (for single choice and cloze) whose answer and source passage, or
 * (for true/false) whose claim, an earlier item already has, fails,
 * naming that item (1-based).  Updates res[i].ok/reason/pass.  Returns
 * the number of duplicates, or (size_t)-1 when out of memory. */
size_t	learn_check_dups(const struct learn_item *items, size_t n,
	    struct learn_check_result *res);

/* The readability check on any text s[0..n) (a lesson's paragraph, say):
 * 1 when it suits level, else 0 with the reason (as the item check words
 * it) in reason. */
int	learn_check_readable(const char *s, size_t n, enum learn_level level,
	    char *reason, size_t reasonlen);

/* Flesch reading ease of s[0..n): 206.835 - 1.015 words/sentences
 * - 84.6 syllables/words; *words_per_sentence when not NULL. */
double	learn_flesch(const char *s, size_t n, double *words_per_sentence);

/* 0 when s[0..n) holds none of the blocked terms and no e-mail address,
 * phone number, payment card number (Luhn-valid) or IBAN (mod-97 valid);
 * else 1 with what was found (the kind, never the data itself) in
 * reason. */
int	learn_safety(const char *s, size_t n, const struct learn_check_opt *,
	    char *reason, size_t reasonlen);

#endif
