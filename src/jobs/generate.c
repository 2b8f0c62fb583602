/*
 * generate: a generation project run over the course's passages, and the
 * checks run again on an edited item; see generate.h.
 *
 * The passages come from the database one row each; a passage's "doc" for
 * the generators is its material (so distractors prefer terms of the same
 * material), and passages of one material under one heading share the
 * heading's pointer (the lesson generator groups sections by it).  A first,
 * empty passage carries the course's (or module's) title as the only level
 * 1 heading, so a lesson draft is titled after what it is for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "jobs/generate.h"
#include "learn/bm25.h"
#include "learn/gen.h"
#include "learn/gencheck.h"
#include "learn/passage.h"
#include "out/llm.h"
#include "out/llm_gen.h"

#define MODULE_ALL	12	/* a course this small: every passage */
#define MODULE_TOP	24	/* else the best matching, at most */
#define MODULE_MIN	3	/* fewer matching: every passage */
#define OBJECTIVES	8

/* The passages of one run or one check, id 0 for the title passage. */
struct pset {
	size_t			 n;
	int64_t			*id;
	struct learn_passage	*ps;
};

int
generate_reading_level(const char *course_level)
{
	if (course_level != NULL && strcmp(course_level, "beginner") == 0)
		return LEARN_LEVEL_SECONDARY;
	if (course_level != NULL && strcmp(course_level, "advanced") == 0)
		return LEARN_LEVEL_PROFESSIONAL;
	return LEARN_LEVEL_ADULT;
}

/* The rows (id, heading, body, material) of the last statement into *s,
 * after a title passage when title is not NULL; strings copied into the
 * arena. */
static void
pset_load(struct db *db, struct arena *a, int rows, const char *title,
    struct pset *s)
{
	struct learn_passage *p;
	int64_t mat, pmat = -1;
	unsigned doc = 0;
	const char *h;
	int i;

	s->n = 0;
	s->id = arena_calloc(a, rows + 1, sizeof(*s->id));
	s->ps = arena_calloc(a, rows + 1, sizeof(*s->ps));
	if (title != NULL) {
		p = &s->ps[s->n++];
		p->text = "";
		p->heading = arena_strdup(a, title);
		p->head_len = strlen(title);
		p->head_level = 1;
		doc = 1;
	}
	for (i = 0; i < rows; i++) {
		p = &s->ps[s->n];
		s->id[s->n] = db_i64(db, i, 0);
		h = db_str(db, i, 1);
		mat = db_i64(db, i, 3);
		if (pmat != -1 && mat != pmat)
			doc++;
		p->doc = doc;
		p->text = arena_strdup(a, db_str(db, i, 2));
		p->len = strlen(p->text);
		if (*h != '\0') {
			if (s->n > 0 && mat == pmat && s->ps[s->n - 1].heading &&
			    strcmp(s->ps[s->n - 1].heading, h) == 0)
				p->heading = s->ps[s->n - 1].heading;
			else
				p->heading = arena_strdup(a, h);
			p->head_len = strlen(h);
			p->head_level = 2;
		}
		pmat = mat;
		s->n++;
	}
}

static long
pset_index(const struct pset *s, int64_t id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->id[i] == id && id != 0)
			return (long)i;
	return -1;
}

/* ---- items as stored ------------------------------------------------ */

static const char *
kind_of(enum learn_item_type t)
{
	switch (t) {
	case LEARN_ITEM_SINGLE:
		return "single";
	case LEARN_ITEM_TRUEFALSE:
		return "truefalse";
	case LEARN_ITEM_CLOZE:
		return "cloze";
	default:
		return "objective";
	}
}

static json_t *
jstr(const char *s)
{
	return json_string(s != NULL ? s : "");
}

/* Item x as stored content, its sources added to src (unique). */
static json_t *
item_json(const struct learn_item *x, const struct pset *s, json_t *src)
{
	json_t *o = json_object(), *a, *c = json_array();
	size_t k, i;
	int64_t id;
	int seen;

	if (x->type == LEARN_ITEM_OBJECTIVE) {
		json_object_set_new(o, "objective", jstr(x->question));
		json_object_set_new(o, "bloom", jstr(learn_bloom_name(
		    x->bloom)));
		a = json_array();
		for (k = 0; k < x->noptions; k++)
			json_array_append_new(a, jstr(x->options[k]));
		json_object_set_new(o, "terms", a);
	} else {
		json_object_set_new(o, "question", jstr(x->question));
		json_object_set_new(o, "stem", jstr(x->stem));
		a = json_array();
		for (k = 0; k < x->noptions; k++)
			json_array_append_new(a, jstr(x->options[k]));
		json_object_set_new(o, "options", a);
		json_object_set_new(o, "answer", jstr(x->answer));
		json_object_set_new(o, "explanation", jstr(x->explanation));
		json_object_set_new(o, "claim", jstr(x->claim));
		json_object_set_new(o, "answer_type", jstr(
		    learn_term_type_name(x->answer_type)));
	}
	json_object_set_new(o, "passage", json_integer(x->passage < s->n ?
	    s->id[x->passage] : 0));
	for (k = 0; k < x->ncites + 1; k++) {
		size_t p = k < x->ncites ? x->cites[k] : x->passage;

		if (p >= s->n || (id = s->id[p]) == 0)
			continue;
		if (k < x->ncites)
			json_array_append_new(c, json_integer(id));
		for (i = 0, seen = 0; i < json_array_size(src); i++)
			seen |= json_integer_value(json_array_get(src, i)) == id;
		if (!seen)
			json_array_append_new(src, json_integer(id));
	}
	json_object_set_new(o, "cites", c);
	return o;
}

static char *
sget(json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return (char *)(v != NULL ? v : "");
}

/* Stored content o of kind back into an item over s (strings point into
 * o).  0, or -1 when o is not an item of the kind. */
static int
item_from_json(json_t *o, const char *kind, const struct pset *s,
    struct learn_item *x)
{
	json_t *a, *v;
	size_t i;
	long p;

	memset(x, 0, sizeof(*x));
	if (!json_is_object(o))
		return -1;
	if (strcmp(kind, "single") == 0)
		x->type = LEARN_ITEM_SINGLE;
	else if (strcmp(kind, "truefalse") == 0)
		x->type = LEARN_ITEM_TRUEFALSE;
	else if (strcmp(kind, "cloze") == 0)
		x->type = LEARN_ITEM_CLOZE;
	else if (strcmp(kind, "objective") == 0)
		x->type = LEARN_ITEM_OBJECTIVE;
	else
		return -1;
	if (x->type == LEARN_ITEM_OBJECTIVE) {
		x->question = sget(o, "objective");
		a = json_object_get(o, "terms");
	} else {
		x->question = sget(o, "question");
		x->stem = sget(o, "stem");
		x->answer = sget(o, "answer");
		x->explanation = sget(o, "explanation");
		x->claim = sget(o, "claim");
		a = json_object_get(o, "options");
	}
	json_array_foreach(a, i, v) {
		if (x->noptions == LEARN_OPTIONS_MAX)
			break;
		if (json_is_string(v))
			x->options[x->noptions++] = (char *)json_string_value(v);
	}
	p = pset_index(s, json_integer_value(json_object_get(o, "passage")));
	x->passage = p < 0 ? s->n : (size_t)p;
	json_array_foreach(json_object_get(o, "cites"), i, v) {
		if (x->ncites == LEARN_CITES_MAX)
			break;
		p = pset_index(s, json_integer_value(v));
		x->cites[x->ncites++] = p < 0 ? s->n : (size_t)p;
	}
	return 0;
}

/* ---- lesson drafts -------------------------------------------------- */

/* md with every "[pN]" (N an index from 1) turned into "[p<id>]"; the ids
 * cited are added to src. */
static char *
lesson_cites(struct arena *a, const char *md, const struct pset *s,
    json_t *src)
{
	struct buf b;
	const char *q;
	char *end, *out;
	unsigned long n;
	size_t i;
	int seen;

	buf_init(&b);
	for (q = md; *q; q++) {
		if (q[0] == '[' && q[1] == 'p' && q[2] >= '0' && q[2] <= '9') {
			n = strtoul(q + 2, &end, 10);
			if (*end == ']' && n >= 1 && n <= s->n &&
			    s->id[n - 1] != 0) {
				int64_t id = s->id[n - 1];

				buf_printf(&b, "[p%lld]", (long long)id);
				for (i = 0, seen = 0; i < json_array_size(src);
				    i++)
					seen |= json_integer_value(
					    json_array_get(src, i)) == id;
				if (!seen)
					json_array_append_new(src,
					    json_integer(id));
				q = end;
				continue;
			}
		}
		buf_putc(&b, *q);
	}
	out = arena_strdup(a, b.p != NULL ? b.p : "");
	buf_free(&b);
	return out;
}

/* The passages of s that md cites ("[p<id>]"), added to src (unique). */
static void
lesson_sources(const char *md, const struct pset *s, json_t *src)
{
	const char *q;
	char *end;
	size_t i;
	int seen;

	for (q = md; (q = strstr(q, "[p")) != NULL; q += 2) {
		long long id = strtoll(q + 2, &end, 10);

		if (end == q + 2 || *end != ']' || pset_index(s, id) < 0)
			continue;
		for (i = 0, seen = 0; i < json_array_size(src); i++)
			seen |= json_integer_value(json_array_get(src, i)) == id;
		if (!seen)
			json_array_append_new(src, json_integer(id));
	}
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The folded tokens of s[0..n), one per array entry (sorted when sort). */
static char **
tokens(struct arena *a, const char *s, size_t n, size_t *nt, int sort)
{
	char *norm = arena_alloc(a, 4 * n + 16), **v, *t;
	size_t len = learn_norm(s, n, norm, 4 * n + 16), k = 0, cap = 1;

	for (t = norm; *t; t++)
		cap += *t == ' ';
	v = arena_calloc(a, cap + 1, sizeof(*v));
	for (t = norm; len > 0 && t != NULL && *t; ) {
		v[k++] = t;
		if ((t = strchr(t, ' ')) != NULL)
			*t++ = '\0';
	}
	if (sort)
		qsort(v, k, sizeof(*v), cmp_str);
	*nt = k;
	return v;
}

char **
generate_vocab(struct arena *a, const char *s, size_t n, size_t *nv)
{
	return tokens(a, s, n, nv, 1);
}

const char *
generate_unknown_word(struct arena *a, const char *s, size_t n,
    char *const *vocab, size_t nvocab)
{
	char **tv;
	size_t nt, k;

	tv = tokens(a, s, n, &nt, 0);
	for (k = 0; k < nt; k++)
		if (bsearch(&tv[k], vocab, nvocab, sizeof(*vocab),
		    cmp_str) == NULL)
			return tv[k];
	return NULL;
}

/*
 * The checks on a lesson draft md (cites "[p<id>]" into s): grounded --
 * every paragraph and list item outside the objectives cites a passage,
 * and every word of a paragraph is in the passages it cites; duplicate
 * free -- no paragraph twice; readability of each paragraph for level;
 * safety of the whole text.
 */
static void
lesson_check(struct arena *a, const char *md, const struct pset *s,
    const struct learn_check_opt *co, struct learn_check_result *r)
{
	const char *ln = md, *e, *q, *w;
	char why[LEARN_CHECK_REASON], *end, **seen;
	size_t npara = 0, nseen = 0, cap = 64, i;
	int objectives = 0, c;

	memset(r, 0, sizeof(*r));
	for (c = 0; c < LEARN_CHECK__MAX; c++)
		r->ok[c] = 1;
	seen = arena_calloc(a, cap, sizeof(*seen));
	for (; *ln; ln = *e ? e + 1 : e) {
		size_t len, body, nu;
		char **uv, *u;
		int cited = 0, list;
		struct buf ub;

		if ((e = strchr(ln, '\n')) == NULL)
			e = ln + strlen(ln);
		len = e - ln;
		if (len == 0)
			continue;
		if (ln[0] == '#') {
			objectives = strncmp(ln, "## Objectives", 13) == 0;
			continue;
		}
		list = ln[0] == '-' || (ln[0] >= '0' && ln[0] <= '9');
		if (objectives && list)
			continue;
		npara++;
		/* the passages it cites */
		buf_init(&ub);
		for (q = ln; q < e; q++) {
			long p;

			if (q[0] != '[' || q[1] != 'p')
				continue;
			p = pset_index(s, strtoll(q + 2, &end, 10));
			if (end == q + 2 || *end != ']' || p < 0)
				continue;
			cited++;
			buf_put(&ub, s->ps[p].text, s->ps[p].len);
			buf_putc(&ub, '\n');
			if (s->ps[p].head_len)
				buf_put(&ub, s->ps[p].heading,
				    s->ps[p].head_len);
			buf_putc(&ub, '\n');
		}
		body = len;
		if ((q = memchr(ln, '[', len)) != NULL && q[1] == 'p')
			body = q - ln;
		if (cited == 0 && r->ok[LEARN_CHECK_GROUNDED]) {
			r->ok[LEARN_CHECK_GROUNDED] = 0;
			snprintf(r->reason[LEARN_CHECK_GROUNDED],
			    LEARN_CHECK_REASON, "paragraph %zu cites no passage "
			    "of the material", npara);
		} else if (!list && r->ok[LEARN_CHECK_GROUNDED]) {
			uv = generate_vocab(a, ub.p, ub.len, &nu);
			if ((w = generate_unknown_word(a, ln, body, uv,
			    nu)) != NULL) {
				r->ok[LEARN_CHECK_GROUNDED] = 0;
				snprintf(r->reason[LEARN_CHECK_GROUNDED],
				    LEARN_CHECK_REASON, "paragraph %zu: \"%s\" "
				    "is not in the passages it cites", npara, w);
			}
		}
		buf_free(&ub);
		if (list)
			continue;
		/* duplicates, readability */
		u = arena_alloc(a, 4 * body + 16);
		learn_norm(ln, body, u, 4 * body + 16);
		for (i = 0; i < nseen; i++)
			if (strcmp(seen[i], u) == 0 &&
			    r->ok[LEARN_CHECK_DUPLICATE]) {
				r->ok[LEARN_CHECK_DUPLICATE] = 0;
				snprintf(r->reason[LEARN_CHECK_DUPLICATE],
				    LEARN_CHECK_REASON, "paragraph %zu repeats "
				    "an earlier one", npara);
			}
		if (nseen < cap)
			seen[nseen++] = u;
		if (r->ok[LEARN_CHECK_READABILITY] &&
		    !learn_check_readable(ln, body, co->level, why,
		    sizeof(why))) {
			r->ok[LEARN_CHECK_READABILITY] = 0;
			snprintf(r->reason[LEARN_CHECK_READABILITY],
			    LEARN_CHECK_REASON, "paragraph %zu: %.*s", npara,
			    LEARN_CHECK_REASON - 40, why);
		}
	}
	if (learn_safety(md, strlen(md), co, why, sizeof(why))) {
		r->ok[LEARN_CHECK_SAFETY] = 0;
		snprintf(r->reason[LEARN_CHECK_SAFETY], LEARN_CHECK_REASON,
		    "%s", why);
	}
	r->pass = 1;
	for (c = 0; c < LEARN_CHECK__MAX; c++)
		r->pass &= r->ok[c];
}

/* ---- checks as stored ----------------------------------------------- */

static const char *
checks_text(struct arena *a, const struct learn_check_result *r)
{
	json_t *o = json_object();
	char *s;
	const char *out;
	int k;

	for (k = 0; k < LEARN_CHECK__MAX; k++)
		json_object_set_new(o, learn_check_name(k), json_string(
		    r->ok[k] ? "ok" : r->reason[k][0] ? r->reason[k] :
		    "failed"));
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	out = arena_strdup(a, s != NULL ? s : "{}");
	free(s);
	return out;
}

static const char *
dump(struct arena *a, json_t *o)
{
	char *s = json_dumps(o, JSON_COMPACT);
	const char *out = arena_strdup(a, s != NULL ? s : "null");

	free(s);
	return out;
}

/* A bigint[] literal of the JSON array of ids. */
static const char *
id_array(struct arena *a, json_t *ids)
{
	struct buf b;
	const char *out;
	json_t *v;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	json_array_foreach(ids, i, v)
		buf_printf(&b, "%s%lld", i ? "," : "",
		    (long long)json_integer_value(v));
	buf_putc(&b, '}');
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}

/* ---- the job -------------------------------------------------------- */

struct run {
	struct db		*db;
	struct arena		*a;
	int64_t			 project;
	struct pset		 s;
	struct learn_check_opt	 co;
	size_t			 stored;
	/* the generator: offline, or the language model (which falls back
	 * to offline by itself and says why in g.last) */
	const struct learn_gen_backend *be;
	struct llm_gen		*g;
	int			 used_llm;
	char			 fallback[512];
	/* Items kept until the writing transaction (see job_generate). */
	struct pending {
		const char	*p[6];
	}			*pend;
	size_t			 npend, cappend;
};

/* After a generator call: what ran, and why the model did not. */
static void
origin(struct run *u)
{
	if (u->g == NULL)
		return;
	if (!u->g->last.fallback)
		u->used_llm = 1;
	else if (u->fallback[0] == '\0')
		snprintf(u->fallback, sizeof(u->fallback), "%s",
		    u->g->last.reason);
}

/* Keeps one item for the writing transaction (store_flush). */
static int
store(struct run *u, const char *kind, json_t *content, json_t *src,
    const struct learn_check_result *r)
{
	const char *p[6];

	p[0] = db_i64s(u->a, u->project);
	p[1] = kind;
	p[2] = dump(u->a, content);
	p[3] = id_array(u->a, src);
	p[4] = checks_text(u->a, r);
	p[5] = r->pass ? "true" : "false";
	if (u->npend == u->cappend) {
		size_t cap = u->cappend ? 2 * u->cappend : 64;
		struct pending *v = arena_calloc(u->a, cap, sizeof(*v));

		if (u->npend > 0)
			memcpy(v, u->pend, u->npend * sizeof(*v));
		u->pend = v;
		u->cappend = cap;
	}
	memcpy(u->pend[u->npend++].p, p, sizeof(p));
	u->stored++;
	return 0;
}

/* Writes the kept items: 0 or a db_err. */
static int
store_flush(struct run *u)
{
	size_t i;
	int n;

	for (i = 0; i < u->npend; i++)
		if ((n = db_exec(u->db, STMT_GENPROJ_ITEM_INSERT, 6,
		    u->pend[i].p)) < 0)
			return n;
	return 0;
}

/* Checks and stores items[from..n).  0, -1 (memory) or a db_err. */
static int
store_items(struct run *u, const struct learn_items *it, size_t from)
{
	struct learn_check_result *res;
	size_t i, n = it->n - from;
	json_t *o, *src;
	int rc = 0;

	if (n == 0)
		return 0;
	if ((res = calloc(n, sizeof(*res))) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++)
		if (learn_check_item(&it->v[from + i], u->s.ps, u->s.n, &u->co,
		    &res[i]) == -1)
			rc = -1;
	if (rc == 0 && learn_check_dups(&it->v[from], n, res) == (size_t)-1)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		src = json_array();
		o = item_json(&it->v[from + i], &u->s, src);
		rc = store(u, kind_of(it->v[from + i].type), o, src, &res[i]);
		json_decref(o);
		json_decref(src);
	}
	free(res);
	return rc;
}

/* What the project asked for (its inputs JSON). */
struct inputs {
	int		 objectives, lesson;
	long		 items;
	const char	*level;		/* course level, or as asked */
	const char	*backend;	/* as asked: "offline" | "llm" */
};

static void
inputs_parse(struct arena *a, const char *text, const char *course_level,
    struct inputs *in)
{
	json_t *o = json_loads(text, 0, NULL), *v;
	const char *s;
	size_t i;

	memset(in, 0, sizeof(*in));
	in->level = course_level;
	in->backend = "offline";
	if (o == NULL)
		return;
	json_array_foreach(json_object_get(o, "kinds"), i, v) {
		s = json_string_value(v);
		if (s != NULL && strcmp(s, "objectives") == 0)
			in->objectives = 1;
		else if (s != NULL && strcmp(s, "lesson") == 0)
			in->lesson = 1;
	}
	v = json_object_get(o, "items");
	if (json_is_integer(v) && json_integer_value(v) > 0)
		in->items = json_integer_value(v) > 50 ? 50 :
		    (long)json_integer_value(v);
	if ((s = json_string_value(json_object_get(o, "level"))) != NULL &&
	    *s)
		in->level = arena_strdup(a, s);
	if ((s = json_string_value(json_object_get(o, "backend"))) != NULL &&
	    *s)
		in->backend = arena_strdup(a, s);
	json_decref(o);
}

/* Loads the passages for the project into u->s: the module's best
 * matches, or the whole course's.  Returns how many, or a db_err. */
static int
passages(struct run *u, int64_t course, int64_t module, const char *title)
{
	const char *p[3];
	int n, total;

	p[0] = db_i64s(u->a, course);
	if ((n = db_exec(u->db, STMT_GENPROJ_PASSAGE_COUNT, 1, p)) != 1)
		return n < 0 ? n : DB_HARD;
	total = (int)db_i64(u->db, 0, 0);
	if (module > 0 && total > MODULE_ALL) {
		p[1] = db_i64s(u->a, module);
		if ((n = db_exec(u->db, STMT_GENPROJ_MODULE_WORDS, 2,
		    (const char *[]){ p[1], p[0] })) < 0)
			return n;
		if (n == 1) {
			p[1] = arena_strdup(u->a, db_str(u->db, 0, 0));
			p[2] = db_i64s(u->a, MODULE_TOP);
			if ((n = db_exec(u->db, STMT_GENPROJ_PASSAGES_MATCH, 3,
			    p)) < 0)
				return n;
			if (n >= MODULE_MIN) {
				pset_load(u->db, u->a, n, title, &u->s);
				return n;
			}
		}
	}
	if ((n = db_exec(u->db, STMT_GENPROJ_PASSAGES_COURSE, 1, p)) < 0)
		return n;
	pset_load(u->db, u->a, n, title, &u->s);
	return n;
}

static int
finish(struct run *u, const char *status, const char *reason)
{
	const char *p[5];

	p[0] = db_i64s(u->a, u->project);
	p[1] = status;
	p[2] = reason;
	p[3] = u->used_llm ? "llm" : "offline";
	p[4] = u->fallback;
	return db_exec(u->db, STMT_GENPROJ_PROJECT_FINISH, 5, p);
}

/* The generators over u->s as in asks.  0, -1 with err, or a db_err. */
static int
generate(struct run *u, const struct inputs *in, const char *title,
    char *err, size_t errlen)
{
	const struct learn_gen_backend *be = u->be;
	void *ctx = u->g;
	struct learn_bm25 *idx = NULL;
	struct learn_material m;
	struct learn_items it = { 0 };
	struct learn_gen_req req = { -1, 0, 0 };
	struct learn_check_result r;
	json_t *o, *src;
	char *md = NULL;
	size_t from;
	int rc = -1;

	memset(&m, 0, sizeof(m));
	req.max_words = learn_level_max_words(u->co.level);
	if ((idx = learn_bm25_build(u->s.ps, u->s.n)) == NULL ||
	    learn_material_init(&m, u->s.ps, u->s.n, idx) == -1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (in->objectives) {
		req.n = OBJECTIVES;
		from = it.n;
		if (be->objectives(ctx, &m, &req, &it, err, errlen) == -1)
			goto out;
		origin(u);
		if ((rc = store_items(u, &it, from)) != 0)
			goto out;
		rc = -1;
	}
	if (in->lesson) {
		req.n = 0;
		if (be->lesson(ctx, &m, &req, &md, err, errlen) == -1)
			goto out;
		origin(u);
		src = json_array();
		o = json_object();
		json_object_set_new(o, "title", json_string(title));
		json_object_set_new(o, "markdown", json_string(lesson_cites(
		    u->a, md, &u->s, src)));
		lesson_check(u->a, json_string_value(json_object_get(o,
		    "markdown")), &u->s, &u->co, &r);
		rc = store(u, "lesson", o, src, &r);
		json_decref(o);
		json_decref(src);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	if (in->items > 0) {
		req.n = (size_t)in->items;
		from = it.n;
		if (be->quiz(ctx, &m, &req, &it, err, errlen) == -1)
			goto out;
		origin(u);
		if ((rc = store_items(u, &it, from)) != 0)
			goto out;
		if (it.n - from < (size_t)in->items)
			snprintf(err, errlen, "the material gave %zu of the %ld "
			    "quiz items asked for", it.n - from, in->items);
	}
	rc = 0;
out:
	free(md);
	learn_items_free(&it);
	learn_material_free(&m);
	learn_bm25_free(idx);
	return rc;
}

enum job_result
job_generate(struct job *j)
{
	struct run u;
	struct inputs in;
	struct llm_config lc;
	struct llm_breaker br;
	struct llm_gen g;
	enum job_result jr = JOB_RETRY;
	json_t *root;
	const char *p[2], *title;
	char err[256] = "";
	int64_t course, module;
	int n;

	memset(&u, 0, sizeof(u));
	u.db = j->db;
	u.a = j->a;
	if ((root = json_loads(j->payload, 0, NULL)) != NULL) {
		u.project = json_integer_value(json_object_get(root,
		    "project"));
		json_decref(root);
	}
	if (u.project <= 0) {
		snprintf(j->err, sizeof(j->err), "payload names no project");
		return JOB_FATAL;
	}
	u.be = &learn_gen_offline;
	llm_config_init(&lc);
	llm_breaker_init(&br);
	memset(&g, 0, sizeof(g));
	if (db_begin(u.db) != 0)
		goto retry;
	p[0] = db_i64s(u.a, u.project);
	if ((n = db_exec(u.db, STMT_GENPROJ_PROJECT_CLAIM, 1, p)) <= 0) {
		db_rollback(u.db);
		if (n < 0)
			goto retry;
		log_msg("worker: generate: project %lld is gone",
		    (long long)u.project);
		jr = JOB_DONE;
		goto out;
	}
	course = db_i64(u.db, 0, 0);
	module = db_i64(u.db, 0, 1);
	inputs_parse(u.a, db_str(u.db, 0, 2), arena_strdup(u.a,
	    db_str(u.db, 0, 3)), &in);
	u.co.level = generate_reading_level(in.level);
	if (strcmp(in.backend, "llm") == 0) {
		g.cfg = &lc;
		g.br = &br;
		g.co = u.co;
		u.be = &llm_gen_backend;
		u.g = &g;
	}
	p[0] = db_i64s(u.a, module > 0 ? module : course);
	title = NULL;
	if ((n = db_exec(u.db, module > 0 ? STMT_GENPROJ_MODULE_TITLE :
	    STMT_GENPROJ_COURSE_TITLE, 1, p)) < 0)
		goto fail;
	title = arena_strdup(u.a, n == 1 ? db_str(u.db, 0, 0) :
	    "Lesson draft");
	if ((n = passages(&u, course, module, title)) < 0)
		goto fail;
	if (n == 0) {
		p[0] = db_i64s(u.a, u.project);
		if ((n = db_exec(u.db, STMT_GENPROJ_ITEMS_DELETE, 1, p)) < 0)
			goto fail;
		if ((n = finish(&u, "failed", "no indexed material for this "
		    "course (upload material for it first)")) < 0 ||
		    db_commit(u.db) != 0)
			goto fail;
		log_msg("worker: generate: project %lld: no material",
		    (long long)u.project);
		jr = JOB_DONE;
		goto out;
	}
	/* The generators run with no transaction open: a language model
	 * may take its time-outs and retries without holding the project's
	 * row or the connection idle in a transaction.  The items are kept
	 * and written, with the old ones replaced, in a second short
	 * transaction under the same lock. */
	p[0] = db_i64s(u.a, u.project);
	if ((n = db_exec(u.db, STMT_GENPROJ_PROJECT_RUNNING, 1, p)) < 0 ||
	    db_commit(u.db) != 0)
		goto fail;
	if ((n = generate(&u, &in, title, err, sizeof(err))) != 0) {
		snprintf(j->err, sizeof(j->err), "%s", n == -1 ? err :
		    "generation failed");
		goto last;
	}
	if (db_begin(u.db) != 0)
		goto retry;
	p[0] = db_i64s(u.a, u.project);
	if ((n = db_exec(u.db, STMT_GENPROJ_PROJECT_CLAIM, 1, p)) <= 0) {
		db_rollback(u.db);
		if (n < 0)
			goto retry;
		jr = JOB_DONE;		/* deleted meanwhile */
		goto out;
	}
	if ((n = db_exec(u.db, STMT_GENPROJ_ITEMS_DELETE, 1, p)) < 0 ||
	    (n = store_flush(&u)) < 0)
		goto fail;
	if ((n = finish(&u, "done", err)) < 0 || db_commit(u.db) != 0)
		goto fail;
	log_msg("worker: generate: project %lld: %zu items from %zu passages "
	    "(%s)", (long long)u.project, u.stored, u.s.n - 1, u.used_llm ?
	    "llm" : "offline");
	jr = JOB_DONE;
	goto out;
fail:
	db_rollback(u.db);
retry:
	snprintf(j->err, sizeof(j->err), "database: %.200s", u.db->err);
last:
	/* the last attempt: the project says why it stopped */
	if (j->attempt >= job_kinds[JOB_GENERATE].max_attempts) {
		const char *q[5];

		q[0] = db_i64s(u.a, u.project);
		q[1] = "failed";
		q[2] = j->err;
		q[3] = u.used_llm ? "llm" : "offline";
		q[4] = u.fallback;
		(void)db_exec(u.db, STMT_GENPROJ_PROJECT_FINISH, 5, q);
	}
out:
	llm_breaker_destroy(&br);
	return jr;
}

/* ---- checks again after an edit ------------------------------------- */

int
generate_recheck(struct db *db, struct arena *a, int64_t project,
    int64_t item, const char *kind, const char *content,
    const char *course_level, const char **sources, const char **checks,
    int *passed)
{
	struct learn_check_result *res = NULL;
	struct learn_item *v = NULL;
	struct pset s;
	json_t **objs = NULL, *ids = json_array(), *src = json_array(), *x;
	const char *p[2], **kinds;
	size_t i, nsib, nv = 0;
	int n, rc = 0;

	/* every passage the project's items cite */
	p[0] = db_i64s(a, project);
	p[1] = db_i64s(a, item);
	if ((n = db_exec(db, STMT_GENPROJ_ITEM_SIBLINGS, 2, p)) < 0) {
		json_decref(ids);
		json_decref(src);
		return n;
	}
	nsib = (size_t)n;
	objs = calloc(nsib + 1, sizeof(*objs));
	kinds = arena_calloc(a, nsib + 1, sizeof(*kinds));
	if (objs == NULL) {
		rc = DB_HARD;
		goto out;
	}
	for (i = 0; i < nsib; i++) {
		kinds[i] = arena_strdup(a, db_str(db, i, 0));
		objs[i] = json_loads(db_str(db, i, 1), 0, NULL);
	}
	objs[nsib] = json_loads(content, 0, NULL);
	kinds[nsib] = kind;
	for (i = 0; i <= nsib; i++) {
		json_t *v2;
		size_t m;

		if (objs[i] == NULL)
			continue;
		json_array_append(ids, json_object_get(objs[i], "passage"));
		json_array_foreach(json_object_get(objs[i], "cites"), m, v2)
			json_array_append(ids, v2);
		if (strcmp(kinds[i], "lesson") == 0) {
			/* cites within the text */
			const char *q = json_string_value(json_object_get(
			    objs[i], "markdown"));
			char *end;

			for (; q != NULL && (q = strstr(q, "[p")) != NULL;
			    q += 2) {
				long long id = strtoll(q + 2, &end, 10);

				if (end > q + 2 && *end == ']')
					json_array_append_new(ids,
					    json_integer(id));
			}
		}
	}
	p[0] = id_array(a, ids);
	p[1] = db_i64s(a, project);
	if ((n = db_exec(db, STMT_GENPROJ_PASSAGES_BY_IDS, 2, p)) < 0) {
		rc = n;
		goto out;
	}
	pset_load(db, a, n, NULL, &s);
	{
		struct learn_check_opt co = { generate_reading_level(
		    course_level), NULL, 0 };
		struct learn_check_result one;

		if (objs[nsib] == NULL) {
			*checks = "{\"grounded\":\"the item is not valid "
			    "JSON\"}";
			*passed = 0;
			*sources = "{}";
			rc = 1;
			goto out;
		}
		if (strcmp(kind, "lesson") == 0) {
			const char *md = json_string_value(json_object_get(
			    objs[nsib], "markdown"));

			lesson_check(a, md != NULL ? md : "", &s, &co, &one);
			lesson_sources(md != NULL ? md : "", &s, src);
			*checks = checks_text(a, &one);
			*passed = one.pass;
			goto sources;
		}
		/* items of the same kind family, the edited one last */
		v = calloc(nsib + 1, sizeof(*v));
		res = calloc(nsib + 1, sizeof(*res));
		if (v == NULL || res == NULL) {
			rc = DB_HARD;
			goto out;
		}
		for (i = 0; i <= nsib; i++) {
			int quiz_i = strcmp(kinds[i], "objective") != 0 &&
			    strcmp(kinds[i], "lesson") != 0;
			int quiz_me = strcmp(kind, "objective") != 0;

			if (objs[i] == NULL || quiz_i != quiz_me ||
			    strcmp(kinds[i], "lesson") == 0)
				continue;
			if (item_from_json(objs[i], kinds[i], &s, &v[nv]) == 0)
				nv++;
			else if (i == nsib) {
				*checks = "{\"grounded\":\"the item is not an "
				    "item of its kind\"}";
				*passed = 0;
				*sources = "{}";
				rc = 1;
				goto out;
			}
		}
		if (nv == 0 || learn_check_item(&v[nv - 1], s.ps, s.n, &co,
		    &res[nv - 1]) == -1 ||
		    learn_check_dups(v, nv, res) == (size_t)-1) {
			rc = DB_HARD;
			goto out;
		}
		x = json_array();
		json_decref(item_json(&v[nv - 1], &s, x));
		json_decref(src);
		src = x;
		*checks = checks_text(a, &res[nv - 1]);
		*passed = res[nv - 1].pass;
	}
sources:
	*sources = id_array(a, src);
out:
	for (i = 0; objs != NULL && i <= nsib; i++)
		json_decref(objs[i]);
	free(objs);
	free(v);
	free(res);
	json_decref(ids);
	json_decref(src);
	return rc;
}
