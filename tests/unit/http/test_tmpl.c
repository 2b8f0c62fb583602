/*
 * tmpl and view: escaping by default, every template lexes, the layout's
 * navigation per role, row partials, the documented variable contract, no
 * half page on error, and concurrent renders of one kept tree.
 *
 * Run from the repository root (templates are read from "templates").
 * With TMPL_DUMP_DIR set, the contract test also writes each rendered page
 * there (for the HTML validator and axe runs).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/tmpl.h"
#include "http/view.h"

static struct arena arena;

static int
setup(void **state)
{
	arena_init(&arena, 0);
	return tmpl_init("templates");
}

static int
teardown(void **state)
{
	tmpl_free();
	arena_free(&arena);
	return 0;
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
error_view(struct view *v, const char *title)
{
	view_set_int(v, "status", 404);
	view_set(v, "title", title);
	view_set(v, "message", "There is no such page.");
}

/* Each file in a scratch directory lexes but one; init must fail, name
 * the file, keep nothing, and a later init of the real directory works. */
static void
init_fails_on_bad_template(void **state)
{
	char dir[] = "/tmp/test_tmpl.XXXXXX";
	char path[256];
	FILE *f;
	int i;

	tmpl_free();
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < TMPL__MAX; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, tmpl_name(i));
		assert_non_null(f = fopen(path, "w"));
		fputs(i == TMPL_DASHBOARD ? "<p>{if x}unclosed</p>" : "<p>ok</p>",
		    f);
		fclose(f);
	}
	assert_int_equal(tmpl_init(dir), -1);
	/* nothing kept: rendering anything fails */
	{
		struct buf b;
		struct view *v = view_new(&arena);

		buf_init(&b);
		assert_int_equal(tmpl_render(TMPL_LANDING, v, &b), -1);
		buf_free(&b);
	}
	for (i = 0; i < TMPL__MAX; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, tmpl_name(i));
		unlink(path);
	}
	rmdir(dir);
	assert_int_equal(tmpl_init("/nonexistent/templates"), -1);
	assert_int_equal(tmpl_init("templates"), 0);
}

static void
set_escapes_by_default(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	error_view(v, "<script>alert('x') & \"y\"</script>");
	assert_int_equal(tmpl_render(TMPL_ERROR, v, &b), 0);
	assert_non_null(strstr(b.p, "&lt;script&gt;alert(&#39;x&#39;) &amp; "
	    "&quot;y&quot;&lt;/script&gt;"));
	assert_null(strstr(b.p, "<script>"));
	buf_free(&b);
}

static void
setf_escapes(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	view_set_int(v, "status", 500);
	view_setf(v, "title", "%s%d", "<b>", 7);
	view_set(v, "message", NULL);
	assert_int_equal(tmpl_render(TMPL_ERROR, v, &b), 0);
	assert_non_null(strstr(b.p, "&lt;b&gt;7"));
	assert_null(strstr(b.p, "<b>"));
	buf_free(&b);
}

static void
set_raw_does_not_escape(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	view_set(v, "name", "Ann");
	view_set(v, "role", "Learner");
	view_set_raw(v, "courses", "<li><script>r()</script></li>");
	assert_int_equal(tmpl_render(TMPL_DASHBOARD, v, &b), 0);
	assert_non_null(strstr(b.p, "<li><script>r()</script></li>"));
	buf_free(&b);
}

/* The last of two values set under one name wins. */
static void
last_set_wins(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	error_view(v, "first");
	view_set(v, "title", "second");
	assert_int_equal(tmpl_render(TMPL_ERROR, v, &b), 0);
	assert_non_null(strstr(b.p, "second"));
	assert_null(strstr(b.p, "first"));
	buf_free(&b);
}

struct role_case {
	enum tmpl_role	 role;
	int		 dashboard, catalog, account, teach, admin;
	int		 login, reg, signout;
};

static void
layout_nav_by_role(void **state)
{
	static const struct role_case cases[] = {
		{ TMPL_ROLE_ANON, 0, 0, 0, 0, 0, 1, 1, 0 },
		{ TMPL_ROLE_LEARNER, 1, 1, 1, 0, 0, 0, 0, 1 },
		{ TMPL_ROLE_INSTRUCTOR, 1, 1, 1, 1, 0, 0, 0, 1 },
		{ TMPL_ROLE_ADMIN, 1, 1, 1, 1, 1, 0, 0, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct role_case *c = &cases[i];
		struct tmpl_layout l = { 0 };
		struct view *v = view_new(&arena);
		struct buf b;

		buf_init(&b);
		error_view(v, "Not found");
		l.title = "Not found";
		l.role = c->role;
		if (c->role != TMPL_ROLE_ANON) {
			l.user_name = "Ann <Admin>";
			l.csrf = "tok123";
		}
		assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
		assert_int_equal(count(b.p, "href=\"/dashboard\""), c->dashboard);
		assert_int_equal(count(b.p, "href=\"/catalog\""), c->catalog);
		assert_int_equal(count(b.p, "href=\"/account\""), c->account);
		assert_int_equal(count(b.p, "href=\"/teach\""), c->teach);
		assert_int_equal(count(b.p, "href=\"/admin\""), c->admin);
		assert_int_equal(count(b.p, "href=\"/login\""), c->login);
		assert_int_equal(count(b.p, "href=\"/register\""), c->reg);
		assert_int_equal(count(b.p, "action=\"/logout\""), c->signout);
		assert_int_equal(count(b.p, "name=\"csrf\" value=\"tok123\""),
		    c->signout);
		assert_int_equal(count(b.p, "Ann &lt;Admin&gt;"), c->signout);
		assert_int_equal(count(b.p, "<h1"), 1);
		assert_non_null(strstr(b.p, "<title>Not found · Adept</title>"));
		assert_int_equal(strncmp(b.p, "<!DOCTYPE html>", 15), 0);
		assert_non_null(strstr(b.p, "</html>\n"));
		buf_free(&b);
	}
}

static void
layout_flash_and_current(void **state)
{
	struct tmpl_layout l = { 0 };
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	error_view(v, "x");
	l.title = "t";
	l.role = TMPL_ROLE_LEARNER;
	l.nav = TMPL_NAV_CATALOG;
	l.flash = "Saved & done";
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_non_null(strstr(b.p, "role=\"status\">Saved &amp; done<"));
	assert_null(strstr(b.p, "role=\"alert\""));
	assert_non_null(strstr(b.p,
	    "href=\"/catalog\" aria-current=\"page\""));
	assert_int_equal(count(b.p, "aria-current"), 1);

	buf_reset(&b);
	l.flash_error = 1;
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_non_null(strstr(b.p, "role=\"alert\">Saved &amp; done<"));

	buf_reset(&b);
	l.flash = NULL;
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_null(strstr(b.p, "class=\"flash"));
	buf_free(&b);
}

/* A page body already rendered goes between the layout's head and foot
 * as it is, byte for byte, exactly where the template's render would go. */
static void
page_html_between_layout(void **state)
{
	struct tmpl_layout l = { 0 };
	struct view *v = view_new(&arena);
	struct buf a, b;
	const char *body = "<p>Kept &amp; spliced</p>\n";
	size_t head;

	buf_init(&a);
	buf_init(&b);
	error_view(v, "x");
	l.title = "Dash & co";
	l.role = TMPL_ROLE_LEARNER;
	l.user_name = "Ada <L>";
	l.nav = TMPL_NAV_DASHBOARD;
	assert_int_equal(tmpl_render(TMPL_ERROR, v, &a), 0);
	head = a.len;
	buf_reset(&a);
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &a), 0);
	buf_puts(&b, "previous ");
	assert_int_equal(tmpl_render_page_html(body, strlen(body), &l,
	    &arena, &b), 0);
	assert_memory_equal(b.p, "previous ", 9);
	assert_non_null(strstr(b.p, "<title>Dash &amp; co"));
	assert_non_null(strstr(b.p, "Ada &lt;L&gt;"));
	assert_int_equal(count(b.p, body), 1);
	/* The same page as the template's, with the body in its place. */
	assert_int_equal(b.len - 9 - strlen(body), a.len - head);
	assert_non_null(strstr(a.p, "</html>"));
	assert_string_equal(strstr(b.p, "</main>"), strstr(a.p, "</main>"));
	buf_free(&a);
	buf_free(&b);
}

/* The thread keeps the heads it rendered (tmpl.c): a page rendered again
 * from the same layout is the same, and any field that differs (the user,
 * the form token, the bell's count, the title) gives that field's head,
 * with no field read as part of another. */
static void
layout_heads_are_per_layout(void **state)
{
	struct tmpl_layout l = { 0 };
	struct view *v = view_new(&arena);
	struct buf first, b;

	buf_init(&first);
	buf_init(&b);
	error_view(v, "x");
	l.title = "Page";
	l.role = TMPL_ROLE_LEARNER;
	l.user_name = "Ann";
	l.csrf = "tokA";
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &first), 0);
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_string_equal(b.p, first.p);

	buf_reset(&b);
	l.user_name = "Bob";
	l.csrf = "tokB";
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_non_null(strstr(b.p, ">Bob <"));
	assert_null(strstr(b.p, "Ann"));
	assert_non_null(strstr(b.p, "value=\"tokB\""));
	assert_null(strstr(b.p, "tokA"));
	buf_reset(&b);
	l.csrf = "tokC";	/* only the form token differs */
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_non_null(strstr(b.p, "value=\"tokC\""));

	/* The same characters split differently between two fields. */
	buf_reset(&b);
	l.title = "PageAn";
	l.user_name = "n";
	l.csrf = "tokA";
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_non_null(strstr(b.p, "<title>PageAn · Adept</title>"));
	assert_string_not_equal(b.p, first.p);

	buf_reset(&b);
	l.title = "Page";
	l.user_name = "Ann";
	l.unread = 3;
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), 0);
	assert_string_not_equal(b.p, first.p);

	/* Around a page already rendered: the same head and foot. */
	buf_reset(&b);
	l.unread = 0;
	assert_int_equal(tmpl_render_page_html("<p>kept</p>", 11, &l, &arena,
	    &b), 0);
	assert_non_null(strstr(b.p, "<p>kept</p>"));
	assert_int_equal(strncmp(b.p, first.p, strstr(b.p, "<p>kept</p>") -
	    b.p), 0);
	assert_non_null(strstr(b.p, "</html>\n"));
	buf_free(&first);
	buf_free(&b);
}

static void
row_partials_join(void **state)
{
	static const char *titles[] = { "Algebra", "Biology & Co", "Chess" };
	struct view *rv = view_new(&arena), *v = view_new(&arena);
	struct buf acc, b;
	const char *a, *bb, *c;
	int i;

	buf_init(&acc);
	buf_init(&b);
	for (i = 0; i < 3; i++) {
		view_clear(rv);
		view_setf(rv, "url", "/courses/%d", i + 1);
		view_set(rv, "title", titles[i]);
		view_set_int(rv, "progress", i * 40);
		assert_int_equal(tmpl_render_row(TMPL_ROW_COURSE, rv, &acc), 0);
	}
	assert_int_equal(count(acc.p, "<li class=\"course\">"), 3);
	view_set(v, "name", "Ann");
	view_set(v, "role", "Learner");
	view_set_raw(v, "courses", acc.p);
	buf_free(&acc);		/* the view holds its own copy */
	assert_int_equal(tmpl_render(TMPL_DASHBOARD, v, &b), 0);
	a = strstr(b.p, ">Algebra</a>");
	bb = strstr(b.p, ">Biology &amp; Co</a>");
	c = strstr(b.p, ">Chess</a>");
	assert_true(a != NULL && bb != NULL && c != NULL && a < bb && bb < c);
	assert_non_null(strstr(b.p, "href=\"/courses/2\""));
	assert_non_null(strstr(b.p, "value=\"80\""));
	assert_non_null(strstr(b.p, "80% complete"));
	assert_null(strstr(b.p, "Browse the catalog"));
	buf_free(&b);
}

static void
dashboard_empty_state(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	view_set(v, "name", "Ann");
	view_set(v, "role", "Learner");
	assert_int_equal(tmpl_render(TMPL_DASHBOARD, v, &b), 0);
	assert_non_null(strstr(b.p, "href=\"/catalog\""));
	assert_non_null(strstr(b.p, "Browse the catalog"));
	assert_null(strstr(b.p, "course-list"));
	buf_free(&b);
}

/* A missing variable fails the render and leaves the buffer exactly as it
 * was, also when the layout head had already been written. */
static void
render_error_leaves_no_half_page(void **state)
{
	struct tmpl_layout l = { 0 };
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "PREFIX");
	view_set_int(v, "status", 404);
	view_set(v, "title", "Not found");	/* "message" missing */
	assert_int_equal(tmpl_render(TMPL_ERROR, v, &b), -1);
	assert_int_equal(b.len, 6);
	assert_string_equal(b.p, "PREFIX");

	l.title = "Not found";
	assert_int_equal(tmpl_render_page(TMPL_ERROR, v, &l, &b), -1);
	assert_string_equal(b.p, "PREFIX");

	/* row partial: one bad row leaves the rows before it intact */
	view_clear(v);
	view_set(v, "url", "/courses/1");
	view_set(v, "title", "A");
	view_set_int(v, "progress", 10);
	assert_int_equal(tmpl_render_row(TMPL_ROW_COURSE, v, &b), 0);
	view_clear(v);
	view_set(v, "title", "B");
	assert_int_equal(tmpl_render_row(TMPL_ROW_COURSE, v, &b), -1);
	assert_null(strstr(b.p, ">B<"));
	assert_non_null(strstr(b.p, ">A</a>"));

	buf_reset(&b);
	assert_int_equal(tmpl_render(TMPL__MAX, v, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/* A string compared with a number is a CTPL evaluation error, not only a
 * lookup error: also -1 with the buffer unchanged. */
static void
type_error_is_render_error(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	view_set(v, "csrf", "t");
	view_set_int(v, "user_count", 0);
	view_set_int(v, "role", 3);	/* template compares role to strings */
	assert_int_equal(tmpl_render(TMPL_ADMIN_USERS, v, &b), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
login_optional_defaults_and_errors(void **state)
{
	struct view *v = view_new(&arena);
	struct buf b;

	buf_init(&b);
	view_set(v, "csrf", "tok");
	assert_int_equal(tmpl_render(TMPL_LOGIN, v, &b), 0);
	assert_null(strstr(b.p, "aria-invalid"));
	assert_null(strstr(b.p, "role=\"alert\""));
	assert_null(strstr(b.p, "name=\"next\""));
	assert_non_null(strstr(b.p, "name=\"csrf\" value=\"tok\""));

	buf_reset(&b);
	view_set(v, "email", "a\"b@example.org");
	view_set(v, "email_error", "Enter an e-mail address.");
	view_set(v, "form_error", "Wrong e-mail or password.");
	view_set(v, "next", "/catalog");
	assert_int_equal(tmpl_render(TMPL_LOGIN, v, &b), 0);
	assert_non_null(strstr(b.p, "value=\"a&quot;b@example.org\""));
	assert_non_null(strstr(b.p, "aria-describedby=\"email-error\""));
	assert_non_null(strstr(b.p, "Enter an e-mail address."));
	assert_non_null(strstr(b.p, "role=\"alert\">Wrong e-mail or password."));
	assert_non_null(strstr(b.p, "name=\"next\" value=\"/catalog\""));
	/* the password input never carries a value */
	assert_null(strstr(strstr(b.p, "name=\"password\""), "value="));
	assert_int_equal(count(b.p, "aria-invalid"), 1);
	buf_free(&b);
}

static void
admin_role_preselected(void **state)
{
	struct view *v = view_new(&arena), *rv = view_new(&arena);
	struct buf b, rows;

	buf_init(&b);
	buf_init(&rows);
	view_set_int(rv, "id", 7);
	view_set(rv, "name", "Bo");
	view_set(rv, "email", "bo@example.org");
	view_set(rv, "role", "admin");
	view_set(rv, "created", "2026-11-25");
	view_set_bool(rv, "active", 1);
	assert_int_equal(tmpl_render_row(TMPL_ROW_USER, rv, &rows), 0);
	view_set(v, "csrf", "t");
	view_set_int(v, "user_count", 1);
	view_set_int(v, "page", 1);
	view_set_raw(v, "users", rows.p);
	view_set(v, "role", "instructor");
	assert_int_equal(tmpl_render(TMPL_ADMIN_USERS, v, &b), 0);
	assert_non_null(strstr(b.p,
	    "<td>7</td><td><a href=\"/admin/users/7\">Bo</a></td>"));
	assert_non_null(strstr(b.p, "<td>Active</td>"));
	assert_non_null(strstr(b.p, "value=\"instructor\" selected>"));
	assert_int_equal(count(b.p, " selected>"), 1);
	buf_free(&rows);
	buf_free(&b);
}

/*
 * The contract in tmpl.h: each page renders inside the layout with exactly
 * its documented variables (required and optional), for every role.
 */
/* full: every documented variable; otherwise the required ones only. */
static void
fill(enum tmpl id, struct view *v, int full)
{
	switch (id) {
	case TMPL_LANDING:
		if (full)
			view_set_bool(v, "signed_in", 1);
		break;
	case TMPL_LOGIN:
		view_set(v, "csrf", "c");
		if (!full)
			break;
		view_set(v, "email", "ann@example.org");
		view_set(v, "next", "/dashboard");
		view_set(v, "email_error", "Check this address.");
		view_set(v, "password_error", "Enter your password.");
		view_set(v, "form_error", "Wrong e-mail or password.");
		break;
	case TMPL_REGISTER:
		view_set(v, "csrf", "c");
		if (!full)
			break;
		view_set(v, "name", "Ann");
		view_set(v, "email", "ann@example.org");
		view_set(v, "name_error", "Too long.");
		view_set(v, "email_error", "Taken.");
		view_set(v, "password_error", "Too short.");
		view_set(v, "confirm_error", "Does not match.");
		view_set(v, "form_error", "Fix the fields below.");
		break;
	case TMPL_DASHBOARD:
		view_set(v, "name", "Ann");
		view_set(v, "role", "Learner");
		if (full)
			view_set_raw(v, "courses", "<li class=\"course\"><a "
			    "class=\"course-title\" href=\"/courses/1\">A</a> "
			    "<span class=\"course-progress\">10% complete"
			    "</span></li>\n");
		break;
	case TMPL_ROW_COURSE:
		view_set(v, "url", "/courses/1");
		view_set(v, "title", "A");
		view_set_int(v, "progress", 50);
		break;
	case TMPL_ACCOUNT:
		view_set(v, "csrf", "c");
		view_set(v, "name", "Ann");
		view_set(v, "email", "ann@example.org");
		if (!full)
			break;
		view_set(v, "current_error", "Wrong password.");
		view_set(v, "new_error", "Too short.");
		view_set(v, "confirm_error", "Does not match.");
		view_set(v, "form_error", "Fix the fields below.");
		break;
	case TMPL_ADMIN_USERS:
		view_set(v, "csrf", "c");
		view_set_int(v, "user_count", full);
		view_set_int(v, "page", 1);
		if (!full)
			break;
		view_set_raw(v, "users", "<tr><td>1</td><td>Ann</td><td>a@b.c"
		    "</td><td>admin</td><td>2026-11-25</td></tr>\n");
		view_set(v, "name", "Bo");
		view_set(v, "email", "bo@example.org");
		view_set(v, "role", "admin");
		view_set(v, "name_error", "Required.");
		view_set(v, "email_error", "Taken.");
		view_set(v, "password_error", "Too short.");
		view_set(v, "role_error", "Pick a role.");
		view_set(v, "form_error", "Fix the fields below.");
		break;
	case TMPL_ROW_USER:
		view_set_int(v, "id", 1);
		view_set(v, "name", "Ann");
		view_set(v, "email", "a@b.c");
		view_set(v, "role", "admin");
		view_set(v, "created", "2026-11-25");
		view_set_bool(v, "active", full);
		break;
	case TMPL_ERROR:
		error_view(v, "Not found");
		break;
	default:
		break;
	}
}

static void
dump(const char *name, const struct buf *b)
{
	const char *dir = getenv("TMPL_DUMP_DIR");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fwrite(b->p, 1, b->len, f);
	fclose(f);
}

static void
every_template_renders_its_contract(void **state)
{
	static const enum tmpl pages[] = { TMPL_LANDING, TMPL_LOGIN,
	    TMPL_REGISTER, TMPL_DASHBOARD, TMPL_ACCOUNT, TMPL_ADMIN_USERS,
	    TMPL_ERROR };
	static const char *rolename[] = { "anon", "learner", "instructor",
	    "admin" };
	struct tmpl_layout l = { 0 };
	char name[128];
	size_t i;
	int r;

	for (i = 0; i < 2 * sizeof(pages) / sizeof(pages[0]); i++) {
		int full = i % 2;
		enum tmpl id = pages[i / 2];

		for (r = TMPL_ROLE_ANON; r <= TMPL_ROLE_ADMIN; r++) {
			struct view *v = view_new(&arena);
			struct buf b;

			buf_init(&b);
			fill(id, v, full);
			l.title = tmpl_name(id);
			l.role = r;
			l.user_name = r ? "Ann" : NULL;
			l.csrf = r ? "c" : NULL;
			l.flash = (r == TMPL_ROLE_LEARNER) ? "Welcome back." :
			    (r == TMPL_ROLE_ADMIN && full) ? "Not saved." : NULL;
			l.flash_error = r == TMPL_ROLE_ADMIN;
			l.nav = TMPL_NAV_DASHBOARD;
			assert_int_equal(tmpl_render_page(id, v, &l, &b), 0);
			assert_int_equal(count(b.p, "<h1"), 1);
			assert_int_equal(count(b.p, "<main"), 1);
			snprintf(name, sizeof(name), "%s-%s-%s", rolename[r],
			    full ? "full" : "min", tmpl_name(id));
			dump(name, &b);
			buf_free(&b);
		}
	}
	for (i = 0; i < 2; i++) {
		struct view *v = view_new(&arena);
		struct buf b;
		enum tmpl id = i ? TMPL_ROW_USER : TMPL_ROW_COURSE;

		buf_init(&b);
		fill(id, v, 1);
		assert_int_equal(tmpl_render_row(id, v, &b), 0);
		buf_free(&b);
	}
}

/*
 * Concurrent renders of the same kept trees, each thread with its own
 * arena, views (hence environments) and buffer, must give byte-identical
 * output to a single-threaded render.
 */
#define NTHREADS	4
#define NRENDERS	500

static int
render_dashboard(struct arena *a, struct buf *out)
{
	struct tmpl_layout l = { 0 };
	struct view *v = view_new(a), *rv = view_new(a);
	struct buf acc;
	int i, rc = 0;

	buf_init(&acc);
	for (i = 0; i < 20 && rc == 0; i++) {
		view_clear(rv);
		view_setf(rv, "url", "/courses/%d", i);
		view_setf(rv, "title", "Course <%d> & more", i);
		view_set_int(rv, "progress", i * 5);
		rc = tmpl_render_row(TMPL_ROW_COURSE, rv, &acc);
	}
	view_set(v, "name", "Ann O'Neil");
	view_set(v, "role", "Learner");
	view_set_raw(v, "courses", acc.p);
	buf_free(&acc);
	l.title = "Dashboard";
	l.role = TMPL_ROLE_LEARNER;
	l.user_name = "Ann O'Neil";
	l.csrf = "csrf-token";
	l.nav = TMPL_NAV_DASHBOARD;
	if (rc == 0)
		rc = tmpl_render_page(TMPL_DASHBOARD, v, &l, out);
	return rc;
}

struct worker {
	pthread_t	 t;
	const char	*want;
	int		 bad;
};

static void *
worker(void *arg)
{
	struct worker *w = arg;
	struct arena a;
	struct buf b;
	int i;

	arena_init(&a, 0);
	buf_init(&b);
	for (i = 0; i < NRENDERS; i++) {
		arena_reset(&a);
		buf_reset(&b);
		if (render_dashboard(&a, &b) != 0 || strcmp(b.p, w->want) != 0)
			w->bad++;
	}
	buf_free(&b);
	arena_free(&a);
	return NULL;
}

static void
concurrent_renders_match(void **state)
{
	struct worker w[NTHREADS];
	struct buf want;
	int i;

	buf_init(&want);
	assert_int_equal(render_dashboard(&arena, &want), 0);
	assert_int_equal(count(want.p, "<li class=\"course\">"), 20);
	for (i = 0; i < NTHREADS; i++) {
		w[i].want = want.p;
		w[i].bad = 0;
		assert_int_equal(pthread_create(&w[i].t, NULL, worker, &w[i]),
		    0);
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(w[i].t, NULL);
		assert_int_equal(w[i].bad, 0);
	}
	buf_free(&want);
}

static void
role_from_name(void **state)
{
	assert_int_equal(tmpl_role_from_name("learner"), TMPL_ROLE_LEARNER);
	assert_int_equal(tmpl_role_from_name("instructor"),
	    TMPL_ROLE_INSTRUCTOR);
	assert_int_equal(tmpl_role_from_name("admin"), TMPL_ROLE_ADMIN);
	assert_int_equal(tmpl_role_from_name("Admin"), TMPL_ROLE_ANON);
	assert_int_equal(tmpl_role_from_name(NULL), TMPL_ROLE_ANON);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(init_fails_on_bad_template),
		cmocka_unit_test(set_escapes_by_default),
		cmocka_unit_test(setf_escapes),
		cmocka_unit_test(set_raw_does_not_escape),
		cmocka_unit_test(last_set_wins),
		cmocka_unit_test(layout_nav_by_role),
		cmocka_unit_test(layout_flash_and_current),
		cmocka_unit_test(page_html_between_layout),
		cmocka_unit_test(layout_heads_are_per_layout),
		cmocka_unit_test(row_partials_join),
		cmocka_unit_test(dashboard_empty_state),
		cmocka_unit_test(render_error_leaves_no_half_page),
		cmocka_unit_test(type_error_is_render_error),
		cmocka_unit_test(login_optional_defaults_and_errors),
		cmocka_unit_test(admin_role_preselected),
		cmocka_unit_test(every_template_renders_its_contract),
		cmocka_unit_test(concurrent_renders_match),
		cmocka_unit_test(role_from_name),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
