/*
 * course_shared: what a course page shows every visitor alike -- the
 * course's facts and instructor, its syllabus with the modules' quizzes,
 * the skills it teaches -- read by learning_course_content and kept by
 * each FastCGI thread, partly rendered, keyed by course id.
 *
 * The design decision: the kept copy is exact, never merely fresh enough.
 * Every request runs learning_course_mine, the visitor's own part (may they
 * see the course, their enrolment, their progress, what they have of what
 * the prerequisites ask), and that statement also returns the course's
 * content version (course_versions, migration 037), which triggers advance
 * in the transaction of any edit of what the kept part shows, and the
 * catalogue's version (catalog_version, migration 032), which every
 * catalogue edit advances: the prerequisites' names and suggested courses
 * depend on other courses.  The copy is used only at the course's version
 * and, when it has prerequisites, the catalogue's; otherwise it is read
 * again, and the visitor's part with it (asked for the kept copy's
 * lessons and prerequisites).  So an edit shows on the very next request,
 * whichever thread serves it.
 * Nothing of one visitor is kept: the copy holds what
 * learning_course_content returns, read without any user, and who may see
 * the course (a draft: its author and admins) is decided by
 * learning_course_mine on every request before anything kept is used.
 *
 * Rendering: each lesson's syllabus row is kept rendered as "not started";
 * the lessons the visitor has progress in are rendered per request.  Each
 * module's row is rendered once with a marker where its lessons go and
 * split there, so a page joins kept text and rows and renders only the
 * lessons the visitor has touched.  (A row render costs ~27,000
 * instructions, measured with callgrind: 28 of them were 60% of the page.)
 *
 * Slots: COURSE_SLOTS per thread, direct-mapped by course id; a course
 * replaces whatever its slot held.  Each slot owns an arena, reset when
 * the slot is filled again.
 */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/course_shared.h"
#include "pages/pages.h"

#define COURSE_SLOTS	256
#define D		2	/* the statements' data start at column 2 */
#define READS		3	/* content reads per request at most */

/* Where a module's lessons go when its row is rendered to be kept, and
 * the visitor's parts of course.html: set raw, so no value can produce
 * them ('<' is escaped in every value). */
static const char lessons_mark[] = "<\x01lessons\x01>";
static const char enrolment_mark[] = "<\x01enrolment\x01>";
static const char prereqs_mark[] = "<\x01prereqs\x01>";
static const char modules_mark[] = "<\x01modules\x01>";

static _Thread_local struct course_shared *slots[COURSE_SLOTS];

static struct course_shared *
slot_for(int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ULL;
	struct course_shared **s = &slots[(h >> 32) % COURSE_SLOTS];

	if (*s == NULL) {
		if ((*s = calloc(1, sizeof(**s))) == NULL)
			abort();
		arena_init(&(*s)->a, 16 * 1024);
	}
	return *s;
}

static const char *
status_label(const char *status)
{
	if (strcmp(status, "completed") == 0)
		return "Completed";
	if (strcmp(status, "started") == 0)
		return "In progress";
	return "Not started";
}

static const char *
time_spent_label(struct arena *a, long seconds)
{
	if (seconds <= 0)
		return "";
	if (seconds < 60)
		return arena_printf(a, "%ld s spent", seconds);
	return arena_printf(a, "%s spent", page_minutes_label(a,
	    seconds / 60));
}

/* Appends lesson l's syllabus row with progress pg to out: 0 or -1. */
static int
lesson_row(struct req *r, struct view *v, int64_t course,
    const struct course_lesson *l, const struct course_progress *pg,
    struct buf *out)
{
	view_clear(v);
	view_set(v, "url", arena_printf(r->a, "/courses/%lld/lessons/%lld",
	    (long long)course, (long long)l->id));
	view_set(v, "title", l->title);
	view_set(v, "kind", l->kind);
	view_set(v, "minutes", page_minutes_label(r->a, l->minutes));
	view_set(v, "status", status_label(pg->status));
	view_set_bool(v, "done", strcmp(pg->status, "completed") == 0);
	view_set(v, "time", time_spent_label(r->a, pg->seconds));
	return tmpl_render_row(TMPL_ROW_LEARN_LESSON, v, out);
}

/* ---- filling a slot from learning_course_content ---------------------- */

static const char *
keep(struct course_shared *s, struct req *r, int row, int col)
{
	return arena_strdup(&s->a, db_str(r->db, row, col));
}

/* Reads the 'm', 's' and 'z' rows of r->db (n rows) into s. */
static void
read_rows(struct req *r, int n, struct course_shared *s)
{
	struct db_part m = db_part(r->db, n, 'm');
	struct db_part sk = db_part(r->db, n, 's');
	struct db_part z = db_part(r->db, n, 'z');
	struct db_part pr = db_part(r->db, n, 'p');
	struct course_prereq *q;
	struct course_lesson *l;
	int64_t mod = 0;
	int i, j;

	s->nmodules = s->nlessons = 0;
	for (i = m.first; i < m.end; i++) {
		if (db_i64(r->db, i, D) != mod)
			s->nmodules++;
		mod = db_i64(r->db, i, D);
		if (!db_isnull(r->db, i, D + 2))
			s->nlessons++;
	}
	s->modules = arena_calloc(&s->a, s->nmodules + 1,
	    sizeof(*s->modules));
	s->lessons = arena_calloc(&s->a, s->nlessons + 1,
	    sizeof(*s->lessons));
	s->minutes = 0;
	s->nmodules = s->nlessons = 0;
	for (i = m.first, mod = 0; i < m.end; i++) {
		if (db_i64(r->db, i, D) != mod) {
			mod = db_i64(r->db, i, D);
			s->modules[s->nmodules].id = mod;
			s->modules[s->nmodules].title = keep(s, r, i, D + 1);
			s->modules[s->nmodules].first = s->nlessons;
			s->nmodules++;
		}
		if (db_isnull(r->db, i, D + 2))
			continue;
		l = &s->lessons[s->nlessons++];
		l->id = db_i64(r->db, i, D + 2);
		l->module = mod;
		l->title = keep(s, r, i, D + 3);
		l->kind = keep(s, r, i, D + 4);
		l->minutes = (long)db_i64(r->db, i, D + 5);
		s->minutes += l->minutes;
		s->modules[s->nmodules - 1].n++;
	}
	s->nskills = sk.end - sk.first;
	s->skills = arena_calloc(&s->a, s->nskills + 1, sizeof(*s->skills));
	for (i = sk.first, j = 0; i < sk.end; i++, j++) {
		s->skills[j].id = db_i64(r->db, i, D);
		s->skills[j].name = keep(s, r, i, D + 1);
		s->skills[j].level = (long)db_i64(r->db, i, D + 2);
	}
	s->nprereqs = pr.end - pr.first;
	s->prereqs = arena_calloc(&s->a, s->nprereqs + 1,
	    sizeof(*s->prereqs));
	for (i = pr.first, q = s->prereqs; i < pr.end; i++, q++) {
		q->skill = strcmp(db_str(r->db, i, D), "skill") == 0;
		q->id = db_i64(r->db, i, D + 1);
		q->name = keep(s, r, i, D + 2);
		q->level = (long)db_i64(r->db, i, D + 3);
		q->take = db_i64(r->db, i, D + 4);
		q->take_title = keep(s, r, i, D + 5);
	}
	s->nquizzes = z.end - z.first;
	s->quizzes = arena_calloc(&s->a, s->nquizzes + 1,
	    sizeof(*s->quizzes));
	for (i = z.first, j = 0; i < z.end; i++, j++) {
		s->quizzes[j].module = db_i64(r->db, i, D);
		s->quizzes[j].id = db_i64(r->db, i, D + 1);
		s->quizzes[j].title = keep(s, r, i, D + 2);
	}
}

/* Appends s as an element of a PostgreSQL array literal (quoted). */
static void
put_element(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* learning_course_mine's $5 and $6 for s's prerequisites. */
static void
index_prereqs(struct course_shared *s)
{
	struct buf ids, keys;
	int i;

	buf_init(&ids);
	buf_init(&keys);
	buf_putc(&ids, '{');
	buf_putc(&keys, '{');
	for (i = 0; i < s->nprereqs; i++) {
		if (!s->prereqs[i].skill) {
			buf_printf(&ids, ids.len > 1 ? ",%lld" : "%lld",
			    (long long)s->prereqs[i].id);
			continue;
		}
		if (keys.len > 1)
			buf_putc(&keys, ',');
		buf_printf(&keys, "\"%lld\",", (long long)s->prereqs[i].id);
		put_element(&keys, s->prereqs[i].name);
	}
	buf_putc(&ids, '}');
	buf_putc(&keys, '}');
	s->prereq_ids = arena_strndup(&s->a, ids.p, ids.len);
	s->prereq_keys = arena_strndup(&s->a, keys.p, keys.len);
	buf_free(&ids);
	buf_free(&keys);
}

/* s->by_id (lesson indexes in order of id) and s->ids ("{id,...}", the
 * same order: learning_course_mine's $4). */
static void
index_lessons(struct course_shared *s)
{
	struct buf b;
	int i, j, k;

	s->by_id = arena_calloc(&s->a, s->nlessons + 1, sizeof(int));
	for (i = 0; i < s->nlessons; i++) {
		k = i;
		for (j = i; j > 0 && s->lessons[s->by_id[j - 1]].id >
		    s->lessons[k].id; j--)
			s->by_id[j] = s->by_id[j - 1];
		s->by_id[j] = k;
	}
	buf_init(&b);
	buf_putc(&b, '{');
	for (i = 0; i < s->nlessons; i++)
		buf_printf(&b, i > 0 ? ",%lld" : "%lld",
		    (long long)s->lessons[s->by_id[i]].id);
	buf_putc(&b, '}');
	s->ids = arena_strndup(&s->a, b.p, b.len);
	buf_free(&b);
}

/*
 * Finds mark in html, which must hold it exactly once: *rest points past
 * it and the text before it is returned (s's arena); NULL (logged) when
 * the template does not show it once.
 */
static const char *
cut(struct course_shared *s, const char *html, const char *mark,
    const char **rest)
{
	const char *m = strstr(html, mark);

	if (m == NULL || strstr(m + 1, mark) != NULL) {
		log_msg("course %lld: a kept template must show each of "
		    "its markers once", (long long)s->id);
		return NULL;
	}
	*rest = m + strlen(mark);
	return arena_strndup(&s->a, html, (size_t)(m - html));
}

static const char *
status_note(const char *status)
{
	if (strcmp(status, "draft") == 0)
		return "This course is a draft: only its author and admins "
		    "can see it.";
	if (strcmp(status, "review") == 0)
		return "This course is waiting for review: learners cannot "
		    "see it yet.";
	if (strcmp(status, "rejected") == 0)
		return "This course was not approved: learners cannot see "
		    "it.";
	return NULL;
}

/* Renders course.html for s into s->body: 0 or -1 (logged). */
static int
render_body(struct req *r, struct course_shared *s)
{
	struct view *v = view_new(r->a);
	struct buf b;
	const char *rest, *note;
	int rc = -1;

	view_set(v, "title", s->title);
	view_set(v, "summary", s->summary);
	view_set(v, "level", page_level_label(s->level));
	view_set(v, "language", s->language);
	view_set(v, "hours", page_hours_label(r->a, s->hours));
	view_set(v, "instructor", s->instructor);
	view_set(v, "lesson_time", page_minutes_label(r->a, s->minutes));
	view_set_int(v, "nlessons", s->nlessons);
	if ((note = status_note(s->status)) != NULL)
		view_set(v, "status_note", note);
	view_set_raw(v, "skills", s->skills_html);
	view_set_raw(v, "enrolment", enrolment_mark);
	view_set_raw(v, "prereqs", s->nprereqs > 0 ? prereqs_mark : "");
	view_set_raw(v, "modules", s->nmodules > 0 ? modules_mark : "");
	buf_init(&b);
	if (tmpl_render_row(TMPL_COURSE, v, &b) == -1)
		goto out;
	s->body[1] = s->body[2] = "";
	if ((s->body[0] = cut(s, b.p, enrolment_mark, &rest)) == NULL ||
	    (s->nprereqs > 0 &&
	    (s->body[1] = cut(s, rest, prereqs_mark, &rest)) == NULL) ||
	    (s->nmodules > 0 &&
	    (s->body[2] = cut(s, rest, modules_mark, &rest)) == NULL))
		goto out;
	s->body[3] = arena_strdup(&s->a, rest);
	rc = 0;
out:
	buf_free(&b);
	return rc;
}

/* Adds the pending text in t (if any) as a piece, then lesson (>= 0). */
static void
add_piece(struct course_shared *s, struct buf *t, int lesson)
{
	if (t->len > 0) {
		s->pieces[s->npieces].text = arena_strndup(&s->a, t->p,
		    t->len);
		s->pieces[s->npieces++].lesson = -1;
		buf_reset(t);
	}
	if (lesson >= 0) {
		s->pieces[s->npieces].text = NULL;
		s->pieces[s->npieces++].lesson = lesson;
	}
}

/* The links to module mod's quizzes (raw HTML, "" when none). */
static const char *
module_quizzes(struct req *r, const struct course_shared *s, int64_t mod)
{
	struct buf b;
	const char *out;
	int i;

	buf_init(&b);
	buf_puts(&b, "");
	for (i = 0; i < s->nquizzes; i++)
		if (s->quizzes[i].module == mod)
			page_quiz_link(&b, s->quizzes[i].id,
			    s->quizzes[i].title);
	out = arena_strdup(r->a, b.p);
	buf_free(&b);
	return out;
}

/* Renders what is kept rendered: lesson rows (not started), the pieces
 * of the syllabus, the skills.  0 or -1 (template error, logged). */
static int
render_kept(struct req *r, struct course_shared *s)
{
	static const struct course_progress none = { "", 0 };
	struct view *v = view_new(r->a);
	struct buf b, text;
	const char *before, *after;
	int i, j, rc = -1;

	buf_init(&b);
	buf_init(&text);
	for (i = 0; i < s->nlessons; i++) {
		buf_reset(&b);
		if (lesson_row(r, v, s->id, &s->lessons[i], &none, &b) == -1)
			goto out;
		s->lessons[i].row = arena_strndup(&s->a, b.p, b.len);
	}
	s->pieces = arena_calloc(&s->a, 2 * s->nmodules + s->nlessons + 1,
	    sizeof(*s->pieces));
	s->npieces = 0;
	for (i = 0; i < s->nmodules; i++) {
		view_clear(v);
		view_set_int(v, "position", i + 1);
		view_set(v, "title", s->modules[i].title);
		view_set_raw(v, "lessons", s->modules[i].n > 0 ?
		    lessons_mark : "");
		view_set_raw(v, "quizzes", module_quizzes(r, s,
		    s->modules[i].id));
		buf_reset(&b);
		if (tmpl_render_row(TMPL_ROW_LEARN_MODULE, v, &b) == -1)
			goto out;
		if (s->modules[i].n == 0) {
			buf_put(&text, b.p, b.len);
			continue;
		}
		if ((before = cut(s, b.p, lessons_mark, &after)) == NULL)
			goto out;
		buf_puts(&text, before);
		for (j = 0; j < s->modules[i].n; j++)
			add_piece(s, &text, s->modules[i].first + j);
		buf_puts(&text, after);
	}
	add_piece(s, &text, -1);
	buf_reset(&b);
	buf_puts(&b, "");
	view_clear(v);
	for (i = 0; i < s->nskills; i++) {
		view_clear(v);
		view_set(v, "name", s->skills[i].name);
		view_set_int(v, "level", s->skills[i].level);
		if (tmpl_render_row(TMPL_ROW_LEARN_SKILL, v, &b) == -1)
			goto out;
	}
	s->skills_html = arena_strndup(&s->a, b.p, b.len);
	rc = render_body(r, s);
out:
	buf_free(&b);
	buf_free(&text);
	return rc;
}

/*
 * Fills s with course id's shared part (learning_course_content): 1, 0
 * when the course no longer exists, a db_err or COURSE_TMPL_ERROR.  On
 * any failure the slot is left empty.
 */
static int
fill(struct req *r, struct course_shared *s, int64_t id)
{
	const char *p[1];
	int n;

	s->id = 0;
	arena_reset(&s->a);
	p[0] = db_i64s(r->a, id);
	if ((n = db_exec(r->db, STMT_LEARNING_COURSE_CONTENT, 1, p)) <= 0)
		return n;
	s->id = id;
	s->version = db_i64(r->db, 0, D);
	s->catalog = db_i64(r->db, 0, D + 1);
	s->title = keep(s, r, 0, D + 2);
	s->summary = keep(s, r, 0, D + 3);
	s->level = keep(s, r, 0, D + 4);
	s->language = keep(s, r, 0, D + 5);
	s->hours = keep(s, r, 0, D + 6);
	s->status = keep(s, r, 0, D + 7);
	s->instructor = keep(s, r, 0, D + 8);
	read_rows(r, n, s);
	index_lessons(s);
	index_prereqs(s);
	if (render_kept(r, s) == -1) {
		s->id = 0;
		return COURSE_TMPL_ERROR;
	}
	return 1;
}

/* ---- per request ------------------------------------------------------ */

int
page_course_shared_load(struct req *r, int64_t id,
    const struct course_shared **out)
{
	struct course_shared *s = slot_for(id);
	const char *p[6];
	int n, reads;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	for (reads = 0; ; reads++) {
		p[3] = s->id == id ? s->ids : "{}";
		p[4] = s->id == id ? s->prereq_ids : "{}";
		p[5] = s->id == id ? s->prereq_keys : "{}";
		if ((n = db_exec(r->db, STMT_LEARNING_COURSE_MINE, 6, p)) <= 0)
			return n;
		/* No 'h' row: the user may not see the course (the other
		 * rows are theirs, but answer nothing then). */
		if (*db_str(r->db, 0, 0) != 'h')
			return 0;
		if (s->id == id && s->version == db_i64(r->db, 0, D) &&
		    (s->nprereqs == 0 || s->catalog == db_i64(r->db, 0, D + 1))) {
			*out = s;
			return n;
		}
		/* An edit between our two statements, again and again. */
		if (reads == READS) {
			log_msg("course %lld: changed during each of %d reads",
			    (long long)id, READS);
			return DB_RETRY;
		}
		/* 0: deleted meanwhile; learning_course_mine says so next. */
		if ((n = fill(r, s, id)) < 0)
			return n;
	}
}

struct course_progress *
page_course_progress(struct req *r, int n, const struct course_shared *s)
{
	struct db_part l = db_part(r->db, n, 'l');
	struct course_progress *pg;
	const char *st;
	int64_t lid;
	int i, k = 0;

	pg = arena_calloc(r->a, s->nlessons + 1, sizeof(*pg));
	for (i = 0; i < s->nlessons; i++)
		pg[i].status = "";
	/* Both in order of lesson id. */
	for (i = l.first; i < l.end; i++) {
		lid = db_i64(r->db, i, D);
		while (k < s->nlessons && s->lessons[s->by_id[k]].id < lid)
			k++;
		if (k == s->nlessons)
			break;
		if (s->lessons[s->by_id[k]].id != lid)
			continue;
		st = db_str(r->db, i, D + 1);
		pg[s->by_id[k]].status = strcmp(st, "completed") == 0 ?
		    "completed" : strcmp(st, "started") == 0 ? "started" : "";
		pg[s->by_id[k]].seconds = (long)db_i64(r->db, i, D + 2);
	}
	return pg;
}

struct course_standing *
page_course_standing(struct req *r, int n, const struct course_shared *s)
{
	struct db_part e = db_part(r->db, n, 'r');
	struct db_part k = db_part(r->db, n, 'k');
	struct course_standing *st;
	const struct course_prereq *q;
	int i, j, key = 0;

	st = arena_calloc(r->a, s->nprereqs + 1, sizeof(*st));
	for (i = 0, q = s->prereqs; i < s->nprereqs; i++, q++) {
		if (!q->skill) {
			for (j = e.first; j < e.end; j++)
				if (db_i64(r->db, j, D) == q->id)
					st[i].met = strcmp(db_str(r->db, j,
					    D + 1), "completed") == 0;
			continue;
		}
		/* Two keys each, in order: its id, then its name; a number
		 * under the id wins. */
		for (j = 0; j < 2 && k.first + key + j < k.end; j++)
			if (st[i].level == NULL && !db_isnull(r->db,
			    k.first + key + j, D))
				st[i].level = arena_strdup(r->a,
				    db_str(r->db, k.first + key + j, D));
		key += 2;
		st[i].met = st[i].level != NULL &&
		    strtod(st[i].level, NULL) >= (double)q->level;
	}
	return st;
}

int
page_course_syllabus(struct req *r, const struct course_shared *s,
    const struct course_progress *pg, struct buf *out)
{
	const struct course_piece *pc;
	struct view *v = view_new(r->a);
	int i;

	for (i = 0; i < s->npieces; i++) {
		pc = &s->pieces[i];
		if (pc->lesson < 0)
			buf_puts(out, pc->text);
		else if (*pg[pc->lesson].status == '\0' &&
		    pg[pc->lesson].seconds <= 0)
			buf_puts(out, s->lessons[pc->lesson].row);
		else if (lesson_row(r, v, s->id, &s->lessons[pc->lesson],
		    &pg[pc->lesson], out) == -1)
			return -1;
	}
	return 0;
}
