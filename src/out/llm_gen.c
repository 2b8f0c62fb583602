/*
 * llm_gen: generators and tutor answers through a language model, with
 * the offline generators as the fall-back.  See llm_gen.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "base/buf.h"
#include "learn/bm25.h"
#include "learn/gen.h"
#include "learn/gencheck.h"
#include "out/llm.h"
#include "out/llm_gen.h"

#define PASSAGES_DEF	8
#define BYTES_DEF	12000
#define ANSWER_MAX	2000

static void
say(char *msg, size_t msglen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *msg, size_t msglen, const char *fmt, ...)
{
	va_list ap;

	if (msg == NULL || msglen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, msglen, fmt, ap);
	va_end(ap);
}

/* ---- validation helpers ---------------------------------------------- */

/* The passage index "pN" names, if it is one of ids[0..nids). */
static int
pid(json_t *v, const size_t *ids, size_t nids, size_t *out)
{
	const char *s;
	char *end;
	unsigned long n;
	size_t i;

	if (!json_is_string(v))
		return -1;
	s = json_string_value(v);
	if (s[0] != 'p' && s[0] != 'P')
		return -1;
	n = strtoul(s + 1, &end, 10);
	if (end == s + 1 || *end || n == 0)
		return -1;
	for (i = 0; i < nids; i++)
		if (ids[i] == n - 1) {
			*out = n - 1;
			return 0;
		}
	return -1;
}

/* A non-empty string member (white space only counts as empty). */
static const char *
str(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);
	const char *s;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return *s ? json_string_value(v) : NULL;
}

/* Loads the model's JSON object. */
static json_t *
load(const char *s, size_t len, const char *key, enum llm_status *st,
    char *msg, size_t msglen)
{
	json_error_t je;
	size_t off, n = llm_json_span(s, len, &off);
	json_t *j;

	if ((j = json_loadb(s + off, n, 0, &je)) == NULL) {
		*st = LLM_BAD_JSON;
		say(msg, msglen, "the model's answer is not JSON (%s, at byte "
		    "%d)", je.text, je.position);
		return NULL;
	}
	if (!json_is_object(j) || (key != NULL &&
	    json_object_get(j, key) == NULL)) {
		*st = LLM_SCHEMA;
		say(msg, msglen, "the model's JSON has no \"%s\"", key);
		json_decref(j);
		return NULL;
	}
	*st = LLM_OK;
	return j;
}

static int
push(struct learn_items *it, struct learn_item *x)
{
	struct learn_item *v;
	size_t cap;

	if (it->n == it->cap) {
		cap = it->cap ? it->cap * 2 : 8;
		if ((v = realloc(it->v, cap * sizeof(*v))) == NULL)
			return -1;
		it->v = v;
		it->cap = cap;
	}
	it->v[it->n++] = *x;
	return 0;
}

/* Moves src's items to the end of dst. */
static int
move_items(struct learn_items *dst, struct learn_items *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		if (push(dst, &src->v[i]) == -1) {
			/* what moved belongs to dst now */
			memmove(src->v, src->v + i, (src->n - i) *
			    sizeof(*src->v));
			src->n -= i;
			return -1;
		}
	free(src->v);
	memset(src, 0, sizeof(*src));
	return 0;
}

/* s with its first run of 3 or more underscores as "____"; NULL when it
 * has none or more than one. */
static char *
blanked(const char *s)
{
	const char *a = NULL, *p;
	size_t n, runs = 0, alen = 0;
	char *o;

	for (p = s; *p; ) {
		if (*p != '_') {
			p++;
			continue;
		}
		for (n = 0; p[n] == '_'; n++)
			;
		if (n >= 3) {
			runs++;
			a = p;
			alen = n;
		}
		p += n;
	}
	if (runs != 1)
		return NULL;
	if ((o = malloc(strlen(s) + 5)) == NULL)
		return NULL;
	n = a - s;
	memcpy(o, s, n);
	memcpy(o + n, "____", 4);
	strcpy(o + n + 4, a + alen);
	return o;
}

static char *
joined(const char *pre, const char *s, const char *post)
{
	char *o;

	if (asprintf(&o, "%s%s%s", pre, s, post) == -1)
		return NULL;
	return o;
}

/* A guess at the answer's kind, for display only. */
static enum learn_term_type
guess_type(const char *a)
{
	size_t i, n = strlen(a), digits = 0;

	for (i = 0; i < n; i++)
		digits += isdigit((unsigned char)a[i]) != 0;
	if (digits == n && n == 4 && (a[0] == '1' || (a[0] == '2' &&
	    a[1] == '0')))
		return LEARN_TERM_YEAR;
	if (digits > 0 && digits + 2 >= n)
		return LEARN_TERM_NUMBER;
	if (isupper((unsigned char)a[0]))
		return LEARN_TERM_NAME;
	return strchr(a, ' ') ? LEARN_TERM_PHRASE : LEARN_TERM_WORD;
}

static void
item_clear(struct learn_item *x)
{
	size_t k;

	free(x->question);
	free(x->stem);
	free(x->answer);
	free(x->explanation);
	free(x->claim);
	for (k = 0; k < x->noptions; k++)
		free(x->options[k]);
	memset(x, 0, sizeof(*x));
}

/* 1: the item is usable (*x filled); 0: wrong shape (why in msg); -1: out
 * of memory. */
static int
quiz_item(json_t *o, const size_t *ids, size_t nids, struct learn_item *x,
    char *msg, size_t msglen)
{
	const char *type, *q, *ans, *ex, *quote, *s;
	json_t *opts;
	size_t k, n, p;

	memset(x, 0, sizeof(*x));
	if (!json_is_object(o)) {
		say(msg, msglen, "not an object");
		return 0;
	}
	if ((type = str(o, "type")) == NULL) {
		say(msg, msglen, "no \"type\"");
		return 0;
	}
	if (strcmp(type, "single") == 0 || strcmp(type, "single_choice") == 0)
		x->type = LEARN_ITEM_SINGLE;
	else if (strcmp(type, "truefalse") == 0 ||
	    strcmp(type, "true_false") == 0)
		x->type = LEARN_ITEM_TRUEFALSE;
	else if (strcmp(type, "cloze") == 0)
		x->type = LEARN_ITEM_CLOZE;
	else {
		say(msg, msglen, "type \"%.40s\" is not single, truefalse or "
		    "cloze", type);
		return 0;
	}
	q = str(o, "question");
	ans = str(o, "answer");
	ex = str(o, "explanation");
	quote = str(o, "quote");
	opts = json_object_get(o, "options");
	if (q == NULL || ans == NULL || ex == NULL || quote == NULL) {
		say(msg, msglen, "\"%s\" is missing or empty", q == NULL ?
		    "question" : ans == NULL ? "answer" : ex == NULL ?
		    "explanation" : "quote");
		return 0;
	}
	if (!json_is_array(opts)) {
		say(msg, msglen, "\"options\" is not an array");
		return 0;
	}
	if (pid(json_object_get(o, "source"), ids, nids, &p) == -1) {
		say(msg, msglen, "\"source\" is not the id of a passage in the "
		    "prompt");
		return 0;
	}
	n = json_array_size(opts);
	for (k = 0; k < n; k++)
		if (!json_is_string(json_array_get(opts, k)) ||
		    json_string_length(json_array_get(opts, k)) == 0) {
			say(msg, msglen, "option %zu is not a non-empty string",
			    k + 1);
			return 0;
		}
	switch (x->type) {
	case LEARN_ITEM_SINGLE:
		if (n < 3 || n > LEARN_OPTIONS_MAX) {
			say(msg, msglen, "single choice with %zu options (3 to "
			    "%d)", n, LEARN_OPTIONS_MAX);
			return 0;
		}
		for (k = 0; k < n; k++)
			if (strcmp(json_string_value(json_array_get(opts, k)),
			    ans) == 0)
				break;
		if (k == n) {
			say(msg, msglen, "the answer \"%.60s\" is not among the "
			    "options", ans);
			return 0;
		}
		break;
	case LEARN_ITEM_TRUEFALSE:
		if (n != 2 || strcasecmp(json_string_value(json_array_get(opts,
		    0)), "true") != 0 || strcasecmp(json_string_value(
		    json_array_get(opts, 1)), "false") != 0) {
			say(msg, msglen, "true/false options are not "
			    "[\"True\",\"False\"]");
			return 0;
		}
		if (strcasecmp(ans, "true") != 0 &&
		    strcasecmp(ans, "false") != 0) {
			say(msg, msglen, "the answer \"%.60s\" is not among the "
			    "options", ans);
			return 0;
		}
		break;
	default:
		if (n != 0) {
			say(msg, msglen, "a cloze item has options");
			return 0;
		}
		break;
	}
	x->passage = p;
	x->cites[0] = p;
	x->ncites = 1;
	x->bloom = LEARN_BLOOM_REMEMBER;
	if (x->type == LEARN_ITEM_TRUEFALSE) {
		s = q;
		if (strncasecmp(s, "true or false:", 14) == 0)
			s += 14;
		while (*s == ' ')
			s++;
		x->stem = strdup(s);
		x->question = x->stem ? joined("True or false: ", s, "") : NULL;
		x->answer = strdup(tolower((unsigned char)ans[0]) == 't' ?
		    "True" : "False");
		x->options[0] = strdup("True");
		x->options[1] = strdup("False");
		x->noptions = 2;
		if (x->options[0] == NULL || x->options[1] == NULL)
			goto oom;
	} else {
		if ((x->stem = blanked(q)) == NULL) {
			say(msg, msglen, "the question has no blank (____) or "
			    "more than one");
			return 0;
		}
		x->question = x->type == LEARN_ITEM_SINGLE ?
		    joined("Which term fills the blank? \"", x->stem, "\"") :
		    joined("Fill in the blank: ", x->stem, "");
		x->answer = strdup(ans);
		for (k = 0; k < n; k++) {
			if ((x->options[k] = strdup(json_string_value(
			    json_array_get(opts, k)))) == NULL)
				goto oom;
			x->noptions++;
		}
	}
	x->explanation = strdup(ex);
	x->claim = strdup(quote);
	if (x->stem == NULL || x->question == NULL || x->answer == NULL ||
	    x->explanation == NULL || x->claim == NULL)
		goto oom;
	x->answer_type = guess_type(x->answer);
	return 1;
oom:
	item_clear(x);
	return -1;
}

static int
objective_item(json_t *o, const size_t *ids, size_t nids,
    struct learn_item *x, char *msg, size_t msglen)
{
	const char *obj, *bl;
	json_t *terms, *src;
	size_t k, n, p;
	int b;

	memset(x, 0, sizeof(*x));
	x->type = LEARN_ITEM_OBJECTIVE;
	if (!json_is_object(o) || (obj = str(o, "objective")) == NULL) {
		say(msg, msglen, "no \"objective\"");
		return 0;
	}
	if ((bl = str(o, "bloom")) == NULL) {
		say(msg, msglen, "no \"bloom\"");
		return 0;
	}
	for (b = 0; b < LEARN_BLOOM__MAX; b++)
		if (strcasecmp(bl, learn_bloom_name(b)) == 0 ||
		    (b == LEARN_BLOOM_ANALYSE && strcasecmp(bl, "analyze") == 0))
			break;
	if (b == LEARN_BLOOM__MAX) {
		say(msg, msglen, "bloom \"%.30s\" is not remember, understand, "
		    "apply or analyse", bl);
		return 0;
	}
	terms = json_object_get(o, "terms");
	src = json_object_get(o, "sources");
	if (!json_is_array(terms) || json_array_size(terms) >
	    LEARN_OPTIONS_MAX) {
		say(msg, msglen, "\"terms\" is not an array of at most %d",
		    LEARN_OPTIONS_MAX);
		return 0;
	}
	if (!json_is_array(src) || json_array_size(src) == 0 ||
	    json_array_size(src) > LEARN_CITES_MAX) {
		say(msg, msglen, "\"sources\" is not an array of 1 to %d ids",
		    LEARN_CITES_MAX);
		return 0;
	}
	n = json_array_size(src);
	for (k = 0; k < n; k++) {
		if (pid(json_array_get(src, k), ids, nids, &p) == -1) {
			say(msg, msglen, "source %zu is not the id of a passage "
			    "in the prompt", k + 1);
			return 0;
		}
		x->cites[x->ncites++] = p;
	}
	n = json_array_size(terms);
	for (k = 0; k < n; k++)
		if (!json_is_string(json_array_get(terms, k))) {
			say(msg, msglen, "term %zu is not a string", k + 1);
			return 0;
		}
	x->passage = x->cites[0];
	x->bloom = b;
	if ((x->question = strdup(obj)) == NULL)
		goto oom;
	for (k = 0; k < n; k++) {
		if ((x->options[k] = strdup(json_string_value(
		    json_array_get(terms, k)))) == NULL)
			goto oom;
		x->noptions++;
	}
	return 1;
oom:
	item_clear(x);
	return -1;
}

typedef int (*item_fn)(json_t *, const size_t *, size_t, struct learn_item *,
    char *, size_t);

static enum llm_status
parse_list(const char *s, size_t len, const char *key, item_fn fn,
    const size_t *ids, size_t nids, size_t max, struct learn_items *out,
    size_t *rejected, char *msg, size_t msglen)
{
	struct learn_items got = { 0 };
	struct learn_item x;
	enum llm_status st;
	char why[200];
	json_t *j, *a;
	size_t i, n, bad = 0;
	int r;

	if (rejected)
		*rejected = 0;
	if (msg && msglen)
		msg[0] = '\0';
	if ((j = load(s, len, key, &st, msg, msglen)) == NULL)
		return st;
	a = json_object_get(j, key);
	if (!json_is_array(a) || json_array_size(a) == 0) {
		say(msg, msglen, "the model's \"%s\" is not a non-empty array",
		    key);
		json_decref(j);
		return LLM_SCHEMA;
	}
	n = json_array_size(a);
	for (i = 0; i < n && got.n < max; i++) {
		why[0] = '\0';
		if ((r = fn(json_array_get(a, i), ids, nids, &x, why,
		    sizeof(why))) == -1)
			goto oom;
		if (r == 0) {
			if (bad++ == 0)
				say(msg, msglen, "%s %zu: %s", strcmp(key, "items") ==
				    0 ? "item" : "objective", i + 1, why);
			continue;
		}
		if (push(&got, &x) == -1) {
			item_clear(&x);
			goto oom;
		}
	}
	json_decref(j);
	if (rejected)
		*rejected = bad;
	if (got.n == 0) {
		learn_items_free(&got);
		return LLM_SCHEMA;
	}
	if (move_items(out, &got) == -1) {
		learn_items_free(&got);
		return LLM_NOMEM;
	}
	return LLM_OK;
oom:
	json_decref(j);
	learn_items_free(&got);
	say(msg, msglen, "out of memory");
	return LLM_NOMEM;
}

enum llm_status
llm_gen_parse_quiz(const char *s, size_t len, const size_t *ids, size_t nids,
    size_t max, struct learn_items *out, size_t *rejected, char *msg,
    size_t msglen)
{
	return parse_list(s, len, "items", quiz_item, ids, nids, max, out,
	    rejected, msg, msglen);
}

enum llm_status
llm_gen_parse_objectives(const char *s, size_t len, const size_t *ids,
    size_t nids, size_t max, struct learn_items *out, size_t *rejected,
    char *msg, size_t msglen)
{
	return parse_list(s, len, "objectives", objective_item, ids, nids,
	    max, out, rejected, msg, msglen);
}

/* Checks the [pN] citations of text: each an id, at least one.  Fills
 * cites (up to max) with the distinct ones. */
static int
citations(const char *t, const size_t *ids, size_t nids, size_t *cites,
    size_t *ncites, size_t max, char *msg, size_t msglen)
{
	const char *p;
	char *end;
	unsigned long v;
	size_t i, k, n = 0;

	for (p = t; (p = strstr(p, "[p")) != NULL; p++) {
		v = strtoul(p + 2, &end, 10);
		if (end == p + 2 || *end != ']')
			continue;
		for (i = 0; i < nids && ids[i] != v - 1; i++)
			;
		if (v == 0 || i == nids) {
			say(msg, msglen, "cites [p%lu], which was not in the "
			    "prompt", v);
			return -1;
		}
		for (k = 0; k < n && cites[k] != v - 1; k++)
			;
		if (k == n && n < max)
			cites[n++] = v - 1;
	}
	if (n == 0) {
		say(msg, msglen, "cites no passage ([pN])");
		return -1;
	}
	if (ncites)
		*ncites = n;
	return 0;
}

enum llm_status
llm_gen_parse_lesson(const char *s, size_t len, const size_t *ids,
    size_t nids, char **md, char *msg, size_t msglen)
{
	enum llm_status st;
	size_t cites[16], nc;
	const char *t;
	json_t *j;

	*md = NULL;
	if (msg && msglen)
		msg[0] = '\0';
	if ((j = load(s, len, "lesson", &st, msg, msglen)) == NULL)
		return st;
	if ((t = str(j, "lesson")) == NULL) {
		say(msg, msglen, "the model's \"lesson\" is not a non-empty "
		    "string");
		json_decref(j);
		return LLM_SCHEMA;
	}
	if (citations(t, ids, nids, cites, &nc, 16, msg, msglen) == -1) {
		json_decref(j);
		return LLM_SCHEMA;
	}
	*md = strdup(t);
	json_decref(j);
	return *md ? LLM_OK : LLM_NOMEM;
}

enum llm_status
llm_gen_parse_answer(const char *s, size_t len, const size_t *ids,
    size_t nids, struct llm_gen_answer *out, char *msg, size_t msglen)
{
	enum llm_status st;
	const char *t;
	json_t *j, *src;
	size_t k, n, p;

	memset(out, 0, sizeof(*out));
	if (msg && msglen)
		msg[0] = '\0';
	if ((j = load(s, len, "answer", &st, msg, msglen)) == NULL)
		return st;
	st = LLM_SCHEMA;
	src = json_object_get(j, "sources");
	if ((t = str(j, "answer")) == NULL) {
		say(msg, msglen, "the model's \"answer\" is not a non-empty "
		    "string");
		goto out;
	}
	if (strlen(t) > ANSWER_MAX) {
		say(msg, msglen, "the answer is over %d bytes", ANSWER_MAX);
		goto out;
	}
	n = json_array_size(src);
	if (!json_is_array(src) || n == 0 || n > LEARN_CITES_MAX) {
		say(msg, msglen, "\"sources\" is not an array of 1 to %d ids",
		    LEARN_CITES_MAX);
		goto out;
	}
	for (k = 0; k < n; k++) {
		if (pid(json_array_get(src, k), ids, nids, &p) == -1) {
			say(msg, msglen, "source %zu is not the id of a passage "
			    "in the prompt", k + 1);
			goto out;
		}
		out->cites[out->ncites++] = p;
	}
	if ((out->text = strdup(t)) == NULL) {
		st = LLM_NOMEM;
		goto out;
	}
	st = LLM_OK;
out:
	if (st != LLM_OK)
		out->ncites = 0;
	json_decref(j);
	return st;
}

void
llm_gen_answer_free(struct llm_gen_answer *a)
{
	free(a->text);
	memset(a, 0, sizeof(*a));
}

/* ---- prompts ---------------------------------------------------------- */

static const char sys_common[] =
    "You write course content for instructors, using ONLY the numbered "
    "passages in the user's message; no outside knowledge. Passages are "
    "marked [pN]. Reply with one JSON object and nothing else.";

static const char sys_quiz[] =
    " The object is {\"items\":[{\"type\":\"single\"|\"truefalse\"|"
    "\"cloze\",\"question\":string,\"options\":[string],\"answer\":string,"
    "\"explanation\":string,\"source\":\"pN\",\"quote\":string}]}. "
    "quote is one sentence copied word for word from passage source. "
    "single and cloze: question is that sentence with the answer (a key "
    "term) replaced by ____; single has 3 or 4 options: the answer and "
    "wrong terms of the same kind from the passages; cloze has options []. "
    "truefalse: options are [\"True\",\"False\"]; question is the quoted "
    "sentence (answer \"True\") or the sentence with one key term swapped "
    "for another from the passages (answer \"False\"). explanation says "
    "why, citing [pN]. Mix the three types; no two items about the same "
    "sentence.";

static const char sys_obj[] =
    " The object is {\"objectives\":[{\"objective\":string,\"bloom\":"
    "\"remember\"|\"understand\"|\"apply\"|\"analyse\",\"terms\":[string],"
    "\"sources\":[\"pN\"]}]}. Each objective starts with an observable "
    "verb of its Bloom level (remember: define, list, state; understand: "
    "explain, describe, summarise; apply: use, compute, apply; analyse: "
    "compare, distinguish, contrast) and otherwise uses only words of its "
    "sources; terms (at most 4) are key terms it names; sources (1 to 4) "
    "are the passages it rests on.";

static const char sys_lesson[] =
    " The object is {\"lesson\":string}: a lesson draft in Markdown, with a "
    "title, short sections and a summary; every paragraph ends by citing "
    "the passages it rests on as [pN].";

static const char sys_answer[] =
    "You are a course tutor. Answer the learner's question in two to four "
    "sentences, using ONLY the numbered passages given (marked [pN]); cite "
    "each passage you use as [pN]. Reply with one JSON object and nothing "
    "else: {\"answer\":string,\"sources\":[\"pN\"]}.";

static int
cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The passages for a prompt: BM25 over the material's best key terms
 * (those of document doc when doc >= 0), best first, then the rest of the
 * document in order, up to max passages and max_bytes of text; returned in
 * text order.  Returns how many, or (size_t)-1 when out of memory.
 */
static size_t
pick(const struct learn_material *m, long doc, size_t max, size_t max_bytes,
    size_t *ids)
{
	struct learn_hit *hits;
	struct buf q;
	size_t i, k, nh, n = 0, bytes = 0, terms = 0;

	if ((hits = calloc(2 * m->np + 1, sizeof(*hits))) == NULL)
		return (size_t)-1;
	buf_init(&q);
	for (i = 0; i < m->nterms && terms < 40; i++) {
		if (doc >= 0 && m->ps[m->terms[i].passage].doc != (unsigned)doc)
			continue;
		buf_printf(&q, "%s ", m->terms[i].text);
		terms++;
	}
	nh = q.len ? learn_bm25_search(m->idx, q.p, q.len, m->np, hits) : 0;
	buf_free(&q);
	if (nh == (size_t)-1) {
		free(hits);
		return (size_t)-1;
	}
	/* then every passage of the document, in order */
	for (i = 0; i < m->np; i++) {
		hits[nh].passage = i;
		hits[nh++].score = 0;
	}
	for (i = 0; i < nh && n < max; i++) {
		const struct learn_passage *p = &m->ps[hits[i].passage];

		if (doc >= 0 && p->doc != (unsigned)doc)
			continue;
		for (k = 0; k < n && ids[k] != hits[i].passage; k++)
			;
		if (k < n)
			continue;
		if (n > 0 && bytes + p->len > max_bytes)
			continue;
		ids[n++] = hits[i].passage;
		bytes += p->len;
	}
	free(hits);
	qsort(ids, n, sizeof(*ids), cmp_size);
	return n;
}

static void
put_passages(struct buf *b, const struct learn_passage *ps, const size_t *ids,
    size_t n)
{
	size_t i;

	buf_puts(b, "Passages:\n");
	for (i = 0; i < n; i++) {
		const struct learn_passage *p = &ps[ids[i]];

		buf_printf(b, "\n[p%zu]", ids[i] + 1);
		if (p->head_len)
			buf_printf(b, " (%.*s)", (int)p->head_len, p->heading);
		buf_putc(b, '\n');
		buf_put(b, p->text, p->len);
		buf_putc(b, '\n');
	}
}

/* ---- the backend ------------------------------------------------------ */

struct call {
	const size_t	*ids;
	size_t		 nids;
	size_t		 max;
	const char	*task;
	struct learn_items items;
	size_t		 rejected;
	char		*md;
	struct llm_gen_answer ans;
	char		 first[200];	/* first item refused, for the report */
};

static enum llm_status
check_cb(void *ctx, const char *s, size_t len, char *msg, size_t msglen)
{
	struct call *c = ctx;
	enum llm_status st;

	/* a retry's content replaces the last one */
	learn_items_free(&c->items);
	free(c->md);
	c->md = NULL;
	llm_gen_answer_free(&c->ans);
	if (strcmp(c->task, "quiz") == 0)
		st = llm_gen_parse_quiz(s, len, c->ids, c->nids, c->max,
		    &c->items, &c->rejected, msg, msglen);
	else if (strcmp(c->task, "objectives") == 0)
		st = llm_gen_parse_objectives(s, len, c->ids, c->nids, c->max,
		    &c->items, &c->rejected, msg, msglen);
	else if (strcmp(c->task, "lesson") == 0)
		st = llm_gen_parse_lesson(s, len, c->ids, c->nids, &c->md, msg,
		    msglen);
	else
		st = llm_gen_parse_answer(s, len, c->ids, c->nids, &c->ans,
		    msg, msglen);
	if (st == LLM_OK && msg[0])
		snprintf(c->first, sizeof(c->first), "%s", msg);
	return st;
}

static void
report(struct llm_gen *g, const struct llm_result *r, const char *why)
{
	struct llm_gen_report *p = &g->last;

	p->st = r->st;
	p->attempts = r->attempts;
	p->ms = r->ms;
	p->fallback = r->st != LLM_OK || why != NULL;
	if (r->st != LLM_OK)
		snprintf(p->reason, sizeof(p->reason), "%s: %s",
		    llm_status_name(r->st), r->msg);
	else if (why != NULL)
		snprintf(p->reason, sizeof(p->reason), "%s", why);
}

/* Sends the task; on LLM_OK c holds the parsed answer.  Returns the
 * status (also in g->last). */
static enum llm_status
run(struct llm_gen *g, const char *sys, const struct learn_passage *ps,
    const char *head, struct call *c)
{
	struct llm_result r;
	struct buf u;

	buf_init(&u);
	buf_puts(&u, head);
	buf_puts(&u, "\n");
	put_passages(&u, ps, c->ids, c->nids);
	llm_chat(g->cfg, g->br, sys, u.p, check_cb, c, &r);
	buf_free(&u);
	report(g, &r, NULL);
	return r.st;
}

static char *
sysprompt(const char *task)
{
	char *s;

	if (asprintf(&s, "%s%s", sys_common, task) == -1)
		return NULL;
	return s;
}

/*
 * The quality checks on items[0..n) of the model: the passing ones move to
 * out, the others are counted in g->last.dropped with the first reason.
 */
static int
keep_passing(struct llm_gen *g, const struct learn_material *m,
    struct learn_items *it, struct learn_items *out, const char *first)
{
	struct learn_check_result *res;
	struct learn_items keep = { 0 };
	size_t i;
	int k, c;
	char why[300] = "";

	if ((res = calloc(it->n + 1, sizeof(*res))) == NULL)
		return -1;
	for (i = 0; i < it->n; i++)
		if (learn_check_item(&it->v[i], m->ps, m->np, &g->co,
		    &res[i]) == -1)
			goto oom;
	if (learn_check_dups(it->v, it->n, res) == (size_t)-1)
		goto oom;
	for (i = 0; i < it->n; i++) {
		if (res[i].pass) {
			if (push(&keep, &it->v[i]) == -1)
				goto oom;
			memset(&it->v[i], 0, sizeof(it->v[i]));
			continue;
		}
		g->last.dropped++;
		for (c = 0, k = -1; c < LEARN_CHECK__MAX && k < 0; c++)
			if (!res[i].ok[c])
				k = c;
		if (why[0] == '\0' && k >= 0)
			snprintf(why, sizeof(why), "item %zu fails %s: %s",
			    i + 1, learn_check_name(k), res[i].reason[k]);
	}
	free(res);
	if (keep.n == 0) {
		snprintf(g->last.reason, sizeof(g->last.reason), "quality "
		    "checks: none of the model's %zu items passed (%s)",
		    g->last.got, why);
		g->last.fallback = 1;
		g->last.st = LLM_SCHEMA;
		return 0;
	}
	if (g->last.dropped)
		snprintf(g->last.reason, sizeof(g->last.reason), "%zu of the "
		    "model's %zu items dropped by the checks (first: %s)",
		    g->last.dropped, g->last.got, first && first[0] ? first :
		    why);
	if (move_items(out, &keep) == -1) {
		learn_items_free(&keep);
		return -1;
	}
	return 0;
oom:
	free(res);
	learn_items_free(&keep);
	return -1;
}

static int
gen_items(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *req, struct learn_items *out, char *err,
    size_t errlen, const char *task)
{
	struct llm_gen *g = ctx;
	struct call c;
	size_t *ids = NULL, n, want;
	char head[200], *sys = NULL;
	int quiz = strcmp(task, "quiz") == 0, rc = -1;

	memset(&g->last, 0, sizeof(g->last));
	memset(&c, 0, sizeof(c));
	want = req->n ? req->n : 8;
	if ((ids = calloc(m->np + 1, sizeof(*ids))) == NULL ||
	    (sys = sysprompt(quiz ? sys_quiz : sys_obj)) == NULL)
		goto oom;
	n = pick(m, req->doc, g->max_passages ? g->max_passages : PASSAGES_DEF,
	    g->max_bytes ? g->max_bytes : BYTES_DEF, ids);
	if (n == (size_t)-1)
		goto oom;
	c.ids = ids;
	c.nids = n;
	c.max = want;
	c.task = task;
	snprintf(head, sizeof(head), "Task: %s\nCount: %zu\nLongest sentence: "
	    "%zu words\n", task, want, req->max_words ? req->max_words : 40);
	if (n == 0) {
		g->last.fallback = 1;
		snprintf(g->last.reason, sizeof(g->last.reason), "no passages "
		    "for the prompt");
	} else if (run(g, sys, m->ps, head, &c) == LLM_OK) {
		g->last.got = c.items.n + c.rejected;
		g->last.dropped = c.rejected;
		if (keep_passing(g, m, &c.items, out, c.first) == -1)
			goto oom;
	} else if (g->last.st == LLM_NOMEM)
		goto oom;
	if (g->last.fallback) {
		const struct learn_gen_backend *o = &learn_gen_offline;

		rc = quiz ? o->quiz(NULL, m, req, out, err, errlen) :
		    o->objectives(NULL, m, req, out, err, errlen);
	} else
		rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory");
done:
	learn_items_free(&c.items);
	free(ids);
	free(sys);
	return rc;
}

static int
llm_quiz(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *req, struct learn_items *out, char *err,
    size_t errlen)
{
	return gen_items(ctx, m, req, out, err, errlen, "quiz");
}

static int
llm_objectives(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *req, struct learn_items *out, char *err,
    size_t errlen)
{
	return gen_items(ctx, m, req, out, err, errlen, "objectives");
}

static int
llm_lesson(void *ctx, const struct learn_material *m,
    const struct learn_gen_req *req, char **md, char *err, size_t errlen)
{
	struct llm_gen *g = ctx;
	struct call c;
	size_t *ids = NULL, n;
	char *sys = NULL, why[LEARN_CHECK_REASON];
	int rc = -1;

	memset(&g->last, 0, sizeof(g->last));
	memset(&c, 0, sizeof(c));
	*md = NULL;
	if ((ids = calloc(m->np + 1, sizeof(*ids))) == NULL ||
	    (sys = sysprompt(sys_lesson)) == NULL)
		goto oom;
	n = pick(m, req->doc, g->max_passages ? g->max_passages : PASSAGES_DEF,
	    g->max_bytes ? g->max_bytes : BYTES_DEF, ids);
	if (n == (size_t)-1)
		goto oom;
	c.ids = ids;
	c.nids = n;
	c.task = "lesson";
	if (n == 0) {
		g->last.fallback = 1;
		snprintf(g->last.reason, sizeof(g->last.reason), "no passages "
		    "for the prompt");
	} else if (run(g, sys, m->ps, "Task: lesson\n", &c) == LLM_OK) {
		if (learn_safety(c.md, strlen(c.md), &g->co, why,
		    sizeof(why))) {
			g->last.fallback = 1;
			snprintf(g->last.reason, sizeof(g->last.reason),
			    "quality checks: the lesson fails safety: %s", why);
		} else {
			*md = c.md;
			c.md = NULL;
		}
	} else if (g->last.st == LLM_NOMEM)
		goto oom;
	if (g->last.fallback)
		rc = learn_gen_offline.lesson(NULL, m, req, md, err, errlen);
	else
		rc = 0;
	goto done;
oom:
	snprintf(err, errlen, "out of memory");
done:
	free(c.md);
	free(ids);
	free(sys);
	return rc;
}

const struct learn_gen_backend llm_gen_backend = {
	"llm", llm_objectives, llm_quiz, llm_lesson
};

int
llm_gen_ask(struct llm_gen *g, const struct learn_passage *ps, size_t np,
    const size_t *ids, size_t nids, const char *q,
    struct llm_gen_answer *out)
{
	struct call c;
	struct buf head;
	char why[LEARN_CHECK_REASON];
	size_t sorted[LEARN_CITES_MAX * 2], i, n = 0;

	memset(&g->last, 0, sizeof(g->last));
	memset(&c, 0, sizeof(c));
	memset(out, 0, sizeof(*out));
	for (i = 0; i < nids && n < sizeof(sorted) / sizeof(sorted[0]); i++)
		if (ids[i] < np)
			sorted[n++] = ids[i];
	c.ids = sorted;
	c.nids = n;
	c.task = "answer";
	if (n == 0) {
		g->last.fallback = 1;
		snprintf(g->last.reason, sizeof(g->last.reason), "no passages "
		    "for the prompt");
		return 1;
	}
	buf_init(&head);
	buf_puts(&head, "Task: answer\nQuestion: ");
	for (i = 0; q[i]; i++)		/* one line */
		buf_putc(&head, q[i] == '\n' || q[i] == '\r' ? ' ' : q[i]);
	buf_putc(&head, '\n');
	run(g, sys_answer, ps, head.p, &c);
	buf_free(&head);
	if (g->last.st == LLM_NOMEM)
		return -1;
	if (g->last.st != LLM_OK)
		return 1;
	if (learn_safety(c.ans.text, strlen(c.ans.text), &g->co, why,
	    sizeof(why))) {
		g->last.fallback = 1;
		g->last.st = LLM_SCHEMA;
		snprintf(g->last.reason, sizeof(g->last.reason), "quality "
		    "checks: the answer fails safety: %s", why);
		llm_gen_answer_free(&c.ans);
		return 1;
	}
	*out = c.ans;
	return 0;
}
