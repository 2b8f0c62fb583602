/*
 * lesson: a lesson as a learner reads it (GET /courses/{cid}/lessons/{lid}),
 * "mark complete" (POST .../complete), and the progress API (POST
 * /api/v1/lessons/{id}/progress: {seconds, completed}), which the optional
 * heartbeat script static/js/lesson.js calls every 30 s while the page is
 * visible.
 *
 * The design decision: time on a lesson is measured on the server from
 * page timestamps (learning_lesson_visit: the gap since the learner's last
 * sign of life on the lesson they were on, capped at 600 s), so it works
 * with JavaScript off; the heartbeat only moves that last sign of life
 * along (and adds the seconds it saw), so the two never count the same
 * time twice.  Completing the last lesson completes the enrolment in the
 * same transaction, with its event and queued mail.
 */
#include <string.h>

#include "base/arena.h"
#include "base/markdown.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/adaptive.h"
#include "pages/pages.h"

/* Most seconds one progress report may add (the heartbeat sends ~30). */
#define REPORT_MAX	300

struct lesson {
	int64_t		 id;
	const char	*title, *kind, *body, *module;
	long		 minutes;
	int64_t		 course;
	const char	*course_title, *course_status;
	const char	*enrol;		/* '' | active | left | completed */
	const char	*status;	/* '' | started | completed */
	long		 seconds;
	int64_t		 prev, next;
	const char	*prev_title, *next_title;
	long		 pos, count;
};

/* 1 found, 0 not found (or not visible), or a db_err. */
static int
load(struct req *r, int64_t id, struct lesson *l)
{
	const char *p[3];
	struct db *d = r->db;
	int n;

	p[0] = db_i64s(r->a, id);
	p[1] = db_i64s(r->a, r->user.id);
	p[2] = r->user.role == ROLE_ADMIN ? "true" : "false";
	if ((n = db_exec(d, STMT_LEARNING_LESSON_GET, 3, p)) <= 0)
		return n;
	l->id = db_i64(d, 0, 0);
	l->title = arena_strdup(r->a, db_str(d, 0, 1));
	l->kind = arena_strdup(r->a, db_str(d, 0, 2));
	l->body = arena_strdup(r->a, db_str(d, 0, 3));
	l->minutes = (long)db_i64(d, 0, 4);
	l->module = arena_strdup(r->a, db_str(d, 0, 5));
	l->course = db_i64(d, 0, 6);
	l->course_title = arena_strdup(r->a, db_str(d, 0, 7));
	l->course_status = arena_strdup(r->a, db_str(d, 0, 8));
	l->enrol = arena_strdup(r->a, db_str(d, 0, 9));
	l->status = arena_strdup(r->a, db_str(d, 0, 10));
	l->seconds = (long)db_i64(d, 0, 11);
	l->prev = db_i64(d, 0, 12);
	l->prev_title = arena_strdup(r->a, db_str(d, 0, 13));
	l->next = db_i64(d, 0, 14);
	l->next_title = arena_strdup(r->a, db_str(d, 0, 15));
	l->pos = (long)db_i64(d, 0, 16);
	l->count = (long)db_i64(d, 0, 17);
	return 1;
}

static int
enrolled(const struct lesson *l)
{
	return strcmp(l->enrol, "active") == 0 ||
	    strcmp(l->enrol, "completed") == 0;
}

static const char *
url(struct req *r, int64_t course, int64_t lesson)
{
	return arena_printf(r->a, "/courses/%lld/lessons/%lld",
	    (long long)course, (long long)lesson);
}

/*
 * Records progress on lesson l for the user, inside one transaction:
 * seconds added, completed when complete; then completes the enrolment if
 * that was the last lesson.  visit: first credit the time since the last
 * page timestamp (a form POST from the page) instead of adding seconds.
 * Sets *done_lesson / *done_course when this call completed them.
 * Returns 0 or a db_err.
 */
static int
record(struct req *r, const struct lesson *l, long seconds, int complete,
    int visit, int *done_lesson, int *done_course)
{
	const char *p[5];
	int n;

	*done_lesson = *done_course = 0;
	if (db_begin(r->db) == -1)
		return DB_RETRY;
	p[0] = db_i64s(r->a, r->user.id);
	p[1] = db_i64s(r->a, l->course);
	p[2] = db_i64s(r->a, l->id);
	if (visit && (n = db_exec(r->db, STMT_LEARNING_LESSON_VISIT, 3,
	    p)) < 0)
		goto fail;
	p[3] = db_i64s(r->a, seconds);
	p[4] = complete ? "true" : "false";
	if ((n = db_exec(r->db, STMT_LEARNING_PROGRESS_RECORD, 5, p)) < 0)
		goto fail;
	if (seconds > 0 || (n == 1 && db_bool(r->db, 0, 2))) {
		struct activity act = { 0 };
		int done = n == 1 && db_bool(r->db, 0, 2);

		act.seconds = seconds;
		act.lessons = done;
		if ((n = activity_record(r, &act)) < 0)
			goto fail;
		if (done && (n = srs_cards_for_lesson(r, l->id)) < 0)
			goto fail;
		n = done ? 1 : 0;
	} else
		n = 0;
	if (n == 1) {
		*done_lesson = 1;
		if ((n = page_learning_event(r, "lesson_completed", l->course,
		    l->id, NULL, NULL)) < 0)
			goto fail;
		if ((n = db_exec(r->db, STMT_LEARNING_COURSE_COMPLETE, 2,
		    p)) < 0)
			goto fail;
		if (n == 1) {
			*done_course = 1;
			n = page_learning_event(r, "course_completed",
			    l->course, 0, arena_printf(r->a, "You have "
			    "completed %s", l->course_title),
			    arena_printf(r->a, "Hello %s,\n\nCongratulations: "
			    "you have completed every lesson of \xe2\x80\x9c%s"
			    "\xe2\x80\x9d.\n\nSee the course at /courses/%lld"
			    "\n\nAdept\n", r->user.name, l->course_title,
			    (long long)l->course));
			if (n < 0)
				goto fail;
		}
	}
	if ((n = db_commit(r->db)) < 0)
		goto fail;
	return 0;
fail:
	db_rollback(r->db);
	return n;
}

void
page_quiz_link(struct buf *b, int64_t id, const char *title)
{
	buf_printf(b, "<li><a href=\"/quizzes/%lld\">", (long long)id);
	buf_put_html(b, title, strlen(title));
	buf_puts(b, "</a></li>\n");
}

/* The quizzes attached to the lesson or its module, as links ("quizzes",
 * raw: built here with every title escaped).  Rows, or a db_err. */
static int
set_quizzes(struct req *r, struct view *v, int64_t lesson)
{
	const char *p[1];
	struct buf b;
	int n, i;

	p[0] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_LEARNING_LESSON_QUIZZES, 1, p)) <= 0)
		return n;
	buf_init(&b);
	for (i = 0; i < n; i++)
		page_quiz_link(&b, db_i64(r->db, i, 0), db_str(r->db, i, 1));
	view_set_raw(v, "quizzes", b.p);
	buf_free(&b);
	return n;
}

/*
 * What an enrolled learner gets of a lesson's media (raw: ids and escaped
 * names only).  A video lesson's "player": the first MP4 with the first
 * WebVTT file as its captions track and the first image as its poster, a
 * <video> element, so it plays without JavaScript (the download link is
 * the fallback).  "files": every other attachment (documents, images,
 * further videos) as a download link with its type and size.  Rows, or a
 * db_err.
 */
static int
set_media(struct req *r, struct view *v, int64_t lesson, int video_lesson)
{
	const char *p[1], *t;
	int64_t video = 0, vtt = 0, img = 0, id;
	struct buf b, f;
	int n, i, nfiles = 0;

	p[0] = db_i64s(r->a, lesson);
	if ((n = db_exec(r->db, STMT_MEDIA_LIST, 1, p)) <= 0)
		return n;
	for (i = 0; video_lesson && i < n; i++) {
		t = db_str(r->db, i, 2);
		if (video == 0 && strcmp(t, "video/mp4") == 0)
			video = db_i64(r->db, i, 0);
		else if (vtt == 0 && strcmp(t, "text/vtt") == 0)
			vtt = db_i64(r->db, i, 0);
		else if (img == 0 && strncmp(t, "image/", 6) == 0)
			img = db_i64(r->db, i, 0);
	}
	if (video == 0)
		vtt = img = 0;
	buf_init(&f);
	for (i = 0; i < n; i++) {
		id = db_i64(r->db, i, 0);
		if (id == video || id == vtt || id == img)
			continue;
		t = db_str(r->db, i, 1);
		buf_printf(&f, "<li><a href=\"/uploads/%lld\">", (long long)id);
		buf_put_html(&f, t, strlen(t));
		buf_puts(&f, "</a> <span class=\"meta\">");
		t = db_str(r->db, i, 2);
		buf_put_html(&f, t, strlen(t));
		buf_printf(&f, ", %s</span></li>\n",
		    page_size_label(r->a, db_i64(r->db, i, 3)));
		nfiles++;
	}
	if (nfiles > 0)
		view_set_raw(v, "files", f.p);
	buf_free(&f);
	if (video == 0)
		return n;
	buf_init(&b);
	buf_puts(&b, "<video class=\"lesson-video\" controls "
	    "preload=\"metadata\" width=\"640\" height=\"360\"");
	if (img > 0)
		buf_printf(&b, " poster=\"/uploads/%lld\"", (long long)img);
	buf_printf(&b, ">\n<source src=\"/uploads/%lld\" type=\"video/mp4\">\n",
	    (long long)video);
	if (vtt > 0)
		buf_printf(&b, "<track kind=\"captions\" src=\"/uploads/%lld\" "
		    "srclang=\"en\" label=\"English\" default>\n",
		    (long long)vtt);
	buf_printf(&b, "<a href=\"/uploads/%lld\">Download the video</a>\n"
	    "</video>\n", (long long)video);
	view_set_raw(v, "player", b.p);
	buf_free(&b);
	return n;
}

int
page_lesson(struct req *r)
{
	struct view *v = view_new(r->a);
	struct course_info c;
	struct lesson l;
	const char *p[3];
	int n;

	if ((n = load(r, r->pathid[1], &l)) < 0)
		return page_db_status(n);
	if (n == 0 || l.course != r->pathid[0])
		return http_error(r, 404, "There is no such lesson, or its "
		    "course is not published.");
	if (enrolled(&l)) {
		p[0] = db_i64s(r->a, r->user.id);
		p[1] = db_i64s(r->a, l.course);
		p[2] = db_i64s(r->a, l.id);
		if ((n = db_exec(r->db, STMT_LEARNING_LESSON_VISIT, 3, p)) < 0)
			return page_db_status(n);
		if (n == 1) {
			l.status = arena_strdup(r->a, db_str(r->db, 0, 0));
			l.seconds = (long)db_i64(r->db, 0, 1);
		}
		if ((n = page_course_load(r, l.course, &c)) < 0)
			return page_db_status(n);
		if (n == 1) {
			view_set_int(v, "percent", page_course_percent(&c));
			view_set_int(v, "ndone", c.ndone);
		}
		view_set(v, "progress_url", arena_printf(r->a,
		    "/api/v1/lessons/%lld/progress", (long long)l.id));
	}
	if ((n = set_quizzes(r, v, l.id)) < 0)
		return page_db_status(n);
	if (enrolled(&l) && (n = set_media(r, v, l.id,
	    strcmp(l.kind, "video") == 0)) < 0)
		return page_db_status(n);
	view_set(v, "title", l.title);
	view_set(v, "kind", l.kind);
	view_set(v, "module", l.module);
	view_set(v, "minutes", page_minutes_label(r->a, l.minutes));
	view_set_raw(v, "body", markdown_html(r->a, l.body, strlen(l.body)));
	view_set(v, "course_url", arena_printf(r->a, "/courses/%lld",
	    (long long)l.course));
	view_set(v, "course_title", l.course_title);
	view_set_int(v, "pos", l.pos);
	view_set_int(v, "count", l.count);
	if (l.prev != 0) {
		view_set(v, "prev_url", url(r, l.course, l.prev));
		view_set(v, "prev_title", l.prev_title);
	}
	if (l.next != 0) {
		view_set(v, "next_url", url(r, l.course, l.next));
		view_set(v, "next_title", l.next_title);
	}
	view_set_bool(v, "enrolled", enrolled(&l));
	view_set_bool(v, "done", strcmp(l.status, "completed") == 0);
	view_set_bool(v, "can_enrol", !enrolled(&l) &&
	    strcmp(l.course_status, "published") == 0);
	if (l.seconds > 0)
		view_set(v, "time", l.seconds < 60 ? arena_printf(r->a,
		    "%ld s", l.seconds) : page_minutes_label(r->a,
		    l.seconds / 60));
	view_set(v, "csrf", r->csrf);
	view_set(v, "complete_action", arena_printf(r->a, "%s/complete",
	    url(r, l.course, l.id)));
	view_set(v, "enroll_action", arena_printf(r->a,
	    "/courses/%lld/enroll", (long long)l.course));
	if (http_param(r, "done") != NULL && strcmp(l.status, "completed") ==
	    0)
		r->flash = "Lesson marked complete.";
	return http_page_nav(r, TMPL_LESSON, v, l.title, TMPL_NAV_CATALOG);
}

int
page_lesson_complete(struct req *r)
{
	struct lesson l;
	int n, done_lesson, done_course;

	if ((n = load(r, r->pathid[1], &l)) < 0)
		return page_db_status(n);
	if (n == 0 || l.course != r->pathid[0])
		return http_error(r, 404, "There is no such lesson, or its "
		    "course is not published.");
	if (!enrolled(&l))
		return http_error(r, 403, "Enrol in this course before "
		    "marking its lessons complete.");
	if ((n = record(r, &l, 0, 1, 1, &done_lesson, &done_course)) < 0)
		return page_db_status(n);
	if (done_course)
		return http_redirect(r, arena_printf(r->a,
		    "/courses/%lld?completed=1", (long long)l.course));
	return http_redirect(r, arena_printf(r->a, "%s?done=1",
	    url(r, l.course, l.id)));
}

int
page_api_lesson_progress(struct req *r)
{
	const struct http_form *f = &r->form;
	struct course_info c;
	struct lesson l;
	long seconds;
	int n, done_lesson, done_course;

	if (f->nerr > 0)
		return http_error(r, 400, http_form_error(f));
	if ((n = load(r, r->pathid[0], &l)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if (n == 0)
		return http_error(r, 404, "There is no such lesson, or its "
		    "course is not published.");
	if (!enrolled(&l))
		return http_error(r, 403, "You are not enrolled in the "
		    "course of this lesson: enrol before recording progress.");
	seconds = f->present[F_PROG_SECONDS] ? (long)f->i64[F_PROG_SECONDS] :
	    0;
	if (seconds > REPORT_MAX)
		seconds = REPORT_MAX;
	n = record(r, &l, seconds, f->present[F_PROG_COMPLETED] &&
	    f->i64[F_PROG_COMPLETED] == 1, 0, &done_lesson, &done_course);
	if (n < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	if ((n = load(r, l.id, &l)) <= 0 ||
	    (n = page_course_load(r, l.course, &c)) <= 0)
		return http_error(r, n < 0 ? page_db_status(n) : 404,
		    "Try again shortly.");
	json_begin(r);
	json_i64(r, "lesson_id", l.id);
	json_i64(r, "course_id", l.course);
	json_str(r, "status", l.status);
	json_i64(r, "time_spent_seconds", l.seconds);
	json_i64(r, "seconds_added", seconds);
	json_bool(r, "lesson_completed_now", done_lesson);
	json_i64(r, "course_percent_complete", page_course_percent(&c));
	json_str(r, "enrollment_status", c.enrol);
	json_end(r);
	return http_json(r, 200);
}
