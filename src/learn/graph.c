/*
 * graph: Kahn's topological order over a prerequisite graph, and one cycle
 * named when there is no order; see graph.h for the contract.
 *
 * The ids are sorted and made unique so each node gets a dense 32-bit
 * index (binary search maps an edge's ids to indices); two compressed
 * adjacency lists follow, "requires" and "required by".
 */
#include <stdlib.h>
#include <string.h>

#include "learn/graph.h"

struct scratch {
	int64_t		*ids;		/* 2m, sorted unique: [0, n) */
	uint32_t	*fi, *ti;	/* m: edge ends as indices */
	uint32_t	*req_off;	/* n + 1 */
	uint32_t	*req;		/* m: what node requires */
	uint32_t	*dep_off;	/* n + 1 */
	uint32_t	*dep;		/* m: what requires node */
	uint32_t	*cnt;		/* n: unplaced requirements */
	uint32_t	*queue;		/* n */
	uint32_t	*mark;		/* n: walk step + 1, 0 = not walked */
};

static size_t
layout(struct scratch *s, void *base, size_t m)
{
	char *p = base;
	size_t off = 0, n = 2 * m;

#define TAKE(field, type, count) do {					\
		if (s != NULL)						\
			s->field = (type *)(void *)(p + off);		\
		off += sizeof(type) * (count);				\
		off = (off + 7) & ~(size_t)7;				\
	} while (0)
	TAKE(ids, int64_t, n);
	TAKE(fi, uint32_t, m);
	TAKE(ti, uint32_t, m);
	TAKE(req_off, uint32_t, n + 1);
	TAKE(req, uint32_t, m);
	TAKE(dep_off, uint32_t, n + 1);
	TAKE(dep, uint32_t, m);
	TAKE(cnt, uint32_t, n);
	TAKE(queue, uint32_t, n);
	TAKE(mark, uint32_t, n);
#undef TAKE
	return off;
}

size_t
learn_graph_scratch_size(size_t m)
{
	return layout(NULL, NULL, m == 0 ? 1 : m);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static uint32_t
index_of(const int64_t *ids, size_t n, int64_t id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

/* Fills off[0..n] and adj[] from the pairs (key[i], val[i]). */
static void
csr(size_t n, size_t m, const uint32_t *key, const uint32_t *val,
    uint32_t *off, uint32_t *adj)
{
	size_t i;

	memset(off, 0, (n + 1) * sizeof(*off));
	for (i = 0; i < m; i++)
		off[key[i] + 1]++;
	for (i = 0; i < n; i++)
		off[i + 1] += off[i];
	/* Fill from the back so each list keeps edge order. */
	for (i = m; i-- > 0;)
		adj[--off[key[i] + 1]] = val[i];
	/* off[k + 1] now holds the start of k's list: shift down. */
	memmove(off, off + 1, n * sizeof(*off));
	off[n] = (uint32_t)m;
}

long
learn_graph_order(const int64_t *from, const int64_t *to, size_t m,
    void *scratch, int64_t *order, int64_t *cycle, size_t *ncycle)
{
	struct scratch s;
	size_t n, i, k, head, tail, placed, step;
	uint32_t x, y;

	*ncycle = 0;
	if (m == 0)
		return 0;
	if (m > LEARN_GRAPH_MAXEDGES)
		return -2;
	layout(&s, scratch, m);

	memcpy(s.ids, from, m * sizeof(*from));
	memcpy(s.ids + m, to, m * sizeof(*to));
	qsort(s.ids, 2 * m, sizeof(*s.ids), cmp_i64);
	for (n = 1, i = 1; i < 2 * m; i++)
		if (s.ids[i] != s.ids[n - 1])
			s.ids[n++] = s.ids[i];
	for (i = 0; i < m; i++) {
		s.fi[i] = index_of(s.ids, n, from[i]);
		s.ti[i] = index_of(s.ids, n, to[i]);
	}
	csr(n, m, s.fi, s.ti, s.req_off, s.req);
	csr(n, m, s.ti, s.fi, s.dep_off, s.dep);

	head = tail = 0;
	for (k = 0; k < n; k++) {
		s.cnt[k] = s.req_off[k + 1] - s.req_off[k];
		if (s.cnt[k] == 0)
			s.queue[tail++] = (uint32_t)k;
	}
	placed = 0;
	while (head < tail) {
		x = s.queue[head++];
		order[placed++] = s.ids[x];
		for (i = s.dep_off[x]; i < s.dep_off[x + 1]; i++) {
			y = s.dep[i];
			if (--s.cnt[y] == 0)
				s.queue[tail++] = y;
		}
	}
	if (placed == n)
		return (long)n;

	/* Walk unplaced requirements from the first unplaced node until a
	 * node repeats; the loop from its first visit is a cycle. */
	memset(s.mark, 0, n * sizeof(*s.mark));
	for (x = 0; s.cnt[x] == 0; x++)
		;
	for (step = 0; s.mark[x] == 0; step++) {
		s.mark[x] = (uint32_t)step + 1;
		s.queue[step] = x;
		for (i = s.req_off[x]; s.cnt[s.req[i]] == 0; i++)
			;
		x = s.req[i];
	}
	for (k = s.mark[x] - 1; k < step; k++)
		cycle[(*ncycle)++] = s.ids[s.queue[k]];
	return -1;
}
