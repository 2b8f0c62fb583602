/*
 * gen: content generation from a course's own material -- learning
 * objectives, a lesson draft in Markdown and quiz items (single choice,
 * true/false, cloze), each tied to the passages it came from.
 *
 * Design decision: generators sit behind one interface, struct
 * learn_gen_backend, so that a language-model backend (which does I/O and
 * so lives outside liblearn, e.g. in src/out/) can be added beside the
 * offline one without touching the callers.  The offline backend here is
 * extractive and rule-based: key terms come from TF-IDF over the passages,
 * capitalised and multi-word terms and definitional sentences ("X is a",
 * "X refers to"); every question is a sentence of the material with one
 * key term blanked, kept or swapped for a term of the same type (a year for
 * a year, a name for a name), and distractors are terms of that type from
 * the same material.  No randomness: the same passages give the same
 * items, in the same order, with options in the same places.
 */
#ifndef ADEPT_LEARN_GEN_H
#define ADEPT_LEARN_GEN_H

#include <stddef.h>

#include "learn/bm25.h"
#include "learn/passage.h"

enum learn_term_type {
	LEARN_TERM_YEAR,	/* 1000-2099 */
	LEARN_TERM_NUMBER,	/* other numbers: 8080, 3.14, 1,000 */
	LEARN_TERM_NAME,	/* capitalised or acronym: PostgreSQL, Edgar Codd */
	LEARN_TERM_PHRASE,	/* multi-word, lower case: primary key */
	LEARN_TERM_WORD,	/* one lower-case word: normalisation */
	LEARN_TERM__MAX
};

/* "year", "number", "name", "phrase", "word". */
const char *learn_term_type_name(enum learn_term_type);

struct learn_term {
	char			*text;	/* display form (malloc'd) */
	char			*norm;	/* folded, stemmed tokens, one space apart */
	size_t			 ntok;
	enum learn_term_type	 type;
	double			 score;	/* 0..1, the best term 1 */
	size_t			 count;	/* occurrences in distinct sentences */
	size_t			 passage; /* first passage it occurs in */
	long			 def;	/* sentence defining it, or -1 */
};

/* A sentence of the material, counted once even when two overlapping
 * passages hold it. */
struct learn_sent {
	size_t		 passage;	/* first passage holding it */
	const char	*text;		/* into the caller's document */
	size_t		 len;
	size_t		 words;
	double		 score;
	int		 defines;	/* 1: "X is a ..." and X is a term */
};

/*
 * The material: passages, their index, key terms and sentences, computed
 * once (learn_material_init) and shared by every generator call.  The
 * passages and index stay the caller's; terms and sentences are owned
 * here and freed by learn_material_free.
 */
struct learn_material {
	const struct learn_passage *ps;
	size_t			 np;
	const struct learn_bm25	*idx;
	struct learn_term	*terms;	/* best first */
	size_t			 nterms;
	struct learn_sent	*sents;	/* in text order */
	size_t			 nsents;
	struct learn_termmap	*priv;	/* the term index */
};

/* 0, or -1 when out of memory (m is then empty and safe to free). */
int	learn_material_init(struct learn_material *m,
	    const struct learn_passage *ps, size_t np,
	    const struct learn_bm25 *idx);
void	learn_material_free(struct learn_material *);

enum learn_item_type {
	LEARN_ITEM_SINGLE,	/* single choice */
	LEARN_ITEM_TRUEFALSE,
	LEARN_ITEM_CLOZE,
	LEARN_ITEM_OBJECTIVE,
	LEARN_ITEM__MAX
};

/* "single_choice", "true_false", "cloze", "objective". */
const char *learn_item_type_name(enum learn_item_type);

enum learn_bloom {
	LEARN_BLOOM_REMEMBER,
	LEARN_BLOOM_UNDERSTAND,
	LEARN_BLOOM_APPLY,
	LEARN_BLOOM_ANALYSE,
	LEARN_BLOOM__MAX
};

/* "remember", "understand", "apply", "analyse". */
const char *learn_bloom_name(enum learn_bloom);
/* 1 if the first word of s is one of the level's observable verbs
 * (define, list, state; explain, describe, summarise; use, compute, apply;
 * compare, distinguish, contrast). */
int	learn_bloom_verb(enum learn_bloom, const char *s);

#define LEARN_OPTIONS_MAX	4
#define LEARN_CITES_MAX		4

/*
 * One generated item.  Strings are malloc'd and owned by the item.  For a
 * quiz item, stem is the statement asked about (for single choice and
 * cloze with the answer replaced by "____"), question the full question,
 * claim the sentence of the passage that supports the answer.  For an
 * objective, question is the objective, options the key terms it names,
 * and cites the passages it is tied to.
 */
struct learn_item {
	enum learn_item_type	 type;
	char			*question;
	char			*stem;
	char			*options[LEARN_OPTIONS_MAX];
	size_t			 noptions;
	char			*answer;
	char			*explanation;
	char			*claim;
	size_t			 passage;	/* the source passage */
	size_t			 cites[LEARN_CITES_MAX];
	size_t			 ncites;
	enum learn_bloom	 bloom;
	enum learn_term_type	 answer_type;
};

struct learn_items {
	struct learn_item	*v;
	size_t			 n, cap;
};

void	learn_items_free(struct learn_items *);

/* What to generate: from the passages of document doc (-1: all), up to n
 * items or objectives, sentences no longer than max_words (0: 40). */
struct learn_gen_req {
	long	doc;
	size_t	n;
	size_t	max_words;
};

/*
 * A generator.  Each call appends to out (or sets *md, malloc'd) and
 * returns 0, or -1 with a reason in err (errlen bytes, NUL-terminated).
 * ctx is the backend's own state (NULL for the offline one).
 */
struct learn_gen_backend {
	const char	*name;
	int		(*objectives)(void *ctx, const struct learn_material *,
			    const struct learn_gen_req *, struct learn_items *out,
			    char *err, size_t errlen);
	int		(*quiz)(void *ctx, const struct learn_material *,
			    const struct learn_gen_req *, struct learn_items *out,
			    char *err, size_t errlen);
	int		(*lesson)(void *ctx, const struct learn_material *,
			    const struct learn_gen_req *, char **md,
			    char *err, size_t errlen);
};

/* The extractive, rule-based generators (read-only table). */
extern const struct learn_gen_backend learn_gen_offline;

/* The same, callable directly. */
int	learn_gen_objectives(const struct learn_material *,
	    const struct learn_gen_req *, struct learn_items *);
int	learn_gen_quiz(const struct learn_material *,
	    const struct learn_gen_req *, struct learn_items *);
int	learn_gen_lesson(const struct learn_material *,
	    const struct learn_gen_req *, char **md);

/*
 * Up to max terms of the same type as term t, best distractors first
 * (same document, similar frequency, same plural form and length; for
 * numbers and years, nearest magnitude), none equal to, inside or
 * containing t, nor equal to one another after folding; terms named in
 * avoid (a sentence, may be NULL) are skipped.  Writes term indices to out
 * and returns how many.
 */
size_t	learn_gen_distractors(const struct learn_material *, size_t t,
	    const char *avoid, size_t avoidlen, size_t *out, size_t max);

#endif
