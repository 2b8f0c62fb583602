/*
 * adept gen: the content generators on any material files, for operators
 * and for checking quality.
 *
 *   adept gen objectives [opts] FILE...        JSON Lines, per file (module)
 *   adept gen lesson [opts] FILE...            Markdown, per file
 *   adept gen quiz --items N [opts] FILE...    JSON Lines
 *   adept gen ask --question Q [opts] FILE...  one JSON line
 *   adept gen terms FILE...                    the key terms (JSON Lines)
 *
 * Options: --level primary|secondary|adult|professional (adult),
 * --blocked FILE (one blocked term a line), --backend offline|llm (the
 * name picks a row of the backend table below; llm when ADEPT_LLM_URL is
 * set, else offline).
 *
 * Through the language model (out/llm_gen.h), every JSON line says which
 * backend made it: "backend":"llm", or "backend":"offline" with a
 * "fallback_reason" when the model could not be used (off, time-out, HTTP
 * error, breaker open, invalid JSON, wrong shape, no item passing the
 * checks); the fall-back is also said on stderr, and is not an error (exit
 * status 0).  One file is one module: objectives and lessons call the
 * model once per file, so the breaker can open part-way through.
 *
 * Every item goes through the quality checks (learn/gencheck.h) and is
 * printed with them: a failing item is shown, with its reasons, not
 * hidden.  Files that cannot be read (empty, not UTF-8, a damaged or
 * protected PDF, too big) are reported on stderr and skipped; the exit
 * status is then 1.  Bad usage exits 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "learn/bm25.h"
#include "learn/gen.h"
#include "learn/gencheck.h"
#include "learn/passage.h"
#include "learn/tutor.h"
#include "out/extract.h"
#include "out/llm.h"
#include "out/llm_gen.h"

static const char *const tool = "gen";

/* The generator backends by name. */
static const struct {
	const char			*name;
	const struct learn_gen_backend	*be;
} backends[] = {
	{ "offline", &learn_gen_offline },
	{ "llm", &llm_gen_backend },
};

/* Which backend made the output, and why the offline one stood in. */
struct origin {
	const char	*backend;
	const char	*fallback;	/* NULL: no fall-back */
};

/* The origin of the last call of backend be (ctx g), said on stderr
 * when the model was not used or items were dropped. */
static struct origin
origin_of(const struct learn_gen_backend *be, const struct llm_gen *g,
    const char *what)
{
	struct origin o = { "offline", NULL };

	if (be != &llm_gen_backend)
		return o;
	if (g->last.fallback) {
		o.fallback = g->last.reason;
		fprintf(stderr, "adept: %s: %s: the language model was not "
		    "used (%s); the offline generator answered\n", tool, what,
		    g->last.reason);
	} else {
		o.backend = "llm";
		if (g->last.dropped)
			fprintf(stderr, "adept: %s: %s: %s\n", tool, what,
			    g->last.reason);
	}
	return o;
}

static void
put_origin(json_t *o, const struct origin *or)
{
	json_object_set_new(o, "backend", json_string(or->backend));
	if (or->fallback != NULL)
		json_object_set_new(o, "fallback_reason",
		    json_string(or->fallback));
}

struct course {
	char			**files;
	struct extract_doc	*docs;
	size_t			 ndocs;
	struct learn_passage	*ps;
	size_t			 np, pcap;
	struct learn_bm25	*idx;
	struct learn_material	 m;
	int			 bad;	/* a file was refused */
};

static void
course_free(struct course *c)
{
	size_t i;

	learn_material_free(&c->m);
	learn_bm25_free(c->idx);
	free(c->ps);
	for (i = 0; i < c->ndocs; i++)
		extract_free(&c->docs[i]);
	free(c->docs);
}

/* Reads, splits and indexes the files.  0, or -1 when no file could be
 * used or memory ran out. */
static int
course_load(struct course *c, char **files, size_t n, int needterms)
{
	size_t i;
	enum extract_status s;

	memset(c, 0, sizeof(*c));
	c->files = files;
	if ((c->docs = calloc(n, sizeof(*c->docs))) == NULL)
		return -1;
	c->ndocs = n;
	for (i = 0; i < n; i++) {
		s = extract_file(files[i], &c->docs[i]);
		if (s != EXTRACT_OK) {
			fprintf(stderr, "adept: %s: %s: %s: %s\n", tool, files[i],
			    extract_status_name(s), c->docs[i].err);
			c->bad = 1;
			continue;
		}
		if (learn_chunk(c->docs[i].text, c->docs[i].len, i, NULL, &c->ps,
		    &c->np, &c->pcap) == -1) {
			fprintf(stderr, "adept: %s: out of memory\n", tool);
			return -1;
		}
	}
	if (c->np == 0) {
		fprintf(stderr, "adept: %s: no usable material in the files "
		    "given\n", tool);
		return -1;
	}
	if ((c->idx = learn_bm25_build(c->ps, c->np)) == NULL ||
	    (needterms && learn_material_init(&c->m, c->ps, c->np,
	    c->idx) == -1)) {
		fprintf(stderr, "adept: %s: out of memory\n", tool);
		return -1;
	}
	return 0;
}

static void
put_str(json_t *o, const char *k, const char *v)
{
	if (v != NULL)
		json_object_set_new(o, k, json_string(v));
}

static void
put_strn(json_t *o, const char *k, const char *v, size_t n)
{
	if (v != NULL)
		json_object_set_new(o, k, json_stringn(v, n));
}

static void
put_source(json_t *o, const struct course *c, size_t p)
{
	const struct learn_passage *ps = &c->ps[p];
	char id[32];

	snprintf(id, sizeof(id), "p%zu", p + 1);
	put_strn(o, "source", ps->text, ps->len);
	put_str(o, "source_id", id);
	put_str(o, "file", c->files[ps->doc]);
	if (ps->head_len)
		put_strn(o, "heading", ps->heading, ps->head_len);
}

static json_t *
checks_json(const struct learn_check_result *r)
{
	json_t *o = json_object();
	int k;

	for (k = 0; k < LEARN_CHECK__MAX; k++)
		put_str(o, learn_check_name(k), r->ok[k] ? "ok" : r->reason[k]);
	return o;
}

static int
emit(json_t *o)
{
	int rc = json_dumpf(o, stdout, JSON_COMPACT);

	json_decref(o);
	fputc('\n', stdout);
	return rc;
}

/* Checks items[0..n) and prints them; counts what passed into *npass. */
static int
print_items(const struct course *c, const struct learn_items *it,
    size_t from, const struct learn_check_opt *co, const struct origin *or,
    size_t *npass, size_t failed[LEARN_CHECK__MAX])
{
	struct learn_check_result *res;
	size_t i, k, n = it->n - from;
	json_t *o, *a;
	char id[32];
	int ch;

	if ((res = calloc(n + 1, sizeof(*res))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (learn_check_item(&it->v[from + i], c->ps, c->np, co,
		    &res[i]) == -1) {
			free(res);
			return -1;
		}
	if (learn_check_dups(&it->v[from], n, res) == (size_t)-1) {
		free(res);
		return -1;
	}
	for (i = 0; i < n; i++) {
		const struct learn_item *x = &it->v[from + i];

		o = json_object();
		if (x->type == LEARN_ITEM_OBJECTIVE) {
			put_str(o, "objective", x->question);
			put_str(o, "bloom_level", learn_bloom_name(x->bloom));
			put_source(o, c, x->passage);
			a = json_array();
			for (k = 0; k < x->ncites; k++) {
				snprintf(id, sizeof(id), "p%zu", x->cites[k] + 1);
				json_array_append_new(a, json_string(id));
			}
			json_object_set_new(o, "passages", a);
			a = json_array();
			for (k = 0; k < x->noptions; k++)
				json_array_append_new(a,
				    json_string(x->options[k]));
			json_object_set_new(o, "terms", a);
		} else {
			put_str(o, "type", learn_item_type_name(x->type));
			put_str(o, "question", x->question);
			a = json_array();
			for (k = 0; k < x->noptions; k++)
				json_array_append_new(a,
				    json_string(x->options[k]));
			json_object_set_new(o, "options", a);
			put_str(o, "answer", x->answer);
			put_str(o, "explanation", x->explanation);
			put_source(o, c, x->passage);
			put_str(o, "answer_type",
			    learn_term_type_name(x->answer_type));
		}
		put_origin(o, or);
		json_object_set_new(o, "checks", checks_json(&res[i]));
		json_object_set_new(o, "ok", json_boolean(res[i].pass));
		*npass += res[i].pass;
		for (ch = 0; ch < LEARN_CHECK__MAX; ch++)
			failed[ch] += !res[i].ok[ch];
		emit(o);
	}
	free(res);
	return 0;
}

static void
summary(const char *what, size_t n, size_t npass,
    const size_t failed[LEARN_CHECK__MAX])
{
	int k;

	fprintf(stderr, "adept: %s: %s: %zu generated, %zu pass every check",
	    tool, what, n, npass);
	for (k = 0; k < LEARN_CHECK__MAX; k++)
		if (failed[k])
			fprintf(stderr, "; %zu fail %s", failed[k],
			    learn_check_name(k));
	fputc('\n', stderr);
}

/* One blocked term a line ('#' comments, blank lines skipped). */
static int
load_blocked(const char *path, char ***terms, size_t *n)
{
	FILE *fp = fopen(path, "r");
	char line[256], **v;
	size_t l;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		l = strcspn(line, "\r\n");
		line[l] = '\0';
		if (l == 0 || line[0] == '#')
			continue;
		if ((v = realloc(*terms, (*n + 1) * sizeof(*v))) == NULL)
			break;
		*terms = v;
		if ((v[*n] = strdup(line)) != NULL)
			(*n)++;
	}
	fclose(fp);
	return 0;
}

static int
usage(void)
{
	return cli_usage(tool, "usage: adept gen objectives|lesson FILE...\n"
	    "       adept gen quiz --items N FILE...\n"
	    "       adept gen ask --question TEXT FILE...\n"
	    "       adept gen terms FILE...\n"
	    "options: --level primary|secondary|adult|professional, "
	    "--blocked FILE, --backend offline|llm");
}

static json_t *
citation(const struct course *c, size_t passage)
{
	const struct learn_passage *p = &c->ps[passage];
	json_t *x = json_object();
	char id[32];

	snprintf(id, sizeof(id), "p%zu", passage + 1);
	put_str(x, "source_id", id);
	put_str(x, "file", c->files[p->doc]);
	if (p->head_len)
		put_strn(x, "heading", p->heading, p->head_len);
	return x;
}

/* The tutor: refusal by coverage first (learn/tutor.h); an answer through
 * the model (g not NULL) from the passages the tutor picked, else the
 * tutor's own quotes. */
static int
ask(const struct course *c, const char *q, struct llm_gen *g)
{
	struct learn_tutor_answer a;
	struct llm_gen_answer la;
	struct origin or = { "offline", NULL };
	json_t *o, *cs, *x;
	char id[32];
	size_t i, ids[LEARN_TUTOR_MAX];
	struct buf_s { char *p; size_t n; } ans = { NULL, 0 };
	FILE *mf;
	int r;

	if (learn_tutor(c->idx, c->ps, c->np, q, strlen(q), NULL, &a) == -1)
		return -1;
	o = json_object();
	put_str(o, "question", q);
	json_object_set_new(o, "refused", json_boolean(a.refused));
	json_object_set_new(o, "coverage", json_real(a.coverage));
	if (!a.refused && g != NULL) {
		for (i = 0; i < a.nquotes; i++)
			ids[i] = a.q[i].passage;
		if ((r = llm_gen_ask(g, c->ps, c->np, ids, a.nquotes, q,
		    &la)) == -1) {
			json_decref(o);
			return -1;
		}
		if (r == 0) {
			or.backend = "llm";
			put_str(o, "answer", la.text);
			cs = json_array();
			for (i = 0; i < la.ncites; i++) {
				const struct learn_passage *p =
				    &c->ps[la.cites[i]];

				x = citation(c, la.cites[i]);
				put_strn(x, "source", p->text, p->len);
				json_array_append_new(cs, x);
			}
			json_object_set_new(o, "citations", cs);
			llm_gen_answer_free(&la);
			put_origin(o, &or);
			emit(o);
			return 0;
		}
		or.fallback = g->last.reason;
		fprintf(stderr, "adept: %s: ask: the language model was not "
		    "used (%s); the offline tutor answered\n", tool,
		    g->last.reason);
	}
	if (a.refused) {
		put_str(o, "reason", a.reason);
		put_str(o, "answer", "The course material does not cover this "
		    "question.");
	} else {
		if ((mf = open_memstream(&ans.p, &ans.n)) == NULL) {
			json_decref(o);
			return -1;
		}
		cs = json_array();
		for (i = 0; i < a.nquotes; i++) {
			const struct learn_passage *p = &c->ps[a.q[i].passage];

			snprintf(id, sizeof(id), "p%zu", a.q[i].passage + 1);
			fprintf(mf, "%s\"%.*s\" [%s]", i ? " " : "",
			    (int)a.q[i].len, a.q[i].text, id);
			x = citation(c, a.q[i].passage);
			json_object_set_new(x, "score", json_real(a.q[i].score));
			put_strn(x, "quote", a.q[i].text, a.q[i].len);
			put_strn(x, "source", p->text, p->len);
			json_array_append_new(cs, x);
		}
		fclose(mf);
		put_str(o, "answer", ans.p);
		free(ans.p);
		json_object_set_new(o, "citations", cs);
	}
	put_origin(o, &or);
	emit(o);
	return 0;
}

int
cmd_gen(int argc, char **argv)
{
	const struct learn_gen_backend *be = &learn_gen_offline;
	struct learn_check_opt co = { LEARN_LEVEL_ADULT, NULL, 0 };
	struct llm_config lc;
	struct llm_breaker br;
	struct llm_gen g;
	struct origin or = { "offline", NULL };
	void *ctx = NULL;
	const char *url = getenv("ADEPT_LLM_URL");
	struct learn_gen_req req = { -1, 0, 0 };
	struct learn_items it = { 0 };
	struct course c;
	char **blocked = NULL, *end, err[256], *md;
	const char *mode, *question = NULL;
	size_t nblocked = 0, i, nitems = 0, npass = 0, nfiles;
	size_t failed[LEARN_CHECK__MAX] = { 0 };
	long v;
	int a, rc = 1, found;

	if (argc < 2)
		return usage();
	mode = argv[1];
	if (strcmp(mode, "objectives") != 0 && strcmp(mode, "lesson") != 0 &&
	    strcmp(mode, "quiz") != 0 && strcmp(mode, "ask") != 0 &&
	    strcmp(mode, "terms") != 0)
		return usage();
	if (url != NULL && *url != '\0')
		be = &llm_gen_backend;	/* the configured model, by default */
	for (a = 2; a < argc && strncmp(argv[a], "--", 2) == 0; a++) {
		const char *opt = argv[a], *val = NULL;

		if (strcmp(opt, "--") == 0) {
			a++;
			break;
		}
		if ((end = strchr(opt, '=')) != NULL)
			val = end + 1;
		else if (a + 1 < argc)
			val = argv[++a];
		if (val == NULL)
			return cli_usage(tool, "%s needs a value", opt);
#define IS(o) (strncmp(opt, o, strlen(o)) == 0 && \
	    (opt[strlen(o)] == '\0' || opt[strlen(o)] == '='))
		if (IS("--items")) {
			errno = 0;
			v = strtol(val, &end, 10);
			if (errno || *end || v < 1 || v > 1000)
				return cli_usage(tool, "--items: a number from 1 "
				    "to 1000, not \"%s\"", val);
			nitems = v;
		} else if (IS("--question")) {
			question = val;
		} else if (IS("--level")) {
			if ((co.level = learn_level_parse(val)) ==
			    LEARN_LEVEL__MAX)
				return cli_usage(tool, "--level: primary, "
				    "secondary, adult or professional, not "
				    "\"%s\"", val);
		} else if (IS("--blocked")) {
			if (load_blocked(val, &blocked, &nblocked) == -1)
				return cli_usage(tool, "--blocked: %s: %s", val,
				    strerror(errno));
		} else if (IS("--backend")) {
			for (i = 0, found = 0; i < sizeof(backends) /
			    sizeof(backends[0]); i++)
				if (strcmp(val, backends[i].name) == 0) {
					be = backends[i].be;
					found = 1;
				}
			if (!found)
				return cli_usage(tool, "--backend: offline or "
				    "llm, not \"%s\"", val);
		} else
			return cli_usage(tool, "unknown option %s", opt);
#undef IS
	}
	co.blocked = (const char *const *)blocked;
	co.nblocked = nblocked;
	llm_config_init(&lc);
	llm_breaker_init(&br);
	memset(&g, 0, sizeof(g));
	g.cfg = &lc;
	g.br = &br;
	g.co = co;
	if (be == &llm_gen_backend)
		ctx = &g;
	if (strcmp(mode, "quiz") == 0 && nitems == 0)
		return cli_usage(tool, "quiz needs --items N");
	if (strcmp(mode, "ask") == 0 && (question == NULL || !*question))
		return cli_usage(tool, "ask needs --question TEXT");
	if (a >= argc)
		return cli_usage(tool, "no material files given");
	nfiles = argc - a;
	if (course_load(&c, argv + a, nfiles, strcmp(mode, "ask") != 0) == -1) {
		course_free(&c);
		goto out;
	}
	req.max_words = learn_level_max_words(co.level);
	if (strcmp(mode, "ask") == 0) {
		if (ask(&c, question, ctx) == -1)
			goto fail;
	} else if (strcmp(mode, "terms") == 0) {
		for (i = 0; i < c.m.nterms; i++) {
			const struct learn_term *t = &c.m.terms[i];
			json_t *o = json_object();

			put_str(o, "term", t->text);
			put_str(o, "type", learn_term_type_name(t->type));
			json_object_set_new(o, "score", json_real(t->score));
			json_object_set_new(o, "count", json_integer(t->count));
			json_object_set_new(o, "defined", json_boolean(t->def >=
			    0));
			emit(o);
		}
	} else if (strcmp(mode, "quiz") == 0) {
		req.n = nitems;
		if (be->quiz(ctx, &c.m, &req, &it, err, sizeof(err)) == -1)
			goto fail;
		or = origin_of(be, &g, "quiz");
		if (it.n < nitems)
			fprintf(stderr, "adept: %s: quiz: the material gave %zu "
			    "of the %zu items asked for\n", tool, it.n, nitems);
		if (print_items(&c, &it, 0, &co, &or, &npass, failed) == -1)
			goto fail;
		summary("quiz", it.n, npass, failed);
	} else if (strcmp(mode, "objectives") == 0) {
		/* per module: one file is one module */
		for (i = 0; i < nfiles; i++) {
			size_t from = it.n;

			if (c.docs[i].text == NULL)
				continue;
			req.doc = i;
			req.n = 8;
			if (be->objectives(ctx, &c.m, &req, &it, err,
			    sizeof(err)) == -1)
				goto fail;
			or = origin_of(be, &g, c.files[i]);
			if (print_items(&c, &it, from, &co, &or, &npass,
			    failed) == -1)
				goto fail;
		}
		summary("objectives", it.n, npass, failed);
	} else {
		for (i = 0; i < nfiles; i++) {
			if (c.docs[i].text == NULL)
				continue;
			req.doc = i;
			if (be->lesson(ctx, &c.m, &req, &md, err,
			    sizeof(err)) == -1)
				goto fail;
			origin_of(be, &g, c.files[i]);
			printf("%s%s", i ? "\n---\n\n" : "", md);
			free(md);
		}
	}
	rc = c.bad ? 1 : 0;
	if (cli_flush(tool) != 0)
		rc = 1;
	goto done;
fail:
	fprintf(stderr, "adept: %s: %s\n", tool, err[0] ? err :
	    "out of memory");
	rc = 1;
done:
	learn_items_free(&it);
	course_free(&c);
out:
	llm_breaker_destroy(&br);
	for (i = 0; i < nblocked; i++)
		free(blocked[i]);
	free(blocked);
	return rc;
}
