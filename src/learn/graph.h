/*
 * graph: order and cycle check for a prerequisite graph (courses requiring
 * courses, lessons requiring lessons).
 *
 * The graph is given as edge arrays of int64 ids: from[i] requires to[i],
 * so to[i] must come first.  The nodes are the distinct ids the edges name.
 * Design decision: one function does both jobs with Kahn's algorithm (a
 * node is placed once all its prerequisites are); if some nodes are never
 * placed, each of them still requires another unplaced one, so following
 * such requirements from any unplaced node must revisit a node, and that
 * loop is returned as the cycle to name in the refusal.  All memory is the
 * caller's (one scratch block of learn_graph_scratch_size() bytes);
 * nothing else is allocated, so a web handler can use its request arena.
 */
#ifndef ADEPT_LEARN_GRAPH_H
#define ADEPT_LEARN_GRAPH_H

#include <stddef.h>
#include <stdint.h>

/* At most this many edges (the dense indices are 32-bit). */
#define LEARN_GRAPH_MAXEDGES	((size_t)1 << 28)

/* Bytes of scratch learn_graph_order() needs for m edges (m > 0). */
size_t	learn_graph_scratch_size(size_t m);

/*
 * Orders the nodes of the graph from[i] -> to[i], i < m ("from requires
 * to").  order and cycle must each have room for 2 m ids; scratch for
 * learn_graph_scratch_size(m) bytes, 8-byte aligned.
 *
 * Returns the number of nodes n >= 0 when the graph is acyclic, with
 * order[0..n) listing every node after all of its prerequisites (ties in
 * the order the nodes were first freed; deterministic for given input).
 * Returns -1 when there is a cycle: cycle[0..*ncycle) holds one, with
 * cycle[k] requiring cycle[k + 1] and the last requiring cycle[0] (a
 * self-requirement is a cycle of one).  Returns -2 if m exceeds
 * LEARN_GRAPH_MAXEDGES.  m = 0 returns 0.
 */
long	learn_graph_order(const int64_t *from, const int64_t *to, size_t m,
	    void *scratch, int64_t *order, int64_t *cycle, size_t *ncycle);

#endif
