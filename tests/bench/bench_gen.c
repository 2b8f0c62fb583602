/*
 * bench_gen: the content generators on the sample course
 * (the Markdown files of tests/data/course): indexing (reading the files through
 * extract_file, splitting them into passages, the BM25 index and the key
 * terms), offline generation per module (one file: objectives, a lesson
 * draft and 20 quiz items, the quality checks included), and a tutor
 * answer.  Targets from issue 8: indexing <= 5 s, generation <= 2 s per
 * module, tutor <= 100 ms.
 *
 * Measured: wall-clock (clock_gettime(CLOCK_MONOTONIC)) on one thread;
 * indexing and generation RUNS times each, best and median reported; the
 * tutor over QREPS rounds of a fixed list of questions, mean and worst
 * single answer.  The thread's CPU time of the best run is printed too.
 * Run from the top of the checkout (make bench does).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "learn/bm25.h"
#include "learn/gen.h"
#include "learn/gencheck.h"
#include "learn/tutor.h"
#include "out/extract.h"

#define RUNS	7
#define QREPS	200

static double
now_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct course {
	struct extract_doc	*docs;
	size_t			 nd;
	struct learn_passage	*ps;
	size_t			 np, cap;
	struct learn_bm25	*idx;
	struct learn_material	 m;
};

static void
load(glob_t *g, struct course *c)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->docs = calloc(g->gl_pathc, sizeof(*c->docs));
	c->nd = g->gl_pathc;
	for (i = 0; i < c->nd; i++) {
		if (extract_file(g->gl_pathv[i], &c->docs[i]) != EXTRACT_OK ||
		    learn_chunk(c->docs[i].text, c->docs[i].len, i, NULL,
		    &c->ps, &c->np, &c->cap) == -1)
			abort();
	}
	if ((c->idx = learn_bm25_build(c->ps, c->np)) == NULL ||
	    learn_material_init(&c->m, c->ps, c->np, c->idx) == -1)
		abort();
}

static void
unload(struct course *c)
{
	size_t i;

	learn_material_free(&c->m);
	learn_bm25_free(c->idx);
	free(c->ps);
	for (i = 0; i < c->nd; i++)
		extract_free(&c->docs[i]);
	free(c->docs);
}

/* One module: objectives, lesson, 20 quiz items, all checked.  Returns
 * the quiz items made. */
static size_t
module(struct course *c, long doc, size_t *npass)
{
	struct learn_gen_req r = { doc, 8, 40 };
	struct learn_items o = { 0 }, q = { 0 };
	struct learn_check_result res[64];
	char *md;
	size_t i, n;

	if (learn_gen_objectives(&c->m, &r, &o) == -1 ||
	    learn_gen_lesson(&c->m, &r, &md) == -1)
		abort();
	r.n = 20;
	if (learn_gen_quiz(&c->m, &r, &q) == -1)
		abort();
	for (i = 0; i < q.n; i++)
		*npass += learn_check_item(&q.v[i], c->ps, c->np, NULL,
		    &res[i]) == 1;
	for (i = 0; i < o.n; i++)
		learn_check_item(&o.v[i], c->ps, c->np, NULL, &res[0]);
	learn_check_dups(q.v, q.n, res);
	n = q.n;
	free(md);
	learn_items_free(&o);
	learn_items_free(&q);
	return n;
}

int
main(void)
{
	static const char *qs[] = {
		"What is a foreign key?", "How does a B-tree index find a row?",
		"What does the buffer pool do?", "What is third normal form?",
		"When did Codd publish the relational model?",
		"What is a hash join?", "What does a left outer join return?",
		"Why are prepared statements safe against SQL injection?",
		"What is write skew?", "What does VACUUM remove?",
		"What are the three passes of ARIES?",
		"What does the CAP theorem say?",
		"What is row-level security?",
		"Who won the football world cup?", "What is the capital of France?",
	};
	glob_t g;
	struct course c;
	double t[RUNS], cpu[RUNS], t0, c0, worst = 0, sum = 0, x;
	size_t words = 0, i, r, d, items = 0, npass = 0, k;
	struct learn_tutor_answer a;
	int refused = 0;

	if (glob("tests/data/course/*.md", 0, NULL, &g) != 0) {
		fprintf(stderr, "bench_gen: no tests/data/course/*.md here\n");
		return 1;
	}
	load(&g, &c);
	for (i = 0; i < c.nd; i++)
		words += learn_count_words(c.docs[i].text, c.docs[i].len, NULL);
	printf("sample course: %zu files, %zu words (about %zu pages of 500 "
	    "words), %zu passages, %zu key terms, %zu sentences\n", c.nd, words,
	    words / 500, c.np, c.m.nterms, c.m.nsents);
	unload(&c);

	for (r = 0; r < RUNS; r++) {
		t0 = now_s(CLOCK_MONOTONIC);
		c0 = now_s(CLOCK_THREAD_CPUTIME_ID);
		load(&g, &c);
		t[r] = now_s(CLOCK_MONOTONIC) - t0;
		cpu[r] = now_s(CLOCK_THREAD_CPUTIME_ID) - c0;
		unload(&c);
	}
	x = t[0];
	for (r = 1, k = 0; r < RUNS; r++)
		if (t[r] < x) {
			x = t[r];
			k = r;
		}
	c0 = cpu[k];
	qsort(t, RUNS, sizeof(*t), cmpd);
	printf("indexing (read + extract + passages + BM25 + key terms, whole "
	    "course): best %.2f ms, median %.2f ms (cpu %.2f ms) [target <= 5 s]\n",
	    t[0] * 1e3, t[RUNS / 2] * 1e3, c0 * 1e3);

	load(&g, &c);
	for (d = 0; d < c.nd; d++) {
		for (r = 0; r < RUNS; r++) {
			t0 = now_s(CLOCK_MONOTONIC);
			items = module(&c, d, &npass);
			t[r] = now_s(CLOCK_MONOTONIC) - t0;
		}
		qsort(t, RUNS, sizeof(*t), cmpd);
		printf("module %zu (%s): objectives + lesson + %zu quiz items + "
		    "checks: best %.2f ms, median %.2f ms [target <= 2 s]\n", d,
		    strrchr(g.gl_pathv[d], '/') + 1, items, t[0] * 1e3,
		    t[RUNS / 2] * 1e3);
	}
	for (r = 0; r < QREPS; r++)
		for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++) {
			t0 = now_s(CLOCK_MONOTONIC);
			if (learn_tutor(c.idx, c.ps, c.np, qs[i], strlen(qs[i]),
			    NULL, &a) == -1)
				abort();
			x = now_s(CLOCK_MONOTONIC) - t0;
			sum += x;
			if (x > worst)
				worst = x;
			if (r == 0)
				refused += a.refused;
		}
	printf("tutor: %zu answers (%zu questions x %d, %d of them refused "
	    "each round): mean %.1f us, worst %.1f us [target <= 100 ms]\n",
	    QREPS * (sizeof(qs) / sizeof(qs[0])), sizeof(qs) / sizeof(qs[0]),
	    QREPS, refused, sum / (QREPS * (sizeof(qs) / sizeof(qs[0]))) * 1e6,
	    worst * 1e6);
	unload(&c);
	globfree(&g);
	return 0;
}
