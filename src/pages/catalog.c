/*
 * catalog: the learner's course catalog (GET /catalog) and its JSON twin
 * (GET /api/v1/courses): published courses filtered by skill, level,
 * language and duration, searched with PostgreSQL full-text search, 20 to a
 * page.
 *
 * The design decision: the search text goes to SQL as a plain parameter and
 * catalog_search_queries() (migrations 004, 028) makes the tsquery there,
 * in each course's language, so no query syntax is ever assembled from
 * user input in C.  Snippets come from
 * ts_headline with chr(1)/chr(2) as the highlight marks; here the whole
 * snippet is HTML-escaped and only then are the marks turned into <mark>
 * elements, so nothing from a course's text reaches the page unescaped.
 * A page is one statement (sql/queries/catalog.sql): the courses, the
 * match count and the catalog's version come back as rows of one shape,
 * told apart by their first column.  A search asks the search cache
 * first (catalog_search_hit, a small statement) and runs the whole search
 * only when the cache has not got the page.  The skill and language choices of the
 * filters (hundreds of options) are rendered once per catalog version and
 * thread, and read again only when the version has moved.
 *
 * Each thread also keeps the pages it rendered (the HTML between the
 * layout's head and foot, or the JSON body: nothing personal is in them)
 * under the catalog version they were read at, and serves a page again
 * without a statement while that version is current.  It knows the
 * version without asking: migration 036 announces every move on the
 * channel adept_catalog, which each thread follows on its own connection
 * (src/http/listen.h), and a thread that hears of a move, its own commit
 * included, raises a version shared by all the workers of the host before
 * its response goes out, so a catalogue edit made through the site holds
 * from the very next request.  One made elsewhere holds once PostgreSQL
 * has delivered the notification (normally well under a millisecond), and
 * whatever happens a page is served at most KEPT_TTL seconds without its
 * version read from PostgreSQL again.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "http/listen.h"
#include "http/view.h"
#include "pages/pages.h"

#define PER_PAGE	20	/* catalog.sql's LIMIT 20 and 21 */
#define D		2	/* the first data column of a row */
#define KEPT_SLOTS	256	/* pages kept per thread, two per key's set */
#define KEPT_TTL	10	/* seconds a kept page is trusted unconfirmed */

const char *const page_catalog_levels[] = {
	"beginner", "intermediate", "advanced", NULL
};
static const char *const level_labels[] = {
	"Beginner", "Intermediate", "Advanced"
};

/* Estimated-hours ranges: [lo, hi) in hours, hi 0 = no upper bound. */
const char *const page_catalog_durations[] = {
	"lt2", "2to5", "5to10", "10plus", NULL
};
static const struct {
	const char	*label;
	const char	*lo, *hi;
} durations[] = {
	{ "Under 2 hours", NULL, "2" },
	{ "2 to 5 hours", "2", "5" },
	{ "5 to 10 hours", "5", "10" },
	{ "10 hours or more", "10", NULL },
};

/* One catalog request's inputs and results. */
struct catalog {
	const char	*q;		/* "" = no search */
	int64_t		 skill;		/* 0 = any */
	int		 level;		/* -1 = any */
	const char	*language;	/* "" = any */
	int		 duration;	/* -1 = any */
	long		 page;
	const char	*error;		/* a field's message, or NULL */
	const char	*notice;	/* why nothing matched, or NULL */
	int		 n;		/* rows on this page */
	long long	 total;		/* search: all matches; list: -1 */
	long		 terms;		/* search: terms in the query */
	int		 has_next;
	struct db_part	 rows;		/* the courses in the result */
	int64_t		 version;	/* the catalog's */
};

/*
 * The skill and language <option> lists as last rendered by this thread,
 * with the catalog version they belong to (0: none yet).  Process memory,
 * rewritten when a page sees another version: the choices change only
 * with the catalog (migration 032), in the transaction that moves its
 * version.  No option is selected here; mark_selected does that per page.
 */
static _Thread_local struct {
	int64_t		 version;
	struct buf	 skills, languages;
} choices;

/* A rendered page as kept by a thread: key, version 0 = empty. */
struct kept_page {
	int64_t		 version;	/* the catalog's it was read at */
	int64_t		 filled;	/* Unix seconds */
	struct buf	 key, body;
};

/*
 * This thread's kept pages (NULL: the thread does not keep any) and the
 * newest catalog version it knows of: 0 when its connection is new, until
 * a page's statement or a notification says.
 */
static _Thread_local struct {
	struct kept_page	*slot;		/* KEPT_SLOTS */
	int64_t			 known;
} kept;

/* The newest version any thread of this host knows of (shared memory). */
static _Atomic uint64_t *host_version;

const char *
page_level_label(const char *level)
{
	int i;

	for (i = 0; page_catalog_levels[i] != NULL; i++)
		if (strcmp(level, page_catalog_levels[i]) == 0)
			return level_labels[i];
	return level;
}

char *
page_snippet_html(struct arena *a, const char *s)
{
	struct buf b;
	const char *run;
	char *out;
	int open = 0;

	buf_init(&b);
	buf_puts(&b, "");
	for (run = s; ; s++) {
		if (*s != '\0' && *s != '\1' && *s != '\2')
			continue;
		buf_put_html(&b, run, (size_t)(s - run));
		if (*s == '\0')
			break;
		if (*s == '\1' && !open) {
			buf_puts(&b, "<mark>");
			open = 1;
		} else if (*s == '\2' && open) {
			buf_puts(&b, "</mark>");
			open = 0;
		}
		run = s + 1;
	}
	if (open)
		buf_puts(&b, "</mark>");
	out = arena_strndup(a, b.p, b.len);
	buf_free(&b);
	return out;
}

/* Appends "&name=value" (or "?name=value" first), value percent-encoded. */
static void
put_qs(struct buf *b, const char *name, const char *value)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	if (value == NULL || *value == '\0')
		return;
	buf_putc(b, b->len == 0 || strchr(b->p, '?') == NULL ? '?' : '&');
	buf_puts(b, name);
	buf_putc(b, '=');
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~')
			buf_putc(b, *p);
		else if (*p == ' ')
			buf_putc(b, '+');
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

/* The catalog URL with the current filters and page n. */
static const char *
page_url(struct req *r, const struct catalog *c, long n)
{
	struct buf b;
	const char *s;

	buf_init(&b);
	buf_puts(&b, "/catalog");
	put_qs(&b, "q", c->q);
	if (c->skill > 0)
		put_qs(&b, "skill", arena_printf(r->a, "%lld",
		    (long long)c->skill));
	if (c->level >= 0)
		put_qs(&b, "level", page_catalog_levels[c->level]);
	put_qs(&b, "language", c->language);
	if (c->duration >= 0)
		put_qs(&b, "duration", page_catalog_durations[c->duration]);
	if (n > 1)
		put_qs(&b, "page", arena_printf(r->a, "%ld", n));
	s = arena_strndup(r->a, b.p, b.len);
	buf_free(&b);
	return s;
}

static void
read_form(struct req *r, struct catalog *c)
{
	const struct http_form *f = &r->form;

	memset(c, 0, sizeof(*c));
	c->q = f->err[F_CAT_Q] ? "" : f->str[F_CAT_Q];
	c->skill = f->present[F_CAT_SKILL] && !f->err[F_CAT_SKILL] ?
	    f->i64[F_CAT_SKILL] : 0;
	c->level = f->present[F_CAT_LEVEL] && !f->err[F_CAT_LEVEL] ?
	    (int)f->i64[F_CAT_LEVEL] : -1;
	c->language = f->err[F_CAT_LANGUAGE] ? "" : f->str[F_CAT_LANGUAGE];
	c->duration = f->present[F_CAT_DURATION] && !f->err[F_CAT_DURATION] ?
	    (int)f->i64[F_CAT_DURATION] : -1;
	c->page = f->present[F_CAT_PAGE] && !f->err[F_CAT_PAGE] ?
	    (long)f->i64[F_CAT_PAGE] : 1;
	c->error = http_form_error(f);
	c->total = -1;
	c->terms = -1;	/* unknown until a search says */
}

/*
 * Runs the search (or the plain listing) for c; the rows stay in r->db.
 * Returns 0, or a db_err.
 */
static int
run_query(struct req *r, struct catalog *c)
{
	const char *p[7];
	int n, i;

	p[0] = c->skill > 0 ? db_i64s(r->a, c->skill) : NULL;
	p[1] = c->level >= 0 ? page_catalog_levels[c->level] : NULL;
	p[2] = *c->language != '\0' ? c->language : NULL;
	p[3] = c->duration >= 0 ? durations[c->duration].lo : NULL;
	p[4] = c->duration >= 0 ? durations[c->duration].hi : NULL;
	p[5] = db_i64s(r->a, (int64_t)(c->page - 1) * PER_PAGE);
	p[6] = c->q;
	if (*c->q == '\0')
		n = db_exec(r->db, STMT_CATALOG_LIST, 6, p);
	else if ((n = db_exec(r->db, STMT_CATALOG_SEARCH_HIT, 7, p)) >= 0 &&
	    db_part(r->db, n, 'q').first == n)
		/* Not in the search cache: the whole search. */
		n = db_exec(r->db, STMT_CATALOG_SEARCH, 7, p);
	if (n < 0)
		return n;
	c->rows = db_part(r->db, n, 'r');
	if ((i = db_part(r->db, n, 'v').first) < n)
		c->version = db_i64(r->db, i, D);
	if ((i = db_part(r->db, n, 'q').first) < n) {
		c->total = db_i64(r->db, i, D);
		c->terms = (long)db_i64(r->db, i, D + 1);
	}
	c->n = c->rows.end - c->rows.first;
	/* Without a language filter, words English ignores ("the and of")
	 * are no search: other languages' configurations would keep them
	 * and match any course that uses them, which nobody asked for. */
	if (*c->q != '\0' && c->terms == 0 && *c->language == '\0') {
		c->rows.end = c->rows.first;
		c->n = 0;
		c->total = 0;
	}
	if (c->total >= 0)
		c->has_next = c->n > 0 &&
		    (c->page - 1) * PER_PAGE + c->n < c->total;
	else
		c->has_next = c->n > PER_PAGE;
	if (c->n > PER_PAGE) {
		c->n = PER_PAGE;
		c->rows.end = c->rows.first + PER_PAGE;
	}
	return 0;
}

/* After an empty search: says why, when the text had no usable words. */
static void
explain_empty(struct catalog *c)
{
	if (c->n > 0 || *c->q == '\0')
		return;
	if (c->terms == 0)
		c->notice = "Your search has no words we can look for (only "
		    "very common words, punctuation or operators). Try a "
		    "more specific word.";
	else if (c->page > 1)
		c->notice = "There are no more results: this page is past "
		    "the last one.";
}

static void
put_option(struct buf *b, const char *value, const char *label,
    int selected)
{
	buf_puts(b, "<option value=\"");
	buf_put_html(b, value, strlen(value));
	buf_puts(b, selected ? "\" selected>" : "\">");
	buf_put_html(b, label, strlen(label));
	buf_puts(b, "</option>\n");
}

/*
 * Renders the skill and language choices (catalog_choices) into this
 * thread's lists, none selected.  Returns 0, or a db_err.
 */
static int
load_choices(struct req *r)
{
	struct db_part k, l;
	int n, i;

	if ((n = db_exec(r->db, STMT_CATALOG_CHOICES, 0, NULL)) < 0)
		return n;
	k = db_part(r->db, n, 'k');
	l = db_part(r->db, n, 'l');
	if (choices.version == 0) {
		buf_init(&choices.skills);
		buf_init(&choices.languages);
	}
	buf_reset(&choices.skills);
	buf_reset(&choices.languages);
	put_option(&choices.skills, "", "Any skill", 0);
	for (i = k.first; i < k.end; i++)
		put_option(&choices.skills, db_str(r->db, i, D),
		    db_str(r->db, i, D + 1), 0);
	put_option(&choices.languages, "", "Any language", 0);
	for (i = l.first; i < l.end; i++)
		put_option(&choices.languages, db_str(r->db, i, D),
		    db_str(r->db, i, D + 1), 0);
	i = db_part(r->db, n, 'v').first;
	choices.version = i < n ? db_i64(r->db, i, D) : 0;
	return 0;
}

/* A copy of the options html in the arena with the one whose value is
 * value (plain text: ids and language codes) selected. */
static const char *
mark_selected(struct arena *a, const struct buf *html, const char *value)
{
	const char *key, *at;
	char *out;
	size_t off;

	key = arena_printf(a, "<option value=\"%s\">", value);
	if ((at = strstr(html->p, key)) == NULL)
		return arena_strndup(a, html->p, html->len);
	off = (size_t)(at - html->p) + strlen(key) - 1;
	out = arena_alloc(a, html->len + sizeof(" selected"));
	memcpy(out, html->p, off);
	memcpy(out + off, " selected", sizeof(" selected") - 1);
	memcpy(out + off + sizeof(" selected") - 1, html->p + off,
	    html->len - off + 1);
	return out;
}

/*
 * The <option> lists of the filters, built here rather than with a row
 * template: they are our own markup around escaped text, and there can be
 * hundreds of skills on every catalog page.  The skills and languages come
 * from this thread's lists (load_choices).
 */
static void
filter_options(struct req *r, const struct catalog *c, struct view *v)
{
	struct buf b;
	int i;

	view_set_raw(v, "skill_options", mark_selected(r->a, &choices.skills,
	    c->skill > 0 ? arena_printf(r->a, "%lld", (long long)c->skill) :
	    ""));
	view_set_raw(v, "language_options", mark_selected(r->a,
	    &choices.languages, c->language));
	buf_init(&b);
	put_option(&b, "", "Any level", c->level < 0);
	for (i = 0; page_catalog_levels[i] != NULL; i++)
		put_option(&b, page_catalog_levels[i], level_labels[i],
		    c->level == i);
	view_set_raw(v, "level_options", b.p);
	buf_reset(&b);
	put_option(&b, "", "Any duration", c->duration < 0);
	for (i = 0; page_catalog_durations[i] != NULL; i++)
		put_option(&b, page_catalog_durations[i], durations[i].label,
		    c->duration == i);
	view_set_raw(v, "duration_options", b.p);
	buf_free(&b);
}

const char *
page_hours_label(struct arena *a, const char *hours)
{
	double h = strtod(hours, NULL);

	if (h == (long)h)
		return arena_printf(a, "%ld %s", (long)h, h == 1 ? "hour" :
		    "hours");
	return arena_printf(a, "%.1f hours", h);
}

/* ---- the kept pages ---------------------------------------------------- */

int
page_catalog_shared_init(void)
{
	if (host_version == NULL)
		host_version = listen_host_value();
	return host_version != NULL ? 0 : -1;
}

/* Version v is (or was) the catalog's: this thread and the host know. */
static void
raise_known(int64_t v)
{
	uint64_t h;

	if (v > kept.known)
		kept.known = v;
	if (host_version == NULL)
		return;
	h = atomic_load(host_version);
	while (h < (uint64_t)v &&
	    !atomic_compare_exchange_weak(host_version, &h, (uint64_t)v))
		;
}

/* listen.h's follower: adept_catalog announces each new version. */
static void
heard(void *arg, const char *payload, int own)
{
	long long v;
	char *end;

	(void)arg;
	(void)own;	/* the host hears of every move, whoever made it */
	v = strtoll(payload, &end, 10);
	if (*end != '\0' || v <= 0)
		kept.known = 0;	/* not a version: trust nothing kept */
	else
		raise_known(v);
}

static void
forget(void *arg)
{
	(void)arg;
	kept.known = 0;
}

int
page_catalog_follow(struct listen *ln)
{
	struct listen_follower f = {
		"adept_catalog", STMT_CATALOG_LISTEN, heard, forget, NULL
	};

	if (kept.slot == NULL &&
	    (kept.slot = calloc(KEPT_SLOTS, sizeof(*kept.slot))) == NULL)
		return -1;
	return listen_add(ln, &f);
}

/* The key of the page c asks for: kind 'h' (HTML) or 'j' (JSON), the
 * filters and page (digits and identifiers), the search text last. */
static const char *
kept_key(struct req *r, const struct catalog *c, char kind)
{
	return arena_printf(r->a, "%c%lld\x1f%d\x1f%s\x1f%d\x1f%ld\x1f%s",
	    kind, (long long)c->skill, c->level, c->language, c->duration,
	    c->page, c->q);
}

/* The two slots a key may be kept in. */
static struct kept_page *
kept_set(const char *key, size_t len)
{
	uint64_t h = 14695981039346656037ULL;	/* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211ULL;
	return &kept.slot[h % (KEPT_SLOTS / 2) * 2];
}

static int
kept_is(const struct kept_page *k, const char *key, size_t len)
{
	return k->version != 0 && k->key.len == len &&
	    memcmp(k->key.p, key, len) == 0;
}

/* Whether r's connection was listening before its statements ran, so
 * that what they read is announced when it changes. */
static int
listening(const struct req *r)
{
	return r->listen != NULL && r->db->conn != NULL &&
	    r->listen->listening == r->db->nconnect;
}

/*
 * Whether page k, kept KEPT_TTL seconds, is still of the current version,
 * asked of PostgreSQL (which tells this thread the version too): kept
 * pages do not trust notifications alone for longer, and confirming one
 * costs far less than rendering it again.
 */
static int
kept_confirm(struct req *r, struct kept_page *k)
{
	int64_t v;

	if (db_exec(r->db, STMT_CATALOG_VERSION_GET, 0, NULL) != 1 ||
	    !listening(r))
		return 0;
	v = db_i64(r->db, 0, 0);
	raise_known(v);
	if (v != k->version)
		return 0;
	k->filled = r->now;
	return 1;
}

/* The page kept under key if its version is the current one; or NULL. */
static const struct kept_page *
kept_get(struct req *r, const char *key)
{
	struct kept_page *k;
	size_t len = strlen(key);
	int64_t v, h;

	if (kept.slot == NULL || r->listen == NULL ||
	    listen_sync(r->listen, r->db) == -1 || kept.known == 0)
		return NULL;
	h = host_version != NULL ? (int64_t)atomic_load(host_version) : 0;
	v = h > kept.known ? h : kept.known;
	k = kept_set(key, len);
	if (!kept_is(k, key, len))
		k++;
	if (!kept_is(k, key, len) || k->version != v)
		return NULL;
	if ((r->now < k->filled || r->now - k->filled >= KEPT_TTL) &&
	    !kept_confirm(r, k))
		return NULL;
	return k;
}

/* Keeps page (len bytes) under key, read at the catalog's version. */
static void
kept_put(struct req *r, const char *key, int64_t version, const char *page,
    size_t len)
{
	struct kept_page *k;
	size_t klen = strlen(key);

	if (kept.slot == NULL || version <= 0 || !listening(r))
		return;
	raise_known(version);
	/* The key's own slot, else an empty one, else the older. */
	k = kept_set(key, klen);
	if (!kept_is(k, key, klen) && (kept_is(k + 1, key, klen) ||
	    (k->version != 0 && (k[1].version == 0 ||
	    k[1].filled < k->filled))))
		k++;
	if (k->version == 0) {
		buf_init(&k->key);
		buf_init(&k->body);
	}
	buf_reset(&k->key);
	buf_puts(&k->key, key);
	buf_reset(&k->body);
	buf_put(&k->body, page, len);
	k->version = version;
	k->filled = r->now;
}

static const char *
page_title(struct req *r, const struct catalog *c)
{
	return *c->q != '\0' ? arena_printf(r->a, "Search: %s", c->q) :
	    "Catalog";
}

int
page_catalog(struct req *r)
{
	struct view *v = view_new(r->a), *row = view_new(r->a);
	const struct kept_page *k;
	struct catalog c;
	struct buf rows;
	const char *lesson, *key = NULL;
	int n, i, status = 200;

	read_form(r, &c);
	if (c.error == NULL) {
		key = kept_key(r, &c, 'h');
		if ((k = kept_get(r, key)) != NULL)
			return http_page_html(r, k->body.p, k->body.len,
			    page_title(r, &c), TMPL_NAV_CATALOG);
	}
	if ((n = run_query(r, &c)) < 0)
		return page_db_status(n);
	if (choices.version == 0 || c.version != choices.version) {
		/* The choices changed: read them, then the page again. */
		if ((n = load_choices(r)) < 0 || (n = run_query(r, &c)) < 0)
			return page_db_status(n);
	}
	filter_options(r, &c, v);
	if (c.error != NULL) {
		/* The choices are shown again, the courses are not. */
		status = 400;
		c.n = 0;
		c.rows.end = c.rows.first;
		c.has_next = 0;
	}
	buf_init(&rows);
	buf_puts(&rows, "");
	for (i = c.rows.first; i < c.rows.end; i++) {
		view_clear(row);
		view_set(row, "url", arena_printf(r->a, "/courses/%lld",
		    (long long)db_i64(r->db, i, D)));
		view_set(row, "title", db_str(r->db, i, D + 1));
		view_set(row, "level", page_level_label(db_str(r->db, i, D + 2)));
		view_set(row, "language", db_str(r->db, i, D + 3));
		view_set(row, "hours", page_hours_label(r->a, db_str(r->db, i, D + 4)));
		view_set(row, "instructor", db_str(r->db, i, D + 5));
		view_set_raw(row, "snippet", page_snippet_html(r->a,
		    db_str(r->db, i, D + 6)));
		lesson = db_str(r->db, i, D + 7);
		if (lesson != NULL && *lesson != '\0')
			view_set(row, "lesson", lesson);
		if (tmpl_render_row(TMPL_ROW_CATALOG, row, &rows) == -1) {
			buf_free(&rows);
			return 500;
		}
	}
	if (c.error == NULL)
		explain_empty(&c);
	view_set_raw(v, "results", rows.p);
	view_set(v, "q", c.q);
	if (c.error != NULL)
		view_set(v, "error", c.error);
	if (c.notice != NULL)
		view_set(v, "notice", c.notice);
	if (*c.q != '\0' && c.error == NULL)
		view_set(v, "summary", c.total > 0 ? arena_printf(r->a,
		    "%lld %s %s \xe2\x80\x9c%s\xe2\x80\x9d, best match first.",
		    c.total, c.total == 1 ? "course" : "courses",
		    c.total == 1 ? "matches" : "match", c.q) :
		    arena_printf(r->a, "No published course matches "
		    "\xe2\x80\x9c%s\xe2\x80\x9d.", c.q));
	else if (c.error == NULL)
		view_set(v, "summary", c.n > 0 ? "Published courses, newest "
		    "first." : "No published course matches these filters.");
	view_set_int(v, "page", c.page);
	if (c.page > 1 && c.error == NULL)
		view_set(v, "prev_url", page_url(r, &c, c.page - 1));
	if (c.has_next && c.error == NULL)
		view_set(v, "next_url", page_url(r, &c, c.page + 1));
	r->status = status;
	/* The page apart from the layout, kept unless a field was refused
	 * (key NULL) or the choices are of another version than the rows. */
	buf_reset(&rows);
	if (tmpl_render(TMPL_CATALOG, v, &rows) == -1) {
		buf_free(&rows);
		return 500;
	}
	if (key != NULL && c.version == choices.version)
		kept_put(r, key, c.version, rows.p, rows.len);
	n = http_page_html(r, rows.p, rows.len, page_title(r, &c),
	    TMPL_NAV_CATALOG);
	buf_free(&rows);
	return n;
}

int
page_api_catalog(struct req *r)
{
	const struct kept_page *k;
	struct catalog c;
	const char *lesson, *key;
	int n, i;

	read_form(r, &c);
	if (c.error != NULL)
		return http_error(r, 400, c.error);
	key = kept_key(r, &c, 'j');
	if ((k = kept_get(r, key)) != NULL) {
		buf_reset(r->body);
		buf_put(r->body, k->body.p, k->body.len);
		return http_json(r, 200);
	}
	if ((n = run_query(r, &c)) < 0)
		return http_error(r, page_db_status(n), "Try again shortly.");
	json_begin(r);
	json_i64(r, "page", c.page);
	json_i64(r, "per_page", PER_PAGE);
	if (c.total >= 0)
		json_i64(r, "total", c.total);
	else
		json_raw(r, "total", "null");
	json_bool(r, "has_next", c.has_next);
	json_raw(r, "courses", "[");
	for (i = c.rows.first; i < c.rows.end; i++) {
		if (i > c.rows.first)
			buf_putc(r->body, ',');
		buf_putc(r->body, '{');
		json_i64(r, "id", db_i64(r->db, i, D));
		json_str(r, "title", db_str(r->db, i, D + 1));
		json_str(r, "level", db_str(r->db, i, D + 2));
		json_str(r, "language", db_str(r->db, i, D + 3));
		json_dbl(r, "estimated_hours", db_dbl(r->db, i, D + 4));
		json_str(r, "instructor", db_str(r->db, i, D + 5));
		json_str(r, "snippet_html", page_snippet_html(r->a,
		    db_str(r->db, i, D + 6)));
		lesson = db_str(r->db, i, D + 7);
		if (lesson != NULL && *lesson != '\0')
			json_str(r, "matched_lesson", lesson);
		buf_putc(r->body, '}');
	}
	buf_putc(r->body, ']');
	explain_empty(&c);
	if (c.notice != NULL)
		json_str(r, "message", c.notice);
	json_end(r);
	kept_put(r, key, c.version, r->body->p, r->body->len);
	return http_json(r, 200);
}
