/*
 * bench_events: the FastCGI side of event ingestion on one thread:
 * events_parse() (JSON parse, full validation, in-batch dedupe, the rows
 * of a binary COPY) over a 5,000-event batch shaped like the
 * web_events bench's (verb, object IRI, RFC 3339 timestamp, a small result
 * object), and the same for xAPI statements.  Wall-clock by
 * clock_gettime(CLOCK_MONOTONIC) and thread CPU time
 * (CLOCK_THREAD_CPUTIME_ID); medians of 7 runs of 20 batches each,
 * after one warm-up batch.  The load average is printed because the
 * machine may be shared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/buf.h"
#include "pages/events.h"

#define NEV	5000
#define RUNS	7
#define REPS	20
/*
 * BENCH_EVENTS_QUICK=1: one batch per run; BENCH_EVENTS_REPS=N: N per run;
 * BENCH_EVENTS_KIND=ours or xapi: that batch only.  For callgrind: the
 * instructions of REPS=3 less those of REPS=1 are 14 batches' worth, with
 * start-up and batch building cancelled out.
 */
static int	reps = REPS;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
batch(struct buf *b, time_t t0, int xapi)
{
	struct tm tm;
	char ts[32];
	time_t t;
	int i;

	buf_putc(b, '[');
	for (i = 0; i < NEV; i++) {
		t = t0 - i % 3600;
		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S.123Z", &tm);
		if (i > 0)
			buf_putc(b, ',');
		if (xapi)
			buf_printf(b, "{\"id\":\"%08x-1b2c-4d3e-8f40-%012x\","
			    "\"actor\":{\"mbox\":\"mailto:l@example.org\"},"
			    "\"verb\":{\"id\":\"http://adlnet.gov/expapi/verbs/"
			    "answered\"},\"object\":{\"id\":\"https://adept."
			    "example/courses/%d/lessons/%d\"},\"result\":"
			    "{\"score\":{\"scaled\":0.%d},\"success\":%s},"
			    "\"timestamp\":\"%s\"}", i, i * 7919, 1 + i % 7,
			    1 + i % 31, i % 10, i % 2 ? "true" : "false", ts);
		else
			buf_printf(b, "{\"id\":\"%08x-1b2c-4d3e-8f40-%012x\","
			    "\"verb\":\"answered\",\"object\":\"/courses/%d/"
			    "lessons/%d\",\"timestamp\":\"%s\",\"result\":"
			    "{\"score\":%d,\"success\":%s}}", i, i * 7919,
			    1 + i % 7, 1 + i % 31, ts, i % 5,
			    i % 2 ? "true" : "false");
	}
	buf_putc(b, ']');
}

static void
run(const char *what, int xapi)
{
	struct arena a;
	struct buf b;
	struct ev_batch eb;
	double t, c, per[RUNS], cpu[RUNS];
	time_t t0 = time(NULL);
	int r, k, bad = 0;

	buf_init(&b);
	batch(&b, t0, xapi);
	arena_init(&a, 1 << 20);
	if (events_parse(&a, b.p, b.len, (int64_t)t0, 24, 1, &eb) != 0 ||
	    eb.stored_max != NEV) {
		printf("%s: the batch was refused: %s\n", what,
		    eb.error ? eb.error : "?");
		exit(1);
	}
	for (r = 0; r < RUNS; r++) {
		t = now_s();
		c = cpu_s();
		for (k = 0; k < reps; k++) {
			arena_reset(&a);
			bad += events_parse(&a, b.p, b.len, (int64_t)t0, 24, 1,
			    &eb) != 0;
		}
		per[r] = (now_s() - t) / (reps * NEV);
		cpu[r] = (cpu_s() - c) / (reps * NEV);
	}
	qsort(per, RUNS, sizeof(per[0]), cmp);
	qsort(cpu, RUNS, sizeof(cpu[0]), cmp);
	printf("%-16s wall %6.2f us/event (%7.0f events/s; min %.2f, max "
	    "%.2f), thread CPU %6.2f us/event; %.0f KB/batch%s\n", what,
	    per[RUNS / 2] * 1e6, 1 / per[RUNS / 2], per[0] * 1e6,
	    per[RUNS - 1] * 1e6, cpu[RUNS / 2] * 1e6, b.len / 1024.0,
	    bad ? "  REFUSED BATCHES" : "");
	arena_free(&a);
	buf_free(&b);
}

int
main(void)
{
	double la[3] = { 0, 0, 0 };

	const char *kind = getenv("BENCH_EVENTS_KIND");

	if (getenv("BENCH_EVENTS_QUICK") != NULL)
		reps = 1;
	if (getenv("BENCH_EVENTS_REPS") != NULL)
		reps = atoi(getenv("BENCH_EVENTS_REPS")) > 0 ?
		    atoi(getenv("BENCH_EVENTS_REPS")) : 1;

	printf("bench_events: events_parse on one thread, %d-event batches, "
	    "median of %d runs x %d batches\n", NEV, RUNS, reps);
	if (kind == NULL || strcmp(kind, "ours") == 0)
		run("events (ours)", 0);
	if (kind == NULL || strcmp(kind, "xapi") == 0)
		run("events (xAPI)", 1);
	if (getloadavg(la, 3) == 3)
		printf("load average: %.2f %.2f %.2f\n", la[0], la[1], la[2]);
	return 0;
}
