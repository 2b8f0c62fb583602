/*
 * admin_health: system health for admins (issue 9, admin panel): database
 * ping and size, job queue by state, worker heartbeats, event partitions,
 * disk free under $ADEPT_VAR, and request rate / p50 / p99 over the last
 * five minutes.  The design decision: request figures come from the tail
 * of the access log (at most TAIL_BYTES read from its end), so the page
 * costs a bounded read however large the log has grown; when more than
 * that was logged in five minutes the figures cover only what was read
 * and the page says so (window_complete false).
 */
#include <sys/statvfs.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/config.h"
#include "db/db.h"
#include "http/view.h"
#include "pages/pages.h"

#define TAIL_BYTES	(4L * 1024 * 1024)
#define WINDOW		300	/* seconds */

struct reqstats {
	long	 count;
	double	 rate;		/* requests per second over WINDOW */
	long	 p50, p99;	/* microseconds; -1 when no requests */
	int	 complete;	/* the read began before the window */
	int	 ok;		/* the log could be read */
};

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n). */
static long
pct(const long *v, long n, int p)
{
	long k = (long)((p * n + 99) / 100);

	return v[k < 1 ? 0 : k - 1];
}

/* Parses "2026-11-25T09:47:01.705Z" to Unix seconds, or -1. */
static long long
parse_time(const char *s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm);
}

/*
 * Reads the last TAIL_BYTES of path and summarizes the requests logged in
 * (now - WINDOW, now].  Line: time id method path status NNNus.
 */
static void
request_stats(const char *path, long long now, struct reqstats *st)
{
	char *data, *line, *next, *us;
	long *v = NULL, n = 0, cap = 0;
	int first = 1;
	off_t size, from;
	ssize_t got, len = 0;
	long long t;
	int fd;

	memset(st, 0, sizeof(*st));
	st->p50 = st->p99 = -1;
	if ((fd = open(path, O_RDONLY)) == -1)
		return;
	size = lseek(fd, 0, SEEK_END);
	from = size > TAIL_BYTES ? size - TAIL_BYTES : 0;
	if (size < 0 || (data = malloc((size_t)(size - from) + 1)) == NULL) {
		close(fd);
		return;
	}
	while (len < size - from && (got = pread(fd, data + len,
	    (size_t)(size - from - len), from + len)) > 0)
		len += got;
	close(fd);
	data[len] = '\0';
	st->ok = 1;
	st->complete = from == 0;
	line = data;
	if (from > 0 && (line = strchr(data, '\n')) != NULL)
		line++;	/* the first line is probably cut */
	for (; line != NULL && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((t = parse_time(line)) < 0)
			continue;
		if (first && t <= now - WINDOW)
			st->complete = 1;	/* the log is in time order */
		first = 0;
		if (t <= now - WINDOW)
			continue;
		if (t > now + 5 || (us = strrchr(line, ' ')) == NULL)
			continue;
		if (n == cap) {
			long *nv;

			cap = cap ? cap * 2 : 1024;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) ==
			    NULL)
				break;
			v = nv;
		}
		v[n++] = strtol(us + 1, NULL, 10);
	}
	free(data);
	st->count = n;
	st->rate = (double)n / WINDOW;
	if (n > 0) {
		qsort(v, (size_t)n, sizeof(*v), cmp_long);
		st->p50 = pct(v, n, 50);
		st->p99 = pct(v, n, 99);
	}
	free(v);
}

struct health {
	int		 db_ok;
	int64_t		 db_bytes;
	int64_t		 disk_free, disk_total;	/* bytes; -1 unknown */
	struct reqstats	 req;
	int		 stale;		/* number of stale workers */
	/* Rows as "a\tb\tc" strings, arena-allocated. */
	const char	**queue, **workers, **parts;
	int		 nqueue, nworkers, nparts;
};

static const char **
collect(struct req *r, int n, int ncols, int *out)
{
	const char **rows;
	struct buf b;
	int i, c;

	*out = n < 0 ? 0 : n;
	rows = arena_alloc(r->a, sizeof(*rows) * (size_t)(*out + 1));
	for (i = 0; i < *out; i++) {
		buf_init(&b);
		for (c = 0; c < ncols; c++)
			buf_printf(&b, "%s%s", c ? "\t" : "",
			    db_str(r->db, i, c));
		rows[i] = arena_strdup(r->a, b.p ? b.p : "");
		buf_free(&b);
	}
	return rows;
}

static void
gather(struct req *r, struct health *h)
{
	struct statvfs sv;
	int n, i;

	memset(h, 0, sizeof(*h));
	n = db_exec(r->db, STMT_ADMIN_HEALTH_DB, 0, NULL);
	h->db_ok = n == 1;
	h->db_bytes = n == 1 ? db_i64(r->db, 0, 0) : -1;
	h->queue = collect(r, db_exec(r->db, STMT_ADMIN_HEALTH_QUEUE, 0,
	    NULL), 2, &h->nqueue);
	n = db_exec(r->db, STMT_ADMIN_HEALTH_WORKERS, 0, NULL);
	for (i = 0; i < n; i++)
		h->stale += db_bool(r->db, i, 3);
	h->workers = collect(r, n, 4, &h->nworkers);
	h->parts = collect(r, db_exec(r->db, STMT_ADMIN_HEALTH_PARTITIONS, 0,
	    NULL), 1, &h->nparts);
	if (statvfs(r->cfg->var, &sv) == 0) {
		h->disk_free = (int64_t)sv.f_bavail * (int64_t)sv.f_frsize;
		h->disk_total = (int64_t)sv.f_blocks * (int64_t)sv.f_frsize;
	} else
		h->disk_free = h->disk_total = -1;
	request_stats(arena_printf(r->a, "%s/access.log", r->cfg->log_dir),
	    (long long)r->now, &h->req);
}

/* Field c (0-based) of a tab-joined row, arena copy. */
static const char *
field(struct req *r, const char *row, int c)
{
	const char *e;

	while (c-- > 0 && (row = strchr(row, '\t')) != NULL)
		row++;
	if (row == NULL)
		return "";
	e = strchr(row, '\t');
	return e ? arena_strndup(r->a, row, (size_t)(e - row)) :
	    arena_strdup(r->a, row);
}

int
page_admin_health(struct req *r)
{
	struct view *v = view_new(r->a);
	struct health h;
	struct buf b;
	int i;

	gather(r, &h);
	view_set_bool(v, "db_ok", h.db_ok);
	view_set(v, "db_mb", arena_printf(r->a, "%.1f",
	    (double)h.db_bytes / 1048576.0));
	view_set(v, "disk_free", h.disk_free < 0 ? "unknown" :
	    arena_printf(r->a, "%.1f GB of %.1f GB", (double)h.disk_free / 1e9,
	    (double)h.disk_total / 1e9));
	buf_init(&b);
	for (i = 0; i < h.nqueue; i++) {
		buf_puts(&b, "<tr><td>");
		buf_put_html(&b, field(r, h.queue[i], 0),
		    strlen(field(r, h.queue[i], 0)));
		buf_puts(&b, "</td><td>");
		buf_put_html(&b, field(r, h.queue[i], 1),
		    strlen(field(r, h.queue[i], 1)));
		buf_puts(&b, "</td></tr>\n");
	}
	view_set_raw(v, "queue", arena_strdup(r->a, b.p ? b.p : ""));
	buf_reset(&b);
	for (i = 0; i < h.nworkers; i++) {
		const char *name = field(r, h.workers[i], 0);
		const char *seen = field(r, h.workers[i], 1);
		const char *age = field(r, h.workers[i], 2);
		int stale = strcmp(field(r, h.workers[i], 3), "t") == 0;

		buf_puts(&b, "<tr><td>");
		buf_put_html(&b, name, strlen(name));
		buf_puts(&b, "</td><td>");
		buf_put_html(&b, seen, strlen(seen));
		buf_puts(&b, "</td><td>");
		buf_put_html(&b, age, strlen(age));
		buf_puts(&b, stale ? " s</td><td><strong>Stale</strong>"
		    "</td></tr>\n" : " s</td><td>OK</td></tr>\n");
	}
	view_set_raw(v, "workers", arena_strdup(r->a, b.p ? b.p : ""));
	buf_reset(&b);
	for (i = 0; i < h.nparts; i++) {
		buf_puts(&b, "<li><code>");
		buf_put_html(&b, h.parts[i], strlen(h.parts[i]));
		buf_puts(&b, "</code></li>\n");
	}
	view_set_raw(v, "partitions", arena_strdup(r->a, b.p ? b.p : ""));
	buf_free(&b);
	view_set_int(v, "stale", h.stale);
	view_set_bool(v, "log_ok", h.req.ok);
	view_set_bool(v, "complete", h.req.complete);
	view_set_int(v, "req_count", h.req.count);
	view_set(v, "req_rate", arena_printf(r->a, "%.2f", h.req.rate));
	view_set(v, "p50", h.req.p50 < 0 ? "–" :
	    arena_printf(r->a, "%.1f ms", (double)h.req.p50 / 1000.0));
	view_set(v, "p99", h.req.p99 < 0 ? "–" :
	    arena_printf(r->a, "%.1f ms", (double)h.req.p99 / 1000.0));
	return http_page_nav(r, TMPL_ADMIN_HEALTH, v, "System health",
	    TMPL_NAV_ADMIN);
}

int
page_api_admin_health(struct req *r)
{
	struct health h;
	int i;

	gather(r, &h);
	json_begin(r);
	json_obj_begin(r, "database");
	json_bool(r, "ok", h.db_ok);
	json_i64(r, "size_bytes", h.db_bytes);
	json_obj_end(r);
	json_obj_begin(r, "queue");
	for (i = 0; i < h.nqueue; i++)
		json_i64(r, field(r, h.queue[i], 0),
		    strtoll(field(r, h.queue[i], 1), NULL, 10));
	json_obj_end(r);
	json_arr_begin(r, "workers");
	for (i = 0; i < h.nworkers; i++) {
		json_obj_begin(r, NULL);
		json_str(r, "name", field(r, h.workers[i], 0));
		json_str(r, "last_seen", field(r, h.workers[i], 1));
		json_i64(r, "age_seconds",
		    strtoll(field(r, h.workers[i], 2), NULL, 10));
		json_bool(r, "stale",
		    strcmp(field(r, h.workers[i], 3), "t") == 0);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_arr_begin(r, "event_partitions");
	for (i = 0; i < h.nparts; i++) {
		json_obj_begin(r, NULL);
		json_str(r, "name", h.parts[i]);
		json_obj_end(r);
	}
	json_arr_end(r);
	json_obj_begin(r, "disk");
	json_i64(r, "free_bytes", h.disk_free);
	json_i64(r, "total_bytes", h.disk_total);
	json_obj_end(r);
	json_obj_begin(r, "requests");
	json_i64(r, "window_seconds", WINDOW);
	json_bool(r, "log_read", h.req.ok);
	json_bool(r, "window_complete", h.req.complete);
	json_i64(r, "count", h.req.count);
	json_dbl(r, "per_second", h.req.rate);
	json_i64(r, "p50_us", h.req.p50);
	json_i64(r, "p99_us", h.req.p99);
	json_obj_end(r);
	json_end(r);
	return http_json(r, 200);
}
