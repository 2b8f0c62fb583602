/*
 * gencheck: quality gates for generated items.  See gencheck.h.
 *
 * Token containment uses a sorted array of the passage's folded tokens
 * and a binary search per claimed token; the pattern scanners for
 * personal data are hand-written single passes (no regex engine), each
 * with its checksum where the format has one (Luhn, ISO 7064 mod 97), so
 * ordinary numbers in course text are not flagged.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/gencheck.h"

const char *
learn_check_name(enum learn_check c)
{
	static const char *const n[] = { "grounded", "duplicate_free",
	    "distractors_distinct", "readability", "safety" };

	return c < LEARN_CHECK__MAX ? n[c] : "?";
}

static const struct {
	const char	*name;
	size_t		 words;
	double		 ease;
} levels[LEARN_LEVEL__MAX] = {
	{ "primary", 20, 60 },
	{ "secondary", 28, 40 },
	{ "adult", 40, 10 },
	{ "professional", 60, -1e9 },
};

const char *
learn_level_name(enum learn_level l)
{
	return l < LEARN_LEVEL__MAX ? levels[l].name : "?";
}

enum learn_level
learn_level_parse(const char *s)
{
	int i;

	for (i = 0; i < LEARN_LEVEL__MAX; i++)
		if (strcmp(s, levels[i].name) == 0)
			return i;
	return LEARN_LEVEL__MAX;
}

size_t
learn_level_max_words(enum learn_level l)
{
	return l < LEARN_LEVEL__MAX ? levels[l].words : 40;
}

/* ---- token sets ------------------------------------------------------ */

struct tset {
	char	**v;
	size_t	  n;
	char	 *buf;
};

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The set of folded tokens of s[0..n) (one string of learn_norm split at
 * its spaces). */
static int
tset_make(struct tset *t, const char *s, size_t n)
{
	size_t cap = 4 * n + 8, k, i;

	memset(t, 0, sizeof(*t));
	if ((t->buf = malloc(cap)) == NULL)
		return -1;
	k = learn_norm(s, n, t->buf, cap);
	if ((t->v = malloc((k / 2 + 2) * sizeof(*t->v))) == NULL) {
		free(t->buf);
		return -1;
	}
	if (k > 0) {
		t->v[t->n++] = t->buf;
		for (i = 0; i < k; i++)
			if (t->buf[i] == ' ') {
				t->buf[i] = '\0';
				t->v[t->n++] = t->buf + i + 1;
			}
	}
	qsort(t->v, t->n, sizeof(*t->v), cmpstr);
	return 0;
}

static void
tset_free(struct tset *t)
{
	free(t->v);
	free(t->buf);
}

static int
tset_has(const struct tset *t, const char *w)
{
	return bsearch(&w, t->v, t->n, sizeof(*t->v), cmpstr) != NULL;
}

/* The first token of s not in t, into miss (NUL when all are).  -1 on
 * memory. */
static int
missing(const struct tset *t, const char *s, const char *const *skip,
    char *miss, size_t misslen)
{
	struct tset q;
	size_t i, k;

	miss[0] = '\0';
	if (tset_make(&q, s, strlen(s)) == -1)
		return -1;
	for (i = 0; i < q.n; i++) {
		for (k = 0; skip && skip[k]; k++)
			if (strcmp(q.v[i], skip[k]) == 0)
				break;
		if (skip && skip[k])
			continue;
		if (!learn_stopword(q.v[i], strlen(q.v[i])) &&
		    !tset_has(t, q.v[i])) {
			snprintf(miss, misslen, "%s", q.v[i]);
			break;
		}
	}
	tset_free(&q);
	return 0;
}

static char *
normdup(const char *s)
{
	size_t n = strlen(s), cap = 4 * n + 8;
	char *o = malloc(cap);

	if (o)
		learn_norm(s, n, o, cap);
	return o;
}

/* ---- the checks ------------------------------------------------------ */

static void
fail(struct learn_check_result *r, enum learn_check c, const char *fmt,
    const char *a, const char *b)
{
	r->ok[c] = 0;
	snprintf(r->reason[c], LEARN_CHECK_REASON, fmt, a, b ? b : "");
}

/* The stem with "____" replaced by the answer. */
static char *
filled(const char *stem, const char *ans)
{
	const char *b = strstr(stem, "____");
	size_t n1, n2;
	char *o;

	if (b == NULL)
		return NULL;
	n1 = b - stem;
	n2 = strlen(ans);
	if ((o = malloc(strlen(stem) + n2 + 1)) == NULL)
		return NULL;
	memcpy(o, stem, n1);
	memcpy(o + n1, ans, n2);
	strcpy(o + n1 + n2, b + 4);
	return o;
}

static int
grounded(const struct learn_item *x, const struct learn_passage *ps,
    size_t np, struct learn_check_result *r)
{
	static const char *const objskip[] = { "main", "point", "worked",
	    "example", "own", NULL };
	struct tset t;
	char miss[LEARN_TOK_MAX + 1], *a = NULL, *b = NULL, *f = NULL;
	size_t i, k;
	int rc = -1;
	struct sb0 { char *p; } u = { NULL };
	size_t ulen = 0;

	if (x->passage >= np) {
		fail(r, LEARN_CHECK_GROUNDED, "cites no passage of the material",
		    NULL, NULL);
		return 0;
	}
	if (x->type == LEARN_ITEM_OBJECTIVE) {
		/* the objective's words (but its verb) are in the passages
		 * (headings included) it is tied to */
		for (i = 0; i < x->ncites; i++) {
			const struct learn_passage *p = &ps[x->cites[i] < np ?
			    x->cites[i] : x->passage];
			char *nu = realloc(u.p, ulen + p->len + p->head_len + 3);

			if (nu == NULL)
				goto out;
			u.p = nu;
			memcpy(u.p + ulen, p->text, p->len);
			ulen += p->len;
			u.p[ulen++] = '\n';
			if (p->head_len)
				memcpy(u.p + ulen, p->heading, p->head_len);
			ulen += p->head_len;
			u.p[ulen++] = '\n';
		}
		if (u.p == NULL || tset_make(&t, u.p, ulen) == -1)
			goto out;
		const char *q = x->question ? x->question : "";
		const char *sp = strchr(q, ' ');

		if (missing(&t, sp ? sp : "", objskip, miss, sizeof(miss)) ==
		    -1) {
			tset_free(&t);
			goto out;
		}
		tset_free(&t);
		if (miss[0])
			fail(r, LEARN_CHECK_GROUNDED,
			    "\"%s\" is not in the cited passages", miss, NULL);
		rc = 0;
		goto out;
	}
	if (x->claim == NULL || x->answer == NULL || x->stem == NULL) {
		fail(r, LEARN_CHECK_GROUNDED, "no claim, stem or answer", NULL,
		    NULL);
		return 0;
	}
	if (tset_make(&t, ps[x->passage].text, ps[x->passage].len) == -1)
		return -1;
	if (missing(&t, x->claim, NULL, miss, sizeof(miss)) == -1) {
		tset_free(&t);
		return -1;
	}
	tset_free(&t);
	if (miss[0]) {
		char pn[32];

		snprintf(pn, sizeof(pn), "p%zu", x->passage + 1);
		fail(r, LEARN_CHECK_GROUNDED,
		    "the claim's word \"%s\" is not in passage %s", miss, pn);
		return 0;
	}
	if ((a = normdup(x->claim)) == NULL)
		goto out;
	switch (x->type) {
	case LEARN_ITEM_SINGLE:
	case LEARN_ITEM_CLOZE:
		if ((f = filled(x->stem, x->answer)) == NULL) {
			fail(r, LEARN_CHECK_GROUNDED, "the stem has no blank",
			    NULL, NULL);
			break;
		}
		if ((b = normdup(f)) == NULL)
			goto out;
		if (strcmp(a, b) != 0)
			fail(r, LEARN_CHECK_GROUNDED, "the stem with the answer "
			    "\"%s\" is not the passage's sentence", x->answer,
			    NULL);
		if (x->type == LEARN_ITEM_SINGLE) {
			for (k = 0; k < x->noptions; k++)
				if (strcmp(x->options[k], x->answer) == 0)
					break;
			if (k == x->noptions)
				fail(r, LEARN_CHECK_GROUNDED,
				    "the answer \"%s\" is not an option",
				    x->answer, NULL);
		}
		break;
	case LEARN_ITEM_TRUEFALSE:
		if ((b = normdup(x->stem)) == NULL)
			goto out;
		if (strcmp(x->answer, "True") == 0) {
			if (strcmp(a, b) != 0)
				fail(r, LEARN_CHECK_GROUNDED, "answer True but "
				    "the statement is not the passage's "
				    "sentence%s%s", "", NULL);
		} else if (strcmp(x->answer, "False") == 0) {
			if (strcmp(a, b) == 0)
				fail(r, LEARN_CHECK_GROUNDED, "answer False but "
				    "the statement is the passage's sentence%s%s",
				    "", NULL);
		} else
			fail(r, LEARN_CHECK_GROUNDED, "answer \"%s\" is not "
			    "True or False", x->answer, NULL);
		break;
	default:
		break;
	}
	rc = 0;
out:
	free(u.p);
	free(a);
	free(b);
	free(f);
	return rc;
}

static int
distinct(const struct learn_item *x, struct learn_check_result *r)
{
	char *n[LEARN_OPTIONS_MAX] = { 0 }, *an = NULL;
	size_t i, j, hits = 0;
	int rc = -1;

	if (x->type == LEARN_ITEM_CLOZE || x->type == LEARN_ITEM_OBJECTIVE)
		return 0;
	if (x->type == LEARN_ITEM_SINGLE && x->noptions < 3) {
		fail(r, LEARN_CHECK_DISTRACTORS, "only %s option(s)",
		    x->noptions == 2 ? "2" : x->noptions == 1 ? "1" : "0",
		    NULL);
		return 0;
	}
	if ((an = normdup(x->answer ? x->answer : "")) == NULL)
		return -1;
	for (i = 0; i < x->noptions; i++) {
		if ((n[i] = normdup(x->options[i])) == NULL)
			goto out;
		if (n[i][0] == '\0') {
			fail(r, LEARN_CHECK_DISTRACTORS, "option %s is empty",
			    (const char[]){ 'A' + i, 0 }, NULL);
			rc = 0;
			goto out;
		}
		hits += strcmp(n[i], an) == 0;
		for (j = 0; j < i; j++)
			if (strcmp(n[i], n[j]) == 0) {
				fail(r, LEARN_CHECK_DISTRACTORS,
				    "options \"%s\" and \"%s\" are the same",
				    x->options[j], x->options[i]);
				rc = 0;
				goto out;
			}
	}
	if (hits != 1)
		fail(r, LEARN_CHECK_DISTRACTORS, hits ? "a distractor is the "
		    "answer \"%s\"%s" : "no option is the answer \"%s\"%s",
		    x->answer ? x->answer : "", NULL);
	rc = 0;
out:
	for (i = 0; i < x->noptions; i++)
		free(n[i]);
	free(an);
	return rc;
}

double
learn_flesch(const char *s, size_t n, double *wps)
{
	size_t ns, words, syl;
	double w;

	ns = learn_sentences(s, n, NULL, 0);
	words = learn_count_words(s, n, &syl);
	if (ns == 0)
		ns = 1;
	if (words == 0) {
		if (wps)
			*wps = 0;
		return 100;
	}
	w = (double)words / ns;
	if (wps)
		*wps = w;
	return 206.835 - 1.015 * w - 84.6 * (double)syl / words;
}

int
learn_check_readable(const char *s, size_t n, enum learn_level level,
    char *reason, size_t reasonlen)
{
	double wps, ease = learn_flesch(s, n, &wps);
	enum learn_level l = level < LEARN_LEVEL__MAX ? level :
	    LEARN_LEVEL_ADULT;

	if (wps > levels[l].words) {
		snprintf(reason, reasonlen, "sentences of %.0f words, over "
		    "%zu words (%s)", wps, levels[l].words, levels[l].name);
		return 0;
	}
	if (learn_count_words(s, n, NULL) >= 10 && ease < levels[l].ease) {
		snprintf(reason, reasonlen, "Flesch reading ease %.0f, under "
		    "%.0f (%s)", ease, levels[l].ease, levels[l].name);
		return 0;
	}
	if (reasonlen > 0)
		reason[0] = '\0';
	return 1;
}

static void
readable(const struct learn_item *x, const struct learn_check_opt *o,
    struct learn_check_result *r)
{
	const char *s = x->stem ? x->stem : x->question ? x->question : "";

	if (!learn_check_readable(s, strlen(s), o->level,
	    r->reason[LEARN_CHECK_READABILITY], LEARN_CHECK_REASON))
		r->ok[LEARN_CHECK_READABILITY] = 0;
}

/* ---- safety ---------------------------------------------------------- */

static int
isal(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
isdg(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
email_at(const unsigned char *s, size_t n, size_t at)
{
	size_t i = at, j, dots = 0, tld = 0;

	while (i > 0 && (isal(s[i - 1]) || isdg(s[i - 1]) ||
	    strchr("._%+-", s[i - 1]) != NULL))
		i--;
	if (i == at)
		return 0;
	for (j = at + 1; j < n && (isal(s[j]) || isdg(s[j]) || s[j] == '-' ||
	    s[j] == '.'); j++) {
		if (s[j] == '.') {
			dots++;
			tld = 0;
		} else
			tld = isal(s[j]) ? tld + 1 : 0;
	}
	while (j > at + 1 && s[j - 1] == '.') {
		j--;
		dots--;
	}
	return dots > 0 && tld >= 2 && j > at + 3;
}

static int
luhn(const int *d, size_t n)
{
	size_t i;
	int sum = 0, v;

	for (i = 0; i < n; i++) {
		v = d[n - 1 - i];
		if (i % 2 == 1 && (v *= 2) > 9)
			v -= 9;
		sum += v;
	}
	return sum % 10 == 0;
}

/* Digit runs with single spaces, dashes, dots or brackets between groups:
 * a card number (13-19 digits, Luhn) or a phone number (9-15 digits, a
 * leading '+' or three or more groups of at most four digits). */
static const char *
digits_at(const unsigned char *s, size_t n, size_t i, size_t *end)
{
	int d[32];
	size_t nd = 0, groups = 1, glen = 0, maxg = 0, j = i;
	int plus = j > 0 && s[j - 1] == '+';

	if (j > 0 && (isdg(s[j - 1]) || isal(s[j - 1])))
		return NULL;
	for (; j < n; j++) {
		if (isdg(s[j])) {
			if (nd < 32)
				d[nd] = s[j] - '0';
			nd++;
			glen++;
			if (glen > maxg)
				maxg = glen;
			continue;
		}
		if ((s[j] == ' ' || s[j] == '-' || s[j] == '.' || s[j] == ')' ||
		    s[j] == '(') && j + 1 < n && (isdg(s[j + 1]) ||
		    (s[j + 1] == ' ' && s[j] == ')') || s[j + 1] == '(')) {
			if (glen > 0)
				groups++;
			glen = 0;
			continue;
		}
		break;
	}
	*end = j;
	if (nd >= 13 && nd <= 19 && luhn(d, nd))
		return "a payment card number";
	if (nd >= 9 && nd <= 15 && maxg <= 4 && (plus ? groups >= 2 :
	    groups >= 3))
		return "a phone number";
	return NULL;
}

static int
iban_at(const unsigned char *s, size_t n, size_t i)
{
	char c[40];
	size_t k = 0, j;
	unsigned rem = 0;

	if (i > 0 && (isal(s[i - 1]) || isdg(s[i - 1])))
		return 0;
	if (i + 4 > n || !(s[i] >= 'A' && s[i] <= 'Z') ||
	    !(s[i + 1] >= 'A' && s[i + 1] <= 'Z') || !isdg(s[i + 2]) ||
	    !isdg(s[i + 3]))
		return 0;
	for (j = i; j < n && k < sizeof(c); j++) {
		if (isdg(s[j]) || (s[j] >= 'A' && s[j] <= 'Z'))
			c[k++] = s[j];
		else if (s[j] == ' ' && j + 1 < n && (isdg(s[j + 1]) ||
		    (s[j + 1] >= 'A' && s[j + 1] <= 'Z')))
			continue;
		else
			break;
	}
	if (k < 15 || k > 34)
		return 0;
	/* move the first four to the end; letters count as 10..35 */
	for (j = 0; j < k; j++) {
		char ch = c[(j + 4) % k];

		if (isdg((unsigned char)ch))
			rem = (rem * 10 + (ch - '0')) % 97;
		else
			rem = (rem * 100 + (ch - 'A' + 10)) % 97;
	}
	return rem == 1;
}

int
learn_safety(const char *str, size_t n, const struct learn_check_opt *o,
    char *reason, size_t rlen)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, end, cap = 4 * n + 8;
	const char *what;
	char *tn, *bn;

	for (i = 0; i < n; i++) {
		if (s[i] == '@' && email_at(s, n, i)) {
			snprintf(reason, rlen, "contains an e-mail address");
			return 1;
		}
		if (isdg(s[i]) && (what = digits_at(s, n, i, &end)) != NULL) {
			snprintf(reason, rlen, "contains %s", what);
			return 1;
		}
		if (isdg(s[i]))	/* skip the rest of this run */
			while (i + 1 < n && isdg(s[i + 1]))
				i++;
		if (s[i] >= 'A' && s[i] <= 'Z' && iban_at(s, n, i)) {
			snprintf(reason, rlen, "contains an IBAN");
			return 1;
		}
	}
	if (o == NULL || o->nblocked == 0)
		return 0;
	if ((tn = malloc(cap + 2)) == NULL)
		return 0;
	tn[0] = ' ';
	i = learn_norm(str, n, tn + 1, cap);
	tn[i + 1] = ' ';
	tn[i + 2] = '\0';
	for (i = 0; i < o->nblocked; i++) {
		size_t bl = strlen(o->blocked[i]);

		if ((bn = malloc(4 * bl + 10)) == NULL)
			break;
		bn[0] = ' ';
		end = learn_norm(o->blocked[i], bl, bn + 1, 4 * bl + 8);
		bn[end + 1] = ' ';
		bn[end + 2] = '\0';
		if (end > 0 && strstr(tn, bn) != NULL) {
			snprintf(reason, rlen, "contains the blocked term \"%s\"",
			    o->blocked[i]);
			free(bn);
			free(tn);
			return 1;
		}
		free(bn);
	}
	free(tn);
	return 0;
}

int
learn_check_item(const struct learn_item *x, const struct learn_passage *ps,
    size_t np, const struct learn_check_opt *o,
    struct learn_check_result *r)
{
	static const struct learn_check_opt def = { LEARN_LEVEL_ADULT, NULL,
	    0 };
	char why[LEARN_CHECK_REASON];
	const char *parts[4 + LEARN_OPTIONS_MAX];
	size_t i, np2 = 0;
	int c;

	if (o == NULL)
		o = &def;
	memset(r, 0, sizeof(*r));
	for (c = 0; c < LEARN_CHECK__MAX; c++)
		r->ok[c] = 1;
	if (grounded(x, ps, np, r) == -1 || distinct(x, r) == -1)
		return -1;
	readable(x, o, r);
	parts[np2++] = x->question;
	parts[np2++] = x->answer;
	parts[np2++] = x->explanation;
	for (i = 0; i < x->noptions; i++)
		parts[np2++] = x->options[i];
	for (i = 0; i < np2; i++)
		if (parts[i] && learn_safety(parts[i], strlen(parts[i]), o, why,
		    sizeof(why))) {
			fail(r, LEARN_CHECK_SAFETY, "%s", why, NULL);
			break;
		}
	r->pass = 1;
	for (c = 0; c < LEARN_CHECK__MAX; c++)
		r->pass &= r->ok[c];
	return r->pass;
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

size_t
learn_check_dups(const struct learn_item *v, size_t n,
    struct learn_check_result *r)
{
	uint64_t *q, *k;
	size_t i, j, d = 0;
	char *a, *b, num[32];

	q = malloc((n + 1) * sizeof(*q));
	k = malloc((n + 1) * sizeof(*k));
	if (q == NULL || k == NULL) {
		free(q);
		free(k);
		return (size_t)-1;
	}
	for (i = 0; i < n; i++) {
		if ((a = normdup(v[i].question ? v[i].question : "")) == NULL)
			goto oom;
		q[i] = hash(a);
		free(a);
		k[i] = 0;
		if (v[i].type == LEARN_ITEM_TRUEFALSE && v[i].claim) {
			if ((a = normdup(v[i].claim)) == NULL)
				goto oom;
			k[i] = hash(a) ^ 0x7f;
			free(a);
		} else if ((v[i].type == LEARN_ITEM_SINGLE ||
		    v[i].type == LEARN_ITEM_CLOZE) && v[i].answer) {
			if ((a = normdup(v[i].answer)) == NULL)
				goto oom;
			b = a;
			k[i] = hash(b) * 31 + v[i].passage + 1 +
			    ((uint64_t)v[i].type << 60);
			free(a);
		}
		for (j = 0; j < i; j++) {
			const char *why = NULL;

			if (q[j] == q[i])
				why = "same question as item %s%s";
			else if (k[i] != 0 && k[j] == k[i])
				why = v[i].type == LEARN_ITEM_TRUEFALSE ?
				    "same claim as item %s%s" :
				    "same answer and source as item %s%s";
			if (why == NULL)
				continue;
			snprintf(num, sizeof(num), "%zu", j + 1);
			fail(&r[i], LEARN_CHECK_DUPLICATE, why, num, NULL);
			r[i].pass = 0;
			d++;
			break;
		}
	}
	free(q);
	free(k);
	return d;
oom:
	free(q);
	free(k);
	return (size_t)-1;
}
