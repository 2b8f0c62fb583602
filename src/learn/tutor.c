/*
 * tutor: quoted, cited answers from the material, or a refusal.  See
 * tutor.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/tutor.h"

#define QT_MAX	32

struct qterm {
	char	w[LEARN_TOK_MAX + 1];
	double	idf;
};

/* The distinct content words of the question, with their idf. */
static size_t
qterms(const struct learn_bm25 *idx, const char *q, size_t qlen,
    struct qterm *t, size_t max)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, n = 0, i;
	double maxidf = log(1 + (learn_bm25_npassages(idx) + 0.5) / 0.5);
	long id;

	while (n < max && (tl = learn_tok_next(q, qlen, &pos, buf, &off,
	    &sl)) > 0) {
		if (learn_stopword(buf, tl))
			continue;
		tl = learn_stem(buf, tl);
		for (i = 0; i < n && strcmp(t[i].w, buf) != 0; i++)
			;
		if (i < n)
			continue;
		memcpy(t[n].w, buf, tl + 1);
		id = learn_bm25_term(idx, buf, tl);
		t[n].idf = id < 0 ? maxidf : learn_bm25_idf(idx, id);
		n++;
	}
	return n;
}

/* Which of the question's words (bit i: t[i]) s[0..n) holds. */
static unsigned long
present(const struct qterm *t, size_t nt, const char *s, size_t n)
{
	char buf[LEARN_TOK_MAX + 1];
	size_t pos = 0, off, sl, tl, i;
	unsigned long bits = 0;

	while ((tl = learn_tok_next(s, n, &pos, buf, &off, &sl)) > 0) {
		tl = learn_stem(buf, tl);
		for (i = 0; i < nt; i++)
			if (strcmp(t[i].w, buf) == 0)
				bits |= 1UL << i;
	}
	return bits;
}

static double
weight(const struct qterm *t, size_t nt, unsigned long bits)
{
	double s = 0;
	size_t i;

	for (i = 0; i < nt; i++)
		if (bits & (1UL << i))
			s += t[i].idf;
	return s;
}

int
learn_tutor(const struct learn_bm25 *idx, const struct learn_passage *ps,
    size_t np, const char *q, size_t qlen, const struct learn_tutor_opt *opt,
    struct learn_tutor_answer *out)
{
	static const struct learn_tutor_opt def = LEARN_TUTOR_OPT_DEFAULT;
	struct learn_hit hits[LEARN_TUTOR_MAX];
	struct learn_span sp[256];
	struct qterm t[QT_MAX];
	size_t nt, nh, i, j, ns, k;
	double total, w, bw;
	unsigned long bits;

	if (opt == NULL)
		opt = &def;
	memset(out, 0, sizeof(*out));
	k = opt->k < 1 ? 1 : opt->k > LEARN_TUTOR_MAX ? LEARN_TUTOR_MAX :
	    opt->k;
	nt = qterms(idx, q, qlen, t, QT_MAX);
	if (nt == 0) {
		out->refused = 1;
		out->reason = "the question has no content words to look for";
		return 0;
	}
	nh = learn_bm25_search(idx, q, qlen, k, hits);
	if (nh == (size_t)-1)
		return -1;
	if (nh == 0) {
		out->refused = 1;
		out->reason = "the material does not mention the question's words";
		return 0;
	}
	total = weight(t, nt, (1UL << nt) - 1);
	bits = present(t, nt, ps[hits[0].passage].text, ps[hits[0].passage].len);
	if (ps[hits[0].passage].head_len)
		bits |= present(t, nt, ps[hits[0].passage].heading,
		    ps[hits[0].passage].head_len);
	out->coverage = total > 0 ? weight(t, nt, bits) / total : 0;
	if (out->coverage < opt->min_coverage) {
		out->refused = 1;
		out->reason = "the material does not cover this question";
		return 0;
	}
	for (i = 0; i < nh; i++) {
		const struct learn_passage *p = &ps[hits[i].passage];
		size_t best = 0;

		if (hits[i].passage >= np ||
		    hits[i].score < opt->min_score * hits[0].score)
			break;
		ns = learn_sentences(p->text, p->len, sp, 256);
		if (ns > 256)
			ns = 256;
		bw = -1;
		for (j = 0; j < ns; j++) {
			w = weight(t, nt, present(t, nt, p->text + sp[j].off,
			    sp[j].len));
			if (w > bw) {
				bw = w;
				best = j;
			}
		}
		out->q[out->nquotes].passage = hits[i].passage;
		out->q[out->nquotes].score = hits[i].score;
		out->q[out->nquotes].text = ns ? p->text + sp[best].off : p->text;
		out->q[out->nquotes].len = ns ? sp[best].len : p->len;
		out->nquotes++;
	}
	return 0;
}
