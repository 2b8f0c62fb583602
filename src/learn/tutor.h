/*
 * tutor: answers a learner's question from the course material alone --
 * the best passages (BM25), each quoted by its best sentence and cited --
 * or refuses when the material does not cover the question.
 *
 * Design decision: refusal is decided by coverage, not by a raw BM25
 * score (whose scale moves with the corpus): the idf-weighted share of the
 * question's content words found in the best passage must reach
 * min_coverage, words the material never uses counting with the highest
 * idf.  So "What is a primary key?" is answered from a databases course
 * and "What is the capital of France?" is refused even if "capital"
 * appears somewhere.
 */
#ifndef ADEPT_LEARN_TUTOR_H
#define ADEPT_LEARN_TUTOR_H

#include <stddef.h>

#include "learn/bm25.h"
#include "learn/passage.h"

#define LEARN_TUTOR_MAX	5

struct learn_tutor_opt {
	size_t	k;		/* passages quoted at most, 3 (<= LEARN_TUTOR_MAX) */
	double	min_coverage;	/* 0.5 */
	double	min_score;	/* a quoted passage scores at least this
				 * share of the best one, 0.5 */
};

#define LEARN_TUTOR_OPT_DEFAULT	{ 3, 0.5, 0.5 }

struct learn_tutor_quote {
	size_t		 passage;
	double		 score;		/* BM25 */
	const char	*text;		/* the quoted sentence, in the passage */
	size_t		 len;
};

struct learn_tutor_answer {
	int			 refused;
	const char		*reason;	/* static text when refused */
	double			 coverage;
	size_t			 nquotes;
	struct learn_tutor_quote q[LEARN_TUTOR_MAX];
};

/* Answers q[0..qlen) from ps[0..np) and their index.  Returns 0 (answer
 * or refusal in *out), or -1 when out of memory. */
int	learn_tutor(const struct learn_bm25 *, const struct learn_passage *ps,
	    size_t np, const char *q, size_t qlen,
	    const struct learn_tutor_opt *, struct learn_tutor_answer *out);

#endif
