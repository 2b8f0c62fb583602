/*
 * tutor: a course's tutor (issue 8) -- /courses/{id}/tutor and its JSON
 * twin: a learner asks about the course in a plain form and gets an
 * answer built from that course's ready material only, kept with the
 * conversation (per learner and course, newest last).
 *
 * Design decision: retrieval is two-stage.  PostgreSQL's full-text index
 * finds up to CANDIDATES passages of this course that share a word with
 * the question (the statement is keyed by the course, so another course's
 * material can never be cited); liblearn then indexes just those with
 * BM25 and answers (learn/tutor.h): the best sentences quoted and cited,
 * or a refusal when the material does not cover the question.  The
 * answer comes from a backend in a table: offline now; a language-model
 * backend joins as a row taking the same candidates and citing them by
 * number, and its name is stored with each message (tutor_messages.
 * backend).
 */
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/tmpl.h"
#include "http/view.h"
#include "learn/bm25.h"
#include "learn/passage.h"
#include "learn/tutor.h"
#include "out/llm.h"
#include "out/llm_gen.h"
#include "pages/pages.h"

#define CANDIDATES	50
#define HISTORY		50

const struct http_field page_tutor_fields[F_TUTOR__MAX] = {
	[F_TUTOR_QUESTION] = { "question", HTTP_FT_TEXT, 1, 2000, 0, 0, NULL,
	    1, "Question" },
};

/* A retrieved passage, copied out of the result into the arena. */
struct cand {
	int64_t		 id;
	const char	*heading, *body, *material;
};

struct cite {
	size_t		 cand;		/* index into the candidates */
	const char	*quote;		/* "" when the backend quotes none */
	double		 score;
};

struct reply {
	const char	*backend;	/* what answered (NULL: the one asked) */
	int		 refused;
	const char	*answer;	/* as stored and shown */
	const char	*reason;	/* why refused */
	double		 coverage;
	size_t		 ncites;
	struct cite	 c[LEARN_TUTOR_MAX];
};

/*
 * An answer backend: from question q and candidates c[0..n) (best first
 * by full-text rank), an answer citing candidates by number ([1] is the
 * reply's first citation) or a refusal.  0, or -1 on failure.
 */
struct tutor_backend {
	const char	*name;
	int		(*answer)(struct arena *, const char *q,
			    const struct cand *c, size_t n, struct reply *);
};

static int	offline_answer(struct arena *, const char *,
		    const struct cand *, size_t, struct reply *);
static int	llm_answer(struct arena *, const char *,
		    const struct cand *, size_t, struct reply *);

/* The first is the fallback; the language model is used when
 * ADEPT_LLM_URL is set (out/llm.h). */
static const struct tutor_backend backends[] = {
	{ "offline", offline_answer },
	{ "llm", llm_answer },
};

/* The model's settings and circuit breaker, one per process (the breaker
 * is shared by the worker's threads; it has its own lock). */
static struct llm_config llm_cfg;
static struct llm_breaker llm_br;
static pthread_once_t llm_once = PTHREAD_ONCE_INIT;

static void
llm_setup(void)
{
	llm_config_init(&llm_cfg);
	/* A learner is waiting: one try, at most 8 s (the worker thread is
	 * busy meanwhile); the breaker then spares the others. */
	llm_cfg.retries = 0;
	if (llm_cfg.timeout_ms > 8000)
		llm_cfg.timeout_ms = 8000;
	llm_breaker_init(&llm_br);
}

/* What a failed answer says: a 503 is the database's (http_error words
 * it), anything else the tutor's own failure. */
#define TUTOR_FAILED(st) ((st) == 503 ? "Try again shortly." :		\
	"The tutor could not answer; try again shortly.")

static const char *
role_arg(const struct req *r)
{
	return r->user.role_name != NULL ? r->user.role_name : "";
}

/* s[0..n) with every run of white space made one space. */
static const char *
one_line(struct arena *a, const char *s, size_t n)
{
	char *o = arena_alloc(a, n + 1);
	size_t i, k = 0;
	int sp = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' ||
		    s[i] == '\r') {
			sp = k > 0;
			continue;
		}
		if (sp)
			o[k++] = ' ';
		sp = 0;
		o[k++] = s[i];
	}
	o[k] = '\0';
	return o;
}

static int
offline_answer(struct arena *a, const char *q, const struct cand *c,
    size_t n, struct reply *out)
{
	struct learn_tutor_answer ta;
	struct learn_passage *ps;
	struct learn_bm25 *idx;
	struct buf b;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (n == 0) {
		out->refused = 1;
		out->reason = "the material does not mention the question's "
		    "words";
		return 0;
	}
	ps = arena_calloc(a, n, sizeof(*ps));
	for (i = 0; i < n; i++) {
		ps[i].doc = (unsigned)i;
		ps[i].text = c[i].body;
		ps[i].len = strlen(c[i].body);
		ps[i].head_len = strlen(c[i].heading);
		ps[i].heading = ps[i].head_len ? c[i].heading : NULL;
	}
	if ((idx = learn_bm25_build(ps, n)) == NULL)
		return -1;
	if (learn_tutor(idx, ps, n, q, strlen(q), NULL, &ta) == -1) {
		learn_bm25_free(idx);
		return -1;
	}
	out->refused = ta.refused;
	out->reason = ta.reason;
	out->coverage = ta.coverage;
	if (!ta.refused) {
		buf_init(&b);
		for (i = 0; i < ta.nquotes; i++) {
			out->c[i].cand = ta.q[i].passage;
			out->c[i].score = ta.q[i].score;
			out->c[i].quote = one_line(a, ta.q[i].text,
			    ta.q[i].len);
			buf_printf(&b, "%s\u201c%s\u201d [%zu]", i ? "\n" : "",
			    out->c[i].quote, i + 1);
		}
		out->ncites = ta.nquotes;
		out->answer = arena_strdup(a, b.p != NULL ? b.p : "");
		buf_free(&b);
	}
	learn_bm25_free(idx);
	return 0;
}

/*
 * The language model writes a short answer citing the passages the
 * offline tutor picked (the refusal stays the offline tutor's: nothing is
 * sent for a question the material does not cover).  When the model cannot
 * answer, the offline answer stands and says so.
 */
static int
llm_answer(struct arena *a, const char *q, const struct cand *c, size_t n,
    struct reply *out)
{
	struct llm_gen g;
	struct llm_gen_answer ans;
	struct learn_passage *ps;
	size_t ids[LEARN_TUTOR_MAX], i;
	int rc;

	if (offline_answer(a, q, c, n, out) == -1)
		return -1;
	out->backend = "offline";
	if (out->refused)
		return 0;
	ps = arena_calloc(a, n, sizeof(*ps));
	for (i = 0; i < n; i++) {
		ps[i].doc = (unsigned)i;
		ps[i].text = c[i].body;
		ps[i].len = strlen(c[i].body);
		ps[i].head_len = strlen(c[i].heading);
		ps[i].heading = ps[i].head_len ? c[i].heading : NULL;
	}
	for (i = 0; i < out->ncites; i++)
		ids[i] = out->c[i].cand;
	memset(&g, 0, sizeof(g));
	g.cfg = &llm_cfg;
	g.br = &llm_br;
	memset(&ans, 0, sizeof(ans));
	rc = llm_gen_ask(&g, ps, n, ids, out->ncites, q, &ans);
	if (rc == -1)
		return -1;
	if (rc == 1) {
		/* The detail (endpoint errors) goes to the log, never to
		 * the learner or the stored answer. */
		log_msg("tutor: language model not used (%s): %s",
		    llm_status_name(g.last.st), g.last.reason);
		out->answer = arena_printf(a, "(The language model could not "
		    "answer just now. Here are the best passages of the "
		    "course material instead.)\n%s", out->answer);
		return 0;
	}
	out->backend = "llm";
	out->answer = arena_strdup(a, ans.text);
	out->ncites = 0;
	for (i = 0; i < ans.ncites && i < LEARN_TUTOR_MAX; i++) {
		out->c[i].cand = ans.cites[i];
		out->c[i].quote = "";
		out->c[i].score = 0;
		out->ncites++;
	}
	llm_gen_answer_free(&ans);
	return 0;
}

/*
 * Whether the user may use the tutor of course r->pathid[0]: 0 with its
 * title and number of ready materials, 404 (no such course, or one not
 * published that is not theirs), 403 (published, not enrolled) or a db
 * status.
 */
static int
may_use(struct req *r, const char **title, long *ready)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = role_arg(r);
	if ((n = db_exec(r->db, STMT_TUTOR_COURSE, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	if (!db_bool(r->db, 0, 1))
		return db_bool(r->db, 0, 2) ? 403 : 404;
	*title = arena_strdup(r->a, db_str(r->db, 0, 0));
	*ready = (long)db_i64(r->db, 0, 3);
	return 0;
}

static int
access_error(struct req *r, int st)
{
	return http_error(r, st, st == 404 ? "There is no such course." :
	    st == 403 ? "Enrol in this course to ask its tutor." :
	    "Try again shortly.");
}

/* A stored message, with its citations. */
struct msg {
	int64_t		 id;
	const char	*question, *answer, *backend, *created;
	int		 refused;
	json_t		*cites;		/* [{n, passage_id, material,
					 * heading, quote?}] */
};

/*
 * Answers question q for the user in course r->pathid[0] and stores it.
 * 0 with *m set (m->cites to be json_decref'd) and *ms the answering
 * time, or a status with *why.
 */
static int
ask(struct req *r, const char *q, struct msg *m, double *ms)
{
	const struct tutor_backend *be;
	struct timespec t0, t1;
	struct cand *c;
	struct reply rep;
	struct buf ids;
	const char *p[7];
	json_t *o;
	size_t i, nc;
	int n;

	pthread_once(&llm_once, llm_setup);
	be = &backends[llm_enabled(&llm_cfg) ? 1 : 0];
	clock_gettime(CLOCK_MONOTONIC, &t0);
	p[0] = db_i64s(r->a, r->pathid[0]);
	p[1] = q;
	p[2] = db_i64s(r->a, CANDIDATES);
	if ((n = db_exec(r->db, STMT_TUTOR_CANDIDATES, 3, p)) < 0)
		return page_db_status(n);
	nc = (size_t)n;
	c = arena_calloc(r->a, nc + 1, sizeof(*c));
	for (i = 0; i < nc; i++) {
		c[i].id = db_i64(r->db, i, 0);
		c[i].heading = arena_strdup(r->a, db_str(r->db, i, 1));
		c[i].body = arena_strdup(r->a, db_str(r->db, i, 2));
		c[i].material = arena_strdup(r->a, db_str(r->db, i, 3));
	}
	if (be->answer(r->a, q, c, nc, &rep) == -1) {
		log_msg("%s: tutor: the %s backend failed", r->id, be->name);
		return 500;
	}
	if (rep.refused)
		rep.answer = arena_printf(r->a, "I cannot answer this from the "
		    "course material: %s. Ask about a topic the course "
		    "covers, or ask your instructor.", rep.reason != NULL ?
		    rep.reason : "it does not cover the question");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	*ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	buf_init(&ids);
	buf_putc(&ids, '{');
	m->cites = json_array();
	for (i = 0; i < rep.ncites; i++) {
		const struct cand *x = &c[rep.c[i].cand];

		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)x->id);
		o = json_object();
		json_object_set_new(o, "n", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "passage_id", json_integer(x->id));
		json_object_set_new(o, "material", json_string(x->material));
		json_object_set_new(o, "heading", json_string(x->heading));
		json_object_set_new(o, "quote", json_string(rep.c[i].quote));
		json_object_set_new(o, "score", json_real(rep.c[i].score));
		json_array_append_new(m->cites, o);
	}
	buf_putc(&ids, '}');
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, r->pathid[0]);
	p[2] = q;
	p[3] = rep.answer;
	p[4] = rep.refused ? "true" : "false";
	p[5] = arena_strdup(r->a, ids.p);
	p[6] = rep.backend != NULL ? rep.backend : be->name;
	buf_free(&ids);
	if ((n = db_exec(r->db, STMT_TUTOR_INSERT, 7, p)) != 1) {
		json_decref(m->cites);
		m->cites = NULL;
		return page_db_status(n < 0 ? n : DB_HARD);
	}
	m->id = db_i64(r->db, 0, 0);
	m->created = arena_strdup(r->a, db_str(r->db, 0, 1));
	m->question = q;
	m->answer = rep.answer;
	m->refused = rep.refused;
	m->backend = p[6];
	return 0;
}

/* The user's last HISTORY messages in the course, oldest first, into
 * *out (cites to be json_decref'd).  The count, or a db_err. */
static int
history(struct req *r, struct msg **out)
{
	const char *p[3];
	struct msg *m;
	int n, i;

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, r->pathid[0]);
	p[2] = db_i64s(r->a, HISTORY);
	if ((n = db_exec(r->db, STMT_TUTOR_HISTORY, 3, p)) < 0)
		return n;
	m = arena_calloc(r->a, (size_t)n + 1, sizeof(*m));
	for (i = 0; i < n; i++) {
		struct msg *x = &m[n - 1 - i];

		x->id = db_i64(r->db, i, 0);
		x->question = arena_strdup(r->a, db_str(r->db, i, 1));
		x->answer = arena_strdup(r->a, db_str(r->db, i, 2));
		x->refused = db_bool(r->db, i, 3);
		x->backend = arena_strdup(r->a, db_str(r->db, i, 4));
		x->created = arena_strdup(r->a, db_str(r->db, i, 5));
		if ((x->cites = json_loads(db_str(r->db, i, 6), 0, NULL)) ==
		    NULL || !json_is_array(x->cites)) {
			json_decref(x->cites);
			x->cites = json_array();
		}
	}
	*out = m;
	return n;
}

static void
free_msgs(struct msg *m, int n)
{
	int i;

	for (i = 0; i < n; i++)
		json_decref(m[i].cites);
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static void
html(struct buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

/* One message as a row of the conversation. */
static int
msg_row(struct req *r, const struct msg *m, struct buf *out)
{
	struct view *row = view_new(r->a);
	struct buf a, s;
	const char *line, *nl;
	size_t i;
	json_t *o;
	int rc;

	buf_init(&a);
	for (line = m->answer; *line != '\0'; line = *nl ? nl + 1 : nl) {
		if ((nl = strchr(line, '\n')) == NULL)
			nl = line + strlen(line);
		buf_puts(&a, "<p>");
		buf_put_html(&a, line, (size_t)(nl - line));
		buf_puts(&a, "</p>\n");
	}
	buf_init(&s);
	json_array_foreach(m->cites, i, o) {
		buf_printf(&s, "<li value=\"%lld\"><cite>",
		    (long long)json_integer_value(json_object_get(o, "n")));
		html(&s, jstr(o, "material"));
		buf_puts(&s, "</cite>");
		if (*jstr(o, "heading") != '\0') {
			buf_puts(&s, " \u2014 ");
			html(&s, jstr(o, "heading"));
		}
		buf_puts(&s, "</li>\n");
	}
	view_set_int(row, "id", (long)m->id);
	view_set(row, "question", m->question);
	view_set_raw(row, "answer", a.p != NULL ? a.p : "");
	if (s.len > 0)
		view_set_raw(row, "sources", s.p);
	view_set_bool(row, "refused", m->refused);
	view_set(row, "created", m->created);
	rc = tmpl_render_row(TMPL_ROW_TUTOR_MESSAGE, row, out);
	buf_free(&a);
	buf_free(&s);
	return rc;
}

/* The page with the conversation; question and question_error refill
 * the form after a refused submission. */
static int
render(struct req *r, int st, const char *title, long ready,
    const char *question, const char *question_error)
{
	struct view *v = view_new(r->a);
	struct msg *m = NULL;
	struct buf b;
	int n, i, rc = 0;

	if ((n = history(r, &m)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	buf_init(&b);
	for (i = 0; i < n && rc == 0; i++)
		rc = msg_row(r, &m[i], &b);
	free_msgs(m, n);
	if (rc != 0) {
		buf_free(&b);
		return http_error(r, 500, "The page could not be built.");
	}
	view_set(v, "csrf", r->csrf);
	view_set(v, "course_title", title);
	view_set_int(v, "id", (long)r->pathid[0]);
	view_set_int(v, "count", n);
	view_set_bool(v, "can_ask", ready > 0);
	if (b.len > 0)
		view_set_raw(v, "messages", b.p);
	buf_free(&b);
	view_set(v, "question", question != NULL ? question : "");
	if (question_error != NULL)
		view_set(v, "question_error", question_error);
	r->status = st;
	return http_page(r, TMPL_TUTOR, v, arena_printf(r->a, "Tutor: %s",
	    title));
}

int
page_tutor(struct req *r)
{
	const char *title;
	long ready;
	int st;

	if ((st = may_use(r, &title, &ready)) != 0)
		return access_error(r, st);
	return render(r, 200, title, ready, NULL, NULL);
}

int
page_tutor_ask(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *title;
	struct msg m;
	double ms;
	long ready;
	int st;

	if ((st = may_use(r, &title, &ready)) != 0)
		return access_error(r, st);
	if (ready == 0)
		return render(r, 409, title, ready, f->str[F_TUTOR_QUESTION],
		    "This course has no material for the tutor yet.");
	if (f->err[F_TUTOR_QUESTION] != NULL)
		return render(r, 400, title, ready, f->str[F_TUTOR_QUESTION],
		    f->err[F_TUTOR_QUESTION]);
	memset(&m, 0, sizeof(m));
	if ((st = ask(r, f->str[F_TUTOR_QUESTION], &m, &ms)) != 0)
		return http_error(r, st, TUTOR_FAILED(st));
	json_decref(m.cites);
	return http_redirect(r, arena_printf(r->a, "/courses/%lld/tutor#m%lld",
	    (long long)r->pathid[0], (long long)m.id));
}

static void
json_msg(struct req *r, const struct msg *m)
{
	const char *q;
	size_t i;
	json_t *o;

	json_i64(r, "id", m->id);
	json_str(r, "question", m->question);
	json_str(r, "answer", m->answer);
	json_bool(r, "refused", m->refused);
	json_str(r, "backend", m->backend);
	json_str(r, "created", m->created);
	json_arr_begin(r, "citations");
	json_array_foreach(m->cites, i, o) {
		json_obj_begin(r, NULL);
		json_i64(r, "n", json_integer_value(json_object_get(o, "n")));
		json_i64(r, "passage_id",
		    json_integer_value(json_object_get(o, "passage_id")));
		json_str(r, "material", jstr(o, "material"));
		json_str(r, "heading", jstr(o, "heading"));
		if (*(q = jstr(o, "quote")) != '\0')
			json_str(r, "quote", q);
		json_obj_end(r);
	}
	json_arr_end(r);
}

int
page_api_tutor(struct req *r)
{
	const struct http_form *f = &r->form;
	const char *title;
	struct msg m, *h = NULL;
	double ms;
	long ready;
	int st, n, i;

	if ((st = may_use(r, &title, &ready)) != 0)
		return access_error(r, st);
	if (strcmp(r->method, "POST") == 0) {
		if (ready == 0)
			return http_error(r, 409, "This course has no "
			    "material for the tutor yet.");
		if (f->err[F_TUTOR_QUESTION] != NULL)
			return http_error(r, 400, f->err[F_TUTOR_QUESTION]);
		memset(&m, 0, sizeof(m));
		if ((st = ask(r, f->str[F_TUTOR_QUESTION], &m, &ms)) != 0)
			return http_error(r, st, TUTOR_FAILED(st));
		json_begin(r);
		json_i64(r, "course_id", r->pathid[0]);
		json_dbl(r, "elapsed_ms", ms);
		json_obj_begin(r, "message");
		json_msg(r, &m);
		json_obj_end(r);
		json_end(r);
		json_decref(m.cites);
		return http_json(r, 201);
	}
	if ((n = history(r, &h)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "course_id", r->pathid[0]);
	json_str(r, "course_title", title);
	json_i64(r, "ready_materials", ready);
	json_arr_begin(r, "messages");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_msg(r, &h[i]);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	free_msgs(h, n);
	return http_json(r, 200);
}
