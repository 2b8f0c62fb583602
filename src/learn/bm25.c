/*
 * bm25: Okapi BM25 over passages.  See bm25.h.
 *
 * The term dictionary is an open-addressing hash table (FNV-1a, linear
 * probing, kept at most half full) whose entries index a string pool.  The
 * build tokenises each passage once into term ids, sorts them to count tf,
 * and appends (term, passage, tf) triples; a counting sort by term then
 * gives the postings, each list in passage order.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "learn/bm25.h"

struct learn_bm25 {
	size_t		 np;
	double		 avgdl;
	uint32_t	*dl;		/* np */
	/* dictionary */
	size_t		 nterms, tcap;
	uint32_t	*tstr;		/* nterms: offset into pool */
	uint8_t		*tlen;		/* nterms */
	uint32_t	*df, *cf;	/* nterms */
	uint32_t	*slots;		/* hcap: term id + 1, 0 empty */
	size_t		 hcap;
	char		*pool;
	size_t		 poollen, poolcap;
	/* postings */
	size_t		*pstart;	/* nterms + 1 */
	uint32_t	*pdoc, *ptf;
};

static uint64_t
fnv(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static long
lookup(const struct learn_bm25 *x, const char *t, size_t n, size_t *slot)
{
	size_t i = fnv(t, n) & (x->hcap - 1);
	uint32_t id;

	while ((id = x->slots[i]) != 0) {
		id--;
		if (x->tlen[id] == n && memcmp(x->pool + x->tstr[id], t, n) == 0)
			return id;
		i = (i + 1) & (x->hcap - 1);
	}
	if (slot)
		*slot = i;
	return -1;
}

static int
grow_hash(struct learn_bm25 *x)
{
	size_t nc = x->hcap * 2, i, j;
	uint32_t *ns = calloc(nc, sizeof(*ns));

	if (ns == NULL)
		return -1;
	for (i = 0; i < x->nterms; i++) {
		j = fnv(x->pool + x->tstr[i], x->tlen[i]) & (nc - 1);
		while (ns[j] != 0)
			j = (j + 1) & (nc - 1);
		ns[j] = i + 1;
	}
	free(x->slots);
	x->slots = ns;
	x->hcap = nc;
	return 0;
}

static long
intern(struct learn_bm25 *x, const char *t, size_t n)
{
	size_t slot;
	long id;
	void *p;

	if ((id = lookup(x, t, n, &slot)) >= 0)
		return id;
	if (x->nterms == x->tcap) {
		size_t nc = x->tcap ? 2 * x->tcap : 1024;

		if ((p = realloc(x->tstr, nc * sizeof(*x->tstr))) == NULL)
			return -1;
		x->tstr = p;
		if ((p = realloc(x->tlen, nc * sizeof(*x->tlen))) == NULL)
			return -1;
		x->tlen = p;
		if ((p = realloc(x->df, nc * sizeof(*x->df))) == NULL)
			return -1;
		x->df = p;
		if ((p = realloc(x->cf, nc * sizeof(*x->cf))) == NULL)
			return -1;
		x->cf = p;
		x->tcap = nc;
	}
	if (x->poollen + n > x->poolcap) {
		size_t nc = x->poolcap ? 2 * x->poolcap : 16384;

		while (nc < x->poollen + n)
			nc *= 2;
		if ((p = realloc(x->pool, nc)) == NULL)
			return -1;
		x->pool = p;
		x->poolcap = nc;
	}
	memcpy(x->pool + x->poollen, t, n);
	id = x->nterms++;
	x->tstr[id] = x->poollen;
	x->tlen[id] = n;
	x->df[id] = x->cf[id] = 0;
	x->poollen += n;
	x->slots[slot] = id + 1;
	if (2 * x->nterms > x->hcap && grow_hash(x) == -1)
		return -1;
	return id;
}

static int
cmpu32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

void
learn_bm25_free(struct learn_bm25 *x)
{
	if (x == NULL)
		return;
	free(x->dl);
	free(x->tstr);
	free(x->tlen);
	free(x->df);
	free(x->cf);
	free(x->slots);
	free(x->pool);
	free(x->pstart);
	free(x->pdoc);
	free(x->ptf);
	free(x);
}

struct learn_bm25 *
learn_bm25_build(const struct learn_passage *ps, size_t n)
{
	struct learn_bm25 *x;
	uint32_t *ids = NULL, *tr = NULL, *t3;
	size_t idcap = 0, nid, ntr = 0, trcap = 0, p, pos, off, sl, tl, i, j,
	    total = 0;
	char buf[LEARN_TOK_MAX + 1];
	long id;
	void *m;

	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->np = n;
	x->hcap = 4096;
	if ((x->slots = calloc(x->hcap, sizeof(*x->slots))) == NULL ||
	    (x->dl = calloc(n ? n : 1, sizeof(*x->dl))) == NULL)
		goto fail;
	for (p = 0; p < n; p++) {
		nid = 0;
		pos = 0;
		while ((tl = learn_tok_next(ps[p].text, ps[p].len, &pos, buf,
		    &off, &sl)) > 0) {
			if (learn_stopword(buf, tl))
				continue;
			tl = learn_stem(buf, tl);
			if ((id = intern(x, buf, tl)) < 0)
				goto fail;
			if (nid == idcap) {
				idcap = idcap ? 2 * idcap : 1024;
				if ((m = realloc(ids, idcap * 4)) == NULL)
					goto fail;
				ids = m;
			}
			ids[nid++] = id;
		}
		x->dl[p] = nid;
		total += nid;
		qsort(ids, nid, sizeof(*ids), cmpu32);
		for (i = 0; i < nid; i = j) {
			for (j = i; j < nid && ids[j] == ids[i]; j++)
				;
			if (ntr + 3 > trcap) {
				trcap = trcap ? 2 * trcap : 3 * 4096;
				if ((m = realloc(tr, trcap * 4)) == NULL)
					goto fail;
				tr = m;
			}
			tr[ntr++] = ids[i];
			tr[ntr++] = p;
			tr[ntr++] = j - i;
			x->df[ids[i]]++;
			x->cf[ids[i]] += j - i;
		}
	}
	x->avgdl = n ? (double)total / n : 0;
	if ((x->pstart = calloc(x->nterms + 1, sizeof(*x->pstart))) == NULL ||
	    (x->pdoc = malloc((ntr / 3 + 1) * 4)) == NULL ||
	    (x->ptf = malloc((ntr / 3 + 1) * 4)) == NULL)
		goto fail;
	for (i = 0; i < x->nterms; i++)
		x->pstart[i + 1] = x->pstart[i] + x->df[i];
	/* triples are in passage order, so each list stays sorted */
	for (i = 0; i < ntr; i += 3) {
		t3 = &tr[i];
		j = x->pstart[t3[0]]++;
		x->pdoc[j] = t3[1];
		x->ptf[j] = t3[2];
	}
	for (i = x->nterms; i > 0; i--)
		x->pstart[i] = x->pstart[i - 1];
	x->pstart[0] = 0;
	free(ids);
	free(tr);
	return x;
fail:
	free(ids);
	free(tr);
	learn_bm25_free(x);
	return NULL;
}

size_t
learn_bm25_npassages(const struct learn_bm25 *x)
{
	return x->np;
}

double
learn_bm25_avgdl(const struct learn_bm25 *x)
{
	return x->avgdl;
}

size_t
learn_bm25_dl(const struct learn_bm25 *x, size_t p)
{
	return p < x->np ? x->dl[p] : 0;
}

long
learn_bm25_term(const struct learn_bm25 *x, const char *t, size_t n)
{
	if (n == 0 || n > LEARN_TOK_MAX)
		return -1;
	return lookup(x, t, n, NULL);
}

size_t
learn_bm25_nterms(const struct learn_bm25 *x)
{
	return x->nterms;
}

size_t
learn_bm25_df(const struct learn_bm25 *x, long t)
{
	return t >= 0 && (size_t)t < x->nterms ? x->df[t] : 0;
}

size_t
learn_bm25_cf(const struct learn_bm25 *x, long t)
{
	return t >= 0 && (size_t)t < x->nterms ? x->cf[t] : 0;
}

double
learn_bm25_idf(const struct learn_bm25 *x, long t)
{
	double df = learn_bm25_df(x, t);

	return log(1 + (x->np - df + 0.5) / (df + 0.5));
}

size_t
learn_bm25_tf(const struct learn_bm25 *x, long t, size_t p)
{
	size_t lo, hi, mid;

	if (t < 0 || (size_t)t >= x->nterms)
		return 0;
	lo = x->pstart[t];
	hi = x->pstart[t + 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x->pdoc[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->pstart[t + 1] && x->pdoc[lo] == p ? x->ptf[lo] : 0;
}

static double
weight(const struct learn_bm25 *x, double idf, double tf, size_t p)
{
	double norm = LEARN_BM25_K1 * (1 - LEARN_BM25_B + LEARN_BM25_B *
	    x->dl[p] / (x->avgdl > 0 ? x->avgdl : 1));

	return idf * tf * (LEARN_BM25_K1 + 1) / (tf + norm);
}

/* The distinct query term ids (at most max) of q. */
static size_t
qterms(const struct learn_bm25 *x, const char *q, size_t qlen, long *out,
    size_t max)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, n = 0, i;
	long id;

	while (n < max && (tl = learn_tok_next(q, qlen, &pos, buf, &off,
	    &sl)) > 0) {
		if (learn_stopword(buf, tl))
			continue;
		tl = learn_stem(buf, tl);
		if ((id = lookup(x, buf, tl, NULL)) < 0)
			continue;
		for (i = 0; i < n && out[i] != id; i++)
			;
		if (i == n)
			out[n++] = id;
	}
	return n;
}

double
learn_bm25_score(const struct learn_bm25 *x, const char *q, size_t qlen,
    size_t p)
{
	long t[64];
	size_t n, i, tf;
	double s = 0;

	if (p >= x->np)
		return 0;
	n = qterms(x, q, qlen, t, 64);
	for (i = 0; i < n; i++)
		if ((tf = learn_bm25_tf(x, t[i], p)) > 0)
			s += weight(x, learn_bm25_idf(x, t[i]), tf, p);
	return s;
}

size_t
learn_bm25_search(const struct learn_bm25 *x, const char *q, size_t qlen,
    size_t k, struct learn_hit *out)
{
	long t[64];
	size_t n, i, j, got = 0, p;
	double *sc, idf, s;

	if (k == 0 || x->np == 0)
		return 0;
	if ((sc = calloc(x->np, sizeof(*sc))) == NULL)
		return (size_t)-1;
	n = qterms(x, q, qlen, t, 64);
	for (i = 0; i < n; i++) {
		idf = learn_bm25_idf(x, t[i]);
		for (j = x->pstart[t[i]]; j < x->pstart[t[i] + 1]; j++)
			sc[x->pdoc[j]] += weight(x, idf, x->ptf[j], x->pdoc[j]);
	}
	for (p = 0; p < x->np; p++) {
		s = sc[p];
		if (s <= 0 || (got == k && s <= out[got - 1].score))
			continue;
		j = got < k ? got++ : k - 1;
		while (j > 0 && out[j - 1].score < s) {
			out[j] = out[j - 1];
			j--;
		}
		out[j].passage = p;
		out[j].score = s;
	}
	free(sc);
	return got;
}
