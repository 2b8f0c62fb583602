/*
 * bm25: an Okapi BM25 index over passages (learn/passage.h), for retrieval
 * (the tutor) and for the term statistics the generators use (document
 * frequency, collection frequency, idf).
 *
 * Design decision: one build, then read-only.  Terms are the folded,
 * non-stop-word tokens of learn_tok_next, plurals folded by learn_stem
 * (callers look terms up in that form); the postings are one array in
 * term order (compressed sparse rows), so a query touches only the
 * postings of its own terms, and a search allocates its score array per
 * call (nothing in the index changes, so one index serves many threads).
 *
 *   score(q, p) = sum over distinct query terms t in p of
 *       idf(t) * tf (k1 + 1) / (tf + k1 (1 - b + b |p| / avgdl))
 *   idf(t) = ln(1 + (N - df + 0.5) / (df + 0.5))
 *
 * with k1 = 1.2, b = 0.75; |p| counts the passage's indexed tokens.  The
 * idf is the non-negative form (Lucene's), so a term in every passage adds
 * a little instead of subtracting.
 */
#ifndef ADEPT_LEARN_BM25_H
#define ADEPT_LEARN_BM25_H

#include <stddef.h>

#include "learn/passage.h"

#define LEARN_BM25_K1	1.2
#define LEARN_BM25_B	0.75

struct learn_bm25;

struct learn_hit {
	size_t	passage;	/* index into the passages the index was built on */
	double	score;
};

/* Builds the index over ps[0..n) (the passages' text must outlive it).
 * Returns NULL when out of memory.  Free with learn_bm25_free. */
struct learn_bm25 *learn_bm25_build(const struct learn_passage *ps, size_t n);
void	learn_bm25_free(struct learn_bm25 *);

/* The k best passages for the query q[0..qlen), best first (ties: lower
 * passage index first), only those scoring above 0.  Returns how many were
 * written to out (at most k), or (size_t)-1 when out of memory. */
size_t	learn_bm25_search(const struct learn_bm25 *, const char *q,
	    size_t qlen, size_t k, struct learn_hit *out);

/* The score of one passage for the query (0 when it shares no term). */
double	learn_bm25_score(const struct learn_bm25 *, const char *q,
	    size_t qlen, size_t passage);

size_t	learn_bm25_npassages(const struct learn_bm25 *);
double	learn_bm25_avgdl(const struct learn_bm25 *);
/* Indexed tokens in passage p. */
size_t	learn_bm25_dl(const struct learn_bm25 *, size_t p);

/* Term statistics.  learn_bm25_term returns the id of the folded token
 * tok[0..len) or -1 when no passage has it. */
long	learn_bm25_term(const struct learn_bm25 *, const char *tok, size_t len);
size_t	learn_bm25_nterms(const struct learn_bm25 *);
size_t	learn_bm25_df(const struct learn_bm25 *, long term);
size_t	learn_bm25_cf(const struct learn_bm25 *, long term);
double	learn_bm25_idf(const struct learn_bm25 *, long term);
/* tf of term in passage p (0 when absent); a binary search in its
 * postings. */
size_t	learn_bm25_tf(const struct learn_bm25 *, long term, size_t p);

#endif
