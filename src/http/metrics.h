/*
 * metrics: counters the workers keep and the supervisor exposes in the
 * Prometheus text format (version 0.0.4) on its own listen address
 * (ADEPT_METRICS_ADDR, default 127.0.0.1:9464; never through nginx).
 *
 * The counters live in one anonymous shared mapping the supervisor makes
 * before it forks: every worker adds to it with relaxed atomic adds (no
 * lock, no system call), and the supervisor's scrape process reads it.
 * Per route (the route table's pattern, so label values are bounded) and
 * method: requests by status class; per route: a latency histogram.  The
 * supervisor adds worker restarts; the scrape adds the job queue depth by
 * state, read from PostgreSQL at scrape time.
 */
#ifndef ADEPT_METRICS_H
#define ADEPT_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* Latency bucket upper bounds in seconds; +Inf is implied. */
#define METRICS_NBUCKETS	12

/* What the scrape knows besides the shared counters. */
struct metrics_extra {
	int		 workers;	/* configured */
	int		 workers_alive;
	int		 db_up;		/* the queue-depth query answered */
	int		 njobstates;
	const char	*jobstate[8];
	int64_t		 jobcount[8];
};

/* Maps the counters for nroutes routes (shared, zeroed).  0 or -1. */
int	metrics_init(size_t nroutes);
/* Counts one request: route index (nroutes = no route matched), method
 * ("GET", "HEAD", "POST", other), HTTP status, duration in microseconds.
 * A no-op before metrics_init. */
void	metrics_observe(size_t route, const char *method, int status,
	    long long usec);
/* Counts n statements sent to PostgreSQL for one request of a route (as
 * metrics_observe); divided by the route's requests, the round trips a
 * request of it costs. */
void	metrics_db_statements(size_t route, unsigned long n);
/* The supervisor: a worker died and was restarted; killed_by_seccomp when
 * it died of SIGSYS. */
void	metrics_worker_restart(int killed_by_seccomp);
/* Appends the exposition; route_name(i) gives the label of route i. */
void	metrics_render(struct buf *, const char *(*route_name)(size_t),
	    const struct metrics_extra *);

#endif
