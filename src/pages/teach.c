/*
 * teach: the instructor's course list (/teach and its JSON twin) and the
 * helpers every instructor page shares (teach.h): ownership-checked
 * loaders, list inputs, the prerequisite cycle check, audit entries.
 *
 * Design decision: ownership lives in SQL (the loaders' WHERE clause joins
 * to the course's author), so a handler that forgot a check cannot write
 * another instructor's object: it has nothing loaded to write to.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/view.h"
#include "learn/graph.h"
#include "pages/pages.h"
#include "pages/teach.h"

#define LIST_MAX	"300"

const char *
teach_admin_arg(const struct req *r)
{
	return r->user.role == ROLE_ADMIN ? "true" : "false";
}

static const char *
str(struct req *r, int row, int col)
{
	const char *s = db_str(r->db, row, col);

	return arena_strdup(r->a, s != NULL ? s : "");
}

int
teach_course_load(struct req *r, int64_t id, struct teach_course *c)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_TEACH_COURSE_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	c->id = db_i64(r->db, 0, 0);
	c->author_id = db_i64(r->db, 0, 1);
	c->title = str(r, 0, 2);
	c->summary = str(r, 0, 3);
	c->level = str(r, 0, 4);
	c->language = str(r, 0, 5);
	c->hours = str(r, 0, 6);
	c->status = str(r, 0, 7);
	c->note = str(r, 0, 8);
	c->author = str(r, 0, 10);
	c->submitted = str(r, 0, 11);
	c->published = str(r, 0, 12);
	c->cover = db_i64(r->db, 0, 9);
	return 0;
}

int
teach_module_load(struct req *r, int64_t id, struct teach_module *m)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_TEACH_MODULE_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	m->id = db_i64(r->db, 0, 0);
	m->course_id = db_i64(r->db, 0, 1);
	m->position = db_i64(r->db, 0, 2);
	m->title = str(r, 0, 3);
	m->course_title = str(r, 0, 4);
	m->course_status = str(r, 0, 5);
	return 0;
}

int
teach_lesson_load(struct req *r, int64_t id, struct teach_lesson *l)
{
	const char *p[3];
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = teach_admin_arg(r);
	if ((n = db_exec(r->db, STMT_TEACH_LESSON_GET, 3, p)) < 0)
		return page_db_status(n);
	if (n == 0)
		return 404;
	l->id = db_i64(r->db, 0, 0);
	l->module_id = db_i64(r->db, 0, 1);
	l->position = db_i64(r->db, 0, 2);
	l->title = str(r, 0, 3);
	l->kind = str(r, 0, 4);
	l->body = str(r, 0, 5);
	l->minutes = db_i64(r->db, 0, 6);
	l->course_id = db_i64(r->db, 0, 7);
	l->course_title = str(r, 0, 8);
	l->module_title = str(r, 0, 9);
	l->course_status = str(r, 0, 10);
	return 0;
}

const char *
teach_id_array(struct req *r, const int64_t *ids, size_t n)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

/* A positive int64 in s (surrounding blanks allowed); 0 if not one. */
static int64_t
parse_id(const char *s, size_t len)
{
	char tmp[32], *e;
	long long v;

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof(tmp) || *s < '0' || *s > '9')
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtoll(tmp, &e, 10);
	if (errno != 0 || *e != '\0' || v <= 0)
		return 0;
	return v;
}

static int
blank(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

/* Adds one (id, level) text pair to the list; NULL or a message. */
static const char *
add_pair(struct req *r, struct teach_ids *out, size_t cap, const char *id,
    size_t idlen, const char *lv, size_t lvlen, int want_level,
    const char *what)
{
	int64_t v, level = 0;
	size_t i;

	if (blank(id, idlen))
		return NULL;
	if ((v = parse_id(id, idlen)) == 0)
		return arena_printf(r->a, "%s must be chosen from the list.",
		    what);
	if (want_level) {
		level = lv != NULL ? parse_id(lv, lvlen) : 0;
		if (level < 1 || level > 10)
			return arena_printf(r->a, "Give each %s a level from "
			    "1 to 10.", what);
	}
	for (i = 0; i < out->n; i++)
		if (out->id[i] == v)
			return arena_printf(r->a, "The same %s is listed "
			    "twice.", what);
	if (out->n == cap)
		return "Too many entries.";
	out->id[out->n] = v;
	out->level[out->n] = (int)level;
	out->n++;
	return NULL;
}

const char *
teach_ids_read(struct req *r, const char *name, const char *level_name,
    const char *compact, const char *what, struct teach_ids *out,
    int *present)
{
	const char *ids[HTTP_MAXFIELDS], *lvs[HTTP_MAXFIELDS], *s, *e, *c;
	size_t nid = 0, nlv = 0, i, cap;
	const char *err;

	*present = 0;
	for (i = 0; i < r->nparams; i++) {
		if (strcmp(r->params[i].name, name) == 0 &&
		    nid < HTTP_MAXFIELDS)
			ids[nid++] = r->params[i].value;
		else if (level_name != NULL &&
		    strcmp(r->params[i].name, level_name) == 0 &&
		    nlv < HTTP_MAXFIELDS)
			lvs[nlv++] = r->params[i].value;
	}
	cap = HTTP_MAXFIELDS;
	out->n = 0;
	out->id = arena_calloc(r->a, cap, sizeof(*out->id));
	out->level = arena_calloc(r->a, cap, sizeof(*out->level));
	if (nid > 0) {
		*present = 1;
		for (i = 0; i < nid; i++) {
			s = i < nlv ? lvs[i] : NULL;
			err = add_pair(r, out, cap, ids[i], strlen(ids[i]), s,
			    s != NULL ? strlen(s) : 0, level_name != NULL,
			    what);
			if (err != NULL)
				return err;
		}
		return NULL;
	}
	if (compact == NULL || (s = http_param(r, compact)) == NULL)
		return NULL;
	*present = 1;
	while (*s != '\0') {
		e = strchr(s, ',');
		if (e == NULL)
			e = s + strlen(s);
		c = memchr(s, ':', (size_t)(e - s));
		if (level_name == NULL && c != NULL)
			return arena_printf(r->a, "%s: write ids separated by "
			    "commas, e.g. \"3,7\".", compact);
		if (level_name != NULL && c == NULL && !blank(s,
		    (size_t)(e - s)))
			return arena_printf(r->a, "%s: write id:level pairs "
			    "separated by commas, e.g. \"3:5,7:2\".", compact);
		err = add_pair(r, out, cap, s, c != NULL ? (size_t)(c - s) :
		    (size_t)(e - s), c != NULL ? c + 1 : NULL,
		    c != NULL ? (size_t)(e - c - 1) : 0, level_name != NULL,
		    what);
		if (err != NULL)
			return err;
		s = *e == ',' ? e + 1 : e;
	}
	return NULL;
}

int
teach_cycle_find(struct req *r, const int64_t *from, const int64_t *to,
    size_t m, int64_t start, int64_t **cycle, size_t *ncycle)
{
	int64_t *order, *cyc, *rot;
	void *scratch;
	size_t n, k, at = 0;
	long rc;

	*cycle = NULL;
	*ncycle = 0;
	if (m == 0)
		return 0;
	if (m > LEARN_GRAPH_MAXEDGES)
		return -1;
	scratch = arena_alloc(r->a, learn_graph_scratch_size(m));
	order = arena_calloc(r->a, 2 * m, sizeof(*order));
	cyc = arena_calloc(r->a, 2 * m, sizeof(*cyc));
	rc = learn_graph_order(from, to, m, scratch, order, cyc, &n);
	if (rc >= 0)
		return 0;
	if (rc != -1)
		return -1;
	for (k = 0; k < n; k++)
		if (cyc[k] == start)
			at = k;
	rot = arena_calloc(r->a, n, sizeof(*rot));
	for (k = 0; k < n; k++)
		rot[k] = cyc[(at + k) % n];
	*cycle = rot;
	*ncycle = n;
	return 1;
}

static const char *
title_for(struct req *r, int64_t id, const int64_t *ids,
    const char *const *titles, size_t nt)
{
	size_t i;

	for (i = 0; i < nt; i++)
		if (ids[i] == id)
			return titles[i];
	return arena_printf(r->a, "#%lld", (long long)id);
}

const char *
teach_cycle_text_rows(struct req *r, const int64_t *cycle, size_t n, int rows)
{
	int64_t *ids = arena_calloc(r->a, (size_t)rows + 1, sizeof(*ids));
	const char **titles = arena_calloc(r->a, (size_t)rows + 1,
	    sizeof(*titles));
	int k;

	for (k = 0; k < rows; k++) {
		ids[k] = db_i64(r->db, k, 0);
		titles[k] = arena_strdup(r->a, db_str(r->db, k, 1));
	}
	return teach_cycle_text(r, cycle, n, ids, titles, (size_t)rows);
}

const char *
teach_cycle_text(struct req *r, const int64_t *cycle, size_t n,
    const int64_t *ids, const char *const *titles, size_t nt)
{
	struct buf b;
	const char *out;
	size_t k;

	buf_init(&b);
	buf_printf(&b, "Prerequisite cycle refused: \"%s\" requires ",
	    title_for(r, cycle[0], ids, titles, nt));
	if (n == 1)
		buf_puts(&b, "itself.");
	else {
		for (k = 1; k < n; k++)
			buf_printf(&b, "\"%s\", which requires ",
			    title_for(r, cycle[k], ids, titles, nt));
		buf_printf(&b, "\"%s\". Remove one of these prerequisites.",
		    title_for(r, cycle[0], ids, titles, nt));
	}
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

void
teach_audit(struct req *r, const char *action, int64_t course,
    const char *detail)
{
	const char *p[4];

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = action;
	p[2] = arena_printf(r->a, "course:%lld", (long long)course);
	p[3] = detail;
	(void)db_exec(r->db, STMT_AUDIT_INSERT, 4, p);
}

const char *
teach_status_label(const char *status)
{
	if (strcmp(status, "review") == 0)
		return "In review";
	if (strcmp(status, "published") == 0)
		return "Published";
	if (strcmp(status, "rejected") == 0)
		return "Rejected";
	return "Draft";
}

int
teach_option(struct req *r, struct buf *acc, int64_t value,
    const char *label, int selected)
{
	struct view *v = view_new(r->a);

	view_set_int(v, "value", (long)value);
	view_set(v, "label", label);
	view_set_bool(v, "selected", selected);
	return tmpl_render_row(TMPL_ROW_TEACH_OPTION, v, acc);
}

/* ---- /teach -------------------------------------------------------------- */

static int
list_courses(struct req *r)
{
	const char *p[3];

	p[0] = db_i64s(r->a, r->user.id);
	p[1] = teach_admin_arg(r);
	p[2] = LIST_MAX;
	return db_exec(r->db, STMT_TEACH_COURSE_LIST, 3, p);
}

int
page_teach(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	struct buf rows;
	const char *status;
	int n, i;

	if ((n = list_courses(r)) < 0)
		return page_db_status(n);
	buf_init(&rows);
	for (i = 0; i < n; i++) {
		view_clear(row);
		status = db_str(r->db, i, 2);
		view_set_int(row, "id", (long)db_i64(r->db, i, 0));
		view_set(row, "title", db_str(r->db, i, 1));
		view_set(row, "status", status);
		view_set(row, "status_label", teach_status_label(status));
		view_set(row, "note", strcmp(status, "rejected") == 0 ?
		    db_str(r->db, i, 3) : "");
		view_set(row, "author", db_str(r->db, i, 7));
		view_set_int(row, "lessons", (long)db_i64(r->db, i, 8));
		view_set(row, "updated", db_str(r->db, i, 9));
		if (tmpl_render_row(TMPL_ROW_TEACH_COURSE, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	view_set_int(v, "course_count", n);
	view_set_raw(v, "courses", rows.p ? rows.p : "");
	view_set_bool(v, "is_admin", r->user.role == ROLE_ADMIN);
	buf_free(&rows);
	if (http_param(r, "deleted") != NULL)
		r->flash = "The course has been deleted.";
	return http_page_nav(r, TMPL_TEACH_LIST, v, "Teach", TMPL_NAV_TEACH);
}

int
page_api_teach_courses(struct req *r)
{
	int n, i;

	if ((n = list_courses(r)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_arr_begin(r, "courses");
	for (i = 0; i < n; i++) {
		json_obj_begin(r, NULL);
		json_i64(r, "id", db_i64(r->db, i, 0));
		json_str(r, "title", db_str(r->db, i, 1));
		json_str(r, "status", db_str(r->db, i, 2));
		json_str(r, "review_note", db_str(r->db, i, 3));
		json_str(r, "level", db_str(r->db, i, 4));
		json_str(r, "language", db_str(r->db, i, 5));
		json_str(r, "estimated_hours", db_str(r->db, i, 6));
		json_str(r, "author", db_str(r->db, i, 7));
		json_i64(r, "lessons", db_i64(r->db, i, 8));
		json_str(r, "updated", db_str(r->db, i, 9));
		json_obj_end(r);
	}
	json_arr_end(r);
	json_end(r);
	return http_json(r, 200);
}
