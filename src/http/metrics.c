/*
 * metrics: see metrics.h.  The mapping is a header and one slot per route
 * plus one for requests no route matched.  Slots are written with relaxed
 * atomic adds: a scrape may see a request counted in requests_total but
 * not yet in the histogram, which Prometheus tolerates.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "base/buf.h"
#include "http/metrics.h"

enum { MET_GET, MET_POST, MET_OTHER, MET__MAX };
static const char *const method_name[MET__MAX] = { "GET", "POST", "other" };

/* Upper bounds in microseconds (the last is +Inf). */
static const long long bucket_us[METRICS_NBUCKETS - 1] = {
	5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000,
	2500000, 5000000, 10000000,
};
static const char *const bucket_le[METRICS_NBUCKETS] = {
	"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5",
	"5", "10", "+Inf",
};

struct slot {
	uint64_t	 count[MET__MAX][5];	/* by status class 1xx..5xx */
	uint64_t	 bucket[METRICS_NBUCKETS];	/* not cumulative */
	uint64_t	 sum_us;
	uint64_t	 db_statements;
};

struct shared {
	uint64_t	 restarts;
	uint64_t	 seccomp_kills;
	struct slot	 slot[];	/* nroutes + 1 */
};

static struct shared *m;
static size_t nslots;

#define ADD(p, n)	__atomic_fetch_add((p), (n), __ATOMIC_RELAXED)
#define GET(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

int
metrics_init(size_t nroutes)
{
	size_t len = sizeof(struct shared) + (nroutes + 1) *
	    sizeof(struct slot);
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		return -1;
	m = p;
	nslots = nroutes + 1;
	return 0;
}

void
metrics_observe(size_t route, const char *method, int status,
    long long usec)
{
	struct slot *s;
	int k, c, b;

	if (m == NULL)
		return;
	if (route >= nslots)
		route = nslots - 1;
	s = &m->slot[route];
	k = method == NULL ? MET_OTHER : strcmp(method, "GET") == 0 ||
	    strcmp(method, "HEAD") == 0 ? MET_GET :
	    strcmp(method, "POST") == 0 ? MET_POST : MET_OTHER;
	c = status / 100 - 1;
	if (c < 0 || c > 4)
		c = 4;
	if (usec < 0)
		usec = 0;
	for (b = 0; b < METRICS_NBUCKETS - 1 && usec > bucket_us[b]; b++)
		;
	ADD(&s->count[k][c], 1);
	ADD(&s->bucket[b], 1);
	ADD(&s->sum_us, (uint64_t)usec);
}

void
metrics_db_statements(size_t route, unsigned long n)
{
	if (m == NULL || n == 0)
		return;
	if (route >= nslots)
		route = nslots - 1;
	ADD(&m->slot[route].db_statements, (uint64_t)n);
}

void
metrics_worker_restart(int killed_by_seccomp)
{
	if (m == NULL)
		return;
	ADD(&m->restarts, 1);
	if (killed_by_seccomp)
		ADD(&m->seccomp_kills, 1);
}

/* A label value: backslash, double quote and newline escaped. */
static void
label(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			buf_putc(b, '\\');
		if (*s == '\n')
			buf_puts(b, "\\n");
		else
			buf_putc(b, *s);
	}
}

static void
head(struct buf *b, const char *name, const char *type, const char *help)
{
	buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

void
metrics_render(struct buf *b, const char *(*route_name)(size_t),
    const struct metrics_extra *x)
{
	uint64_t n, cum, errors = 0;
	size_t i;
	int k, c, j;

	if (m == NULL)
		return;
	head(b, "adept_http_requests_total", "counter",
	    "FastCGI requests answered, by route pattern, method and status "
	    "class.");
	for (i = 0; i < nslots; i++)
		for (k = 0; k < MET__MAX; k++)
			for (c = 0; c < 5; c++) {
				if ((n = GET(&m->slot[i].count[k][c])) == 0)
					continue;
				if (c == 4)
					errors += n;
				buf_puts(b, "adept_http_requests_total{route=\"");
				label(b, i + 1 == nslots ? "unmatched" :
				    route_name(i));
				buf_printf(b, "\",method=\"%s\",code=\"%dxx\"} "
				    "%llu\n", method_name[k], c + 1,
				    (unsigned long long)n);
			}
	head(b, "adept_http_server_errors_total", "counter",
	    "Requests answered with a 5xx status.");
	buf_printf(b, "adept_http_server_errors_total %llu\n",
	    (unsigned long long)errors);
	head(b, "adept_http_request_duration_seconds", "histogram",
	    "Time from accepting a request to sending its response, by route "
	    "pattern.");
	for (i = 0; i < nslots; i++) {
		const char *name = i + 1 == nslots ? "unmatched" :
		    route_name(i);

		cum = 0;
		for (j = 0; j < METRICS_NBUCKETS; j++)
			cum += GET(&m->slot[i].bucket[j]);
		if (cum == 0)
			continue;
		cum = 0;
		for (j = 0; j < METRICS_NBUCKETS; j++) {
			cum += GET(&m->slot[i].bucket[j]);
			buf_puts(b, "adept_http_request_duration_seconds_bucket"
			    "{route=\"");
			label(b, name);
			buf_printf(b, "\",le=\"%s\"} %llu\n", bucket_le[j],
			    (unsigned long long)cum);
		}
		buf_puts(b, "adept_http_request_duration_seconds_sum{route=\"");
		label(b, name);
		buf_printf(b, "\"} %.6f\n", (double)GET(&m->slot[i].sum_us) /
		    1e6);
		buf_puts(b, "adept_http_request_duration_seconds_count"
		    "{route=\"");
		label(b, name);
		buf_printf(b, "\"} %llu\n", (unsigned long long)cum);
	}
	head(b, "adept_db_statements_total", "counter",
	    "Statements sent to PostgreSQL (each a round trip) while answering "
	    "requests, by route pattern.");
	for (i = 0; i < nslots; i++) {
		if ((n = GET(&m->slot[i].db_statements)) == 0)
			continue;
		buf_puts(b, "adept_db_statements_total{route=\"");
		label(b, i + 1 == nslots ? "unmatched" : route_name(i));
		buf_printf(b, "\"} %llu\n", (unsigned long long)n);
	}
	head(b, "adept_worker_restarts_total", "counter",
	    "FastCGI workers that died and were started again.");
	buf_printf(b, "adept_worker_restarts_total %llu\n",
	    (unsigned long long)GET(&m->restarts));
	head(b, "adept_worker_seccomp_kills_total", "counter",
	    "Workers killed for a system call outside the seccomp "
	    "allow-list.");
	buf_printf(b, "adept_worker_seccomp_kills_total %llu\n",
	    (unsigned long long)GET(&m->seccomp_kills));
	if (x == NULL)
		return;
	head(b, "adept_workers", "gauge", "FastCGI workers configured.");
	buf_printf(b, "adept_workers %d\n", x->workers);
	head(b, "adept_workers_alive", "gauge", "FastCGI workers running.");
	buf_printf(b, "adept_workers_alive %d\n", x->workers_alive);
	head(b, "adept_database_up", "gauge",
	    "1 if the scrape's queue-depth query answered.");
	buf_printf(b, "adept_database_up %d\n", x->db_up ? 1 : 0);
	head(b, "adept_jobs", "gauge",
	    "Background jobs in the queue, by state.");
	for (j = 0; j < x->njobstates && j < 8; j++) {
		buf_puts(b, "adept_jobs{state=\"");
		label(b, x->jobstate[j]);
		buf_printf(b, "\"} %lld\n", (long long)x->jobcount[j]);
	}
}
