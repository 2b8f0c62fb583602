/*
 * graph: orders respect every edge, cycles returned are real cycles of the
 * input (each step an input edge, closing back on the first node), and
 * random graphs agree with a brute-force reachability check (a cycle
 * exists iff some node reaches itself).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "learn/graph.h"

#define MAXE	256

struct run {
	long		rc;
	int64_t		order[2 * MAXE];
	int64_t		cycle[2 * MAXE];
	size_t		ncycle;
};

static void
go(const int64_t *from, const int64_t *to, size_t m, struct run *out)
{
	void *scratch = malloc(learn_graph_scratch_size(m));

	assert_non_null(scratch);
	out->rc = learn_graph_order(from, to, m, scratch, out->order,
	    out->cycle, &out->ncycle);
	free(scratch);
}

static int
pos(const int64_t *order, long n, int64_t id)
{
	long i;

	for (i = 0; i < n; i++)
		if (order[i] == id)
			return (int)i;
	return -1;
}

static int
has_edge(const int64_t *from, const int64_t *to, size_t m, int64_t a,
    int64_t b)
{
	size_t i;

	for (i = 0; i < m; i++)
		if (from[i] == a && to[i] == b)
			return 1;
	return 0;
}

/* Every edge's prerequisite comes first; every node appears once. */
static void
check_order(const int64_t *from, const int64_t *to, size_t m,
    const struct run *r)
{
	size_t i;
	long j, k;

	assert_true(r->rc >= 0);
	for (i = 0; i < m; i++) {
		int pf = pos(r->order, r->rc, from[i]);
		int pt = pos(r->order, r->rc, to[i]);

		assert_true(pf >= 0 && pt >= 0);
		assert_true(pt < pf);
	}
	for (j = 0; j < r->rc; j++)
		for (k = j + 1; k < r->rc; k++)
			assert_true(r->order[j] != r->order[k]);
}

/* The cycle is made of input edges and closes. */
static void
check_cycle(const int64_t *from, const int64_t *to, size_t m,
    const struct run *r)
{
	size_t k;

	assert_int_equal(r->rc, -1);
	assert_true(r->ncycle >= 1);
	for (k = 0; k < r->ncycle; k++)
		assert_true(has_edge(from, to, m, r->cycle[k],
		    r->cycle[(k + 1) % r->ncycle]));
	for (k = 1; k < r->ncycle; k++)
		assert_true(r->cycle[k] != r->cycle[0]);
}

static void
test_empty(void **state)
{
	struct run r;

	go(NULL, NULL, 0, &r);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ncycle, 0);
}

static void
test_chain(void **state)
{
	/* 30 requires 20 requires 10; 31 requires 10. */
	const int64_t from[] = { 30, 20, 31 }, to[] = { 20, 10, 10 };
	struct run r;

	go(from, to, 3, &r);
	assert_int_equal(r.rc, 4);
	check_order(from, to, 3, &r);
	assert_int_equal(r.order[0], 10);
}

static void
test_diamond_and_duplicates(void **state)
{
	const int64_t from[] = { 4, 4, 2, 3, 4 }, to[] = { 2, 3, 1, 1, 2 };
	struct run r;

	go(from, to, 5, &r);
	assert_int_equal(r.rc, 4);
	check_order(from, to, 5, &r);
}

static void
test_self_loop(void **state)
{
	const int64_t from[] = { 1, 7 }, to[] = { 2, 7 };
	struct run r;

	go(from, to, 2, &r);
	check_cycle(from, to, 2, &r);
	assert_int_equal(r.ncycle, 1);
	assert_int_equal(r.cycle[0], 7);
}

static void
test_two_cycle(void **state)
{
	const int64_t from[] = { 5, 9 }, to[] = { 9, 5 };
	struct run r;

	go(from, to, 2, &r);
	check_cycle(from, to, 2, &r);
	assert_int_equal(r.ncycle, 2);
}

static void
test_long_cycle_behind_tail(void **state)
{
	/* 100 -> 1 -> 2 -> 3 -> 4 -> 1, plus acyclic bits. */
	const int64_t from[] = { 100, 1, 2, 3, 4, 50, 51 };
	const int64_t to[] = { 1, 2, 3, 4, 1, 51, 52 };
	struct run r;
	size_t k;

	go(from, to, 7, &r);
	check_cycle(from, to, 7, &r);
	assert_int_equal(r.ncycle, 4);
	for (k = 0; k < r.ncycle; k++)
		assert_true(r.cycle[k] >= 1 && r.cycle[k] <= 4);
}

static void
test_negative_and_huge_ids(void **state)
{
	const int64_t from[] = { INT64_MAX, -3 }, to[] = { -3, INT64_MIN };
	struct run r;

	go(from, to, 2, &r);
	assert_int_equal(r.rc, 3);
	check_order(from, to, 2, &r);
}

/* splitmix64 */
static uint64_t
next64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Brute force: a cycle exists iff some node reaches itself (Warshall). */
static int
brute_cyclic(const int64_t *from, const int64_t *to, size_t m, int nv)
{
	static unsigned char reach[32][32];
	int i, j, k;
	size_t e;

	memset(reach, 0, sizeof(reach));
	for (e = 0; e < m; e++)
		reach[from[e]][to[e]] = 1;
	for (k = 0; k < nv; k++)
		for (i = 0; i < nv; i++)
			for (j = 0; j < nv; j++)
				if (reach[i][k] && reach[k][j])
					reach[i][j] = 1;
	for (i = 0; i < nv; i++)
		if (reach[i][i])
			return 1;
	return 0;
}

static void
test_random_against_brute_force(void **state)
{
	uint64_t seed = 42;
	int64_t from[MAXE], to[MAXE];
	int trial, cyclic = 0, acyclic = 0;
	struct run r;

	for (trial = 0; trial < 3000; trial++) {
		int nv = 2 + (int)(next64(&seed) % 30);
		size_t m = 1 + next64(&seed) % (size_t)(nv * 2), e;
		/* Mostly "downhill" edges (acyclic), sometimes one back. */
		int back = next64(&seed) % 3 == 0;

		for (e = 0; e < m; e++) {
			int a = (int)(next64(&seed) % (uint64_t)nv);
			int b = (int)(next64(&seed) % (uint64_t)nv);

			if (!back && a <= b) {
				if (a == b)
					b = (a + 1) % nv;
				if (a < b) {
					int t = a;

					a = b;
					b = t;
				}
			}
			from[e] = a;
			to[e] = b;
		}
		go(from, to, m, &r);
		if (brute_cyclic(from, to, m, nv)) {
			check_cycle(from, to, m, &r);
			cyclic++;
		} else {
			check_order(from, to, m, &r);
			acyclic++;
		}
	}
	/* Both kinds were exercised. */
	assert_true(cyclic > 100 && acyclic > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_diamond_and_duplicates),
		cmocka_unit_test(test_self_loop),
		cmocka_unit_test(test_two_cycle),
		cmocka_unit_test(test_long_cycle_behind_tail),
		cmocka_unit_test(test_negative_and_huge_ids),
		cmocka_unit_test(test_random_against_brute_force),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
