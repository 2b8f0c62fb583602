/*
 * gen and gencheck: the generators are deterministic and their items pass
 * the checks; distractors have the answer's type; each check fires on an
 * item made to fail it and stays quiet on a good one; the tutor answers
 * and refuses.  The material is a small text written here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "learn/gen.h"
#include "learn/gencheck.h"
#include "learn/tutor.h"

static const char doc[] =
    "# Keys\n\n"
    "A primary key is a column that identifies each row of a table. "
    "A foreign key is a column that refers to a row in another table. "
    "A candidate key is a minimal set of columns that identifies a row.\n\n"
    "Edgar Codd proposed the relational model in 1970. Charles Bachman "
    "received the Turing Award in 1973. Donald Chamberlin designed SQL in "
    "1974 with Raymond Boyce.\n\n"
    "## Indexes\n\n"
    "A B-tree index is a balanced tree that keeps keys in sorted order. "
    "A hash index is an index that stores keys by their hash value. "
    "A partial index is an index that covers only some rows of a table. "
    "Michael Stonebraker led the Ingres project from 1973 and Patricia "
    "Selinger described the cost-based planner in 1979.\n\n"
    "A primary key and a foreign key both use a column. A hash index and a "
    "partial index are kinds of index. Edgar Codd and Michael Stonebraker "
    "worked on the relational model. Pages of 8 kilobytes hold 100 rows.\n";

struct fx {
	struct learn_passage	*ps;
	size_t			 np, cap;
	struct learn_bm25	*idx;
	struct learn_material	 m;
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || learn_chunk(doc, strlen(doc), 0, NULL, &f->ps, &f->np,
	    &f->cap) == -1 || (f->idx = learn_bm25_build(f->ps, f->np)) == NULL ||
	    learn_material_init(&f->m, f->ps, f->np, f->idx) == -1)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	learn_material_free(&f->m);
	learn_bm25_free(f->idx);
	free(f->ps);
	free(f);
	return 0;
}

static long
term(const struct learn_material *m, const char *text)
{
	size_t i;

	for (i = 0; i < m->nterms; i++)
		if (strcmp(m->terms[i].text, text) == 0)
			return i;
	return -1;
}

static void
test_terms_and_distractor_types(void **state)
{
	struct fx *f = *state;
	size_t d[3], n, i;
	long t;

	assert_true((t = term(&f->m, "primary key")) >= 0);
	assert_int_equal(f->m.terms[t].type, LEARN_TERM_PHRASE);
	assert_true(f->m.terms[t].def >= 0);
	assert_true((t = term(&f->m, "1970")) >= 0);
	assert_int_equal(f->m.terms[t].type, LEARN_TERM_YEAR);
	n = learn_gen_distractors(&f->m, t, NULL, 0, d, 3);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++)
		assert_int_equal(f->m.terms[d[i]].type, LEARN_TERM_YEAR);
	assert_true((t = term(&f->m, "Edgar Codd")) >= 0);
	assert_int_equal(f->m.terms[t].type, LEARN_TERM_NAME);
	n = learn_gen_distractors(&f->m, t, NULL, 0, d, 3);
	assert_true(n >= 2);
	for (i = 0; i < n; i++) {
		assert_int_equal(f->m.terms[d[i]].type, LEARN_TERM_NAME);
		assert_string_not_equal(f->m.terms[d[i]].text, "Edgar Codd");
	}
	t = term(&f->m, "primary key");
	n = learn_gen_distractors(&f->m, t, NULL, 0, d, 3);
	assert_true(n >= 2);
	for (i = 0; i < n; i++)
		assert_int_equal(f->m.terms[d[i]].type, LEARN_TERM_PHRASE);
}

/* A material of its own, built and freed by the caller's test. */
struct own {
	struct learn_passage	*ps;
	size_t			 np, cap;
	struct learn_bm25	*idx;
	struct learn_material	 m;
};

static void
own_init(struct own *o, const char *text)
{
	memset(o, 0, sizeof(*o));
	assert_int_equal(learn_chunk(text, strlen(text), 0, NULL, &o->ps,
	    &o->np, &o->cap), 0);
	assert_non_null(o->idx = learn_bm25_build(o->ps, o->np));
	assert_int_equal(learn_material_init(&o->m, o->ps, o->np, o->idx), 0);
}

static void
own_free(struct own *o)
{
	learn_material_free(&o->m);
	learn_bm25_free(o->idx);
	free(o->ps);
}

/*
 * "relation" for "table" makes a false statement that is true: a term the
 * material names as another ("a table, or relation,", "a relation is a
 * table") is never its distractor nor its substitute, nor is a term
 * sharing its stem ("replica", "replication"); a false true/false item
 * swaps in a term that is not a synonym and says which.
 */
static const char syn[] =
    "# Tables\n\n"
    "In everyday language, a relation is a table, a tuple is a row and an "
    "attribute is a column. Every table, or relation, has a name. "
    "A table holds rows of the same shape. Most questions need data from "
    "more than one table. A relation has no order among its rows. "
    "A query reads a table and returns rows. The INSERT statement adds "
    "new rows to a table. A relation keeps no duplicate rows.\n\n"
    "## Storage\n\n"
    "A page is a block of storage that holds many rows. A buffer is a "
    "memory area that holds a page. A replica is a copy of the data on "
    "another machine. Replication keeps a replica up to date. A page "
    "lives in the buffer for a while. A query reads a page through the "
    "buffer. A replica serves queries. Replication sends each change to "
    "the replica. Data reaches each machine through replication. The log "
    "feeds replication. A machine may lag in replication. An index is a structure that finds rows fast. A query "
    "uses an index. An index points at a page. A lock is a marker on a "
    "row. A query takes a lock. A lock protects a page. A log is a file "
    "of changes. The log records a change to a page. A query never "
    "writes the log.\n";

static void
test_no_synonym_swaps(void **state)
{
	struct own o;
	struct learn_gen_req r = { -1, 60, 0 };
	struct learn_items it = { 0 };
	size_t d[16], n, i, nfalse = 0;
	long ta, tr, tp, tn;

	(void)state;
	own_init(&o, syn);
	assert_true((ta = term(&o.m, "table")) >= 0);
	assert_true((tr = term(&o.m, "relation")) >= 0);
	assert_true((tp = term(&o.m, "replica")) >= 0);
	assert_true((tn = term(&o.m, "replication")) >= 0);
	n = learn_gen_distractors(&o.m, ta, NULL, 0, d, 16);
	assert_true(n >= 2);
	for (i = 0; i < n; i++)
		assert_true((long)d[i] != tr);
	n = learn_gen_distractors(&o.m, tr, NULL, 0, d, 16);
	for (i = 0; i < n; i++)
		assert_true((long)d[i] != ta);
	n = learn_gen_distractors(&o.m, tp, NULL, 0, d, 16);
	for (i = 0; i < n; i++)
		assert_true((long)d[i] != tn);

	assert_int_equal(learn_gen_quiz(&o.m, &r, &it), 0);
	for (i = 0; i < it.n; i++) {
		const struct learn_item *x = &it.v[i];

		if (x->type != LEARN_ITEM_TRUEFALSE ||
		    strcmp(x->answer, "False") != 0)
			continue;
		nfalse++;
		/* "...: table, not relation [p1]": a swap, named */
		assert_non_null(strstr(x->explanation, ", not "));
		assert_null(strstr(x->explanation, "table, not relation"));
		assert_null(strstr(x->explanation, "tables, not relations"));
		assert_null(strstr(x->explanation, "relation, not table"));
		assert_null(strstr(x->explanation, "relations, not tables"));
		assert_null(strstr(x->explanation, "replica, not replication"));
		assert_null(strstr(x->explanation, "replication, not replica"));
		assert_string_not_equal(x->stem, x->claim);
	}
	assert_true(nfalse > 0);
	learn_items_free(&it);
	own_free(&o);
}

/*
 * One term in every sentence does not take the quiz over: a key term is
 * the answer of at most max(2, n / 20) items while other terms are left.
 */
static const char hog[] =
    "# Transactions\n\n"
    "A savepoint is a named point inside a transaction. "
    "A rollback is the undoing of a transaction. "
    "A commit is the end of a successful transaction. "
    "A deadlock is a cycle of waits between one transaction and another. "
    "A snapshot is the view of the data that a transaction reads. "
    "A lock is a marker that a transaction holds on a row. "
    "A schedule is the order of the steps of each transaction.\n\n"
    "## More\n\n"
    "An anomaly is a wrong result of a concurrent transaction. "
    "A phantom is a row that appears in a transaction between two reads. "
    "A victim is the transaction that a deadlock detector aborts. "
    "A checkpoint is a point after which a transaction is redone. "
    "A coordinator is the machine that decides a distributed transaction. "
    "A participant is a machine that votes on a distributed transaction. "
    "A timeout is a limit on how long a transaction waits.\n";

static void
test_quiz_spreads_terms(void **state)
{
	struct own o;
	struct learn_gen_req r = { -1, 12, 0 };
	struct learn_items it = { 0 };
	size_t i, hog_n = 0;

	(void)state;
	own_init(&o, hog);
	assert_true(term(&o.m, "transaction") == 0);	/* the commonest */
	assert_int_equal(learn_gen_quiz(&o.m, &r, &it), 0);
	assert_true(it.n >= 8);
	for (i = 0; i < it.n; i++)
		if (it.v[i].type != LEARN_ITEM_TRUEFALSE &&
		    strcasecmp(it.v[i].answer, "transaction") == 0)
			hog_n++;
	assert_true(hog_n <= 2);
	learn_items_free(&it);
	own_free(&o);
}

static void
test_quiz_deterministic_and_checked(void **state)
{
	struct fx *f = *state;
	struct learn_gen_req r = { -1, 12, 0 };
	struct learn_items a = { 0 }, b = { 0 };
	struct learn_check_result res[32];
	size_t i, k, types[LEARN_ITEM__MAX] = { 0 };

	assert_int_equal(learn_gen_quiz(&f->m, &r, &a), 0);
	assert_int_equal(learn_gen_offline.quiz(NULL, &f->m, &r, &b, NULL, 0), 0);
	assert_true(a.n >= 6 && a.n <= 12);
	assert_int_equal(a.n, b.n);
	for (i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i].question, b.v[i].question);
		assert_int_equal(a.v[i].noptions, b.v[i].noptions);
		for (k = 0; k < a.v[i].noptions; k++)
			assert_string_equal(a.v[i].options[k], b.v[i].options[k]);
		assert_int_equal(learn_check_item(&a.v[i], f->ps, f->np, NULL,
		    &res[i]) >= 0, 1);
		assert_true(res[i].ok[LEARN_CHECK_GROUNDED]);
		assert_true(res[i].ok[LEARN_CHECK_DISTRACTORS]);
		types[a.v[i].type]++;
	}
	assert_int_equal(learn_check_dups(a.v, a.n, res), 0);
	assert_true(types[LEARN_ITEM_SINGLE] > 0);
	assert_true(types[LEARN_ITEM_TRUEFALSE] > 0);
	assert_true(types[LEARN_ITEM_CLOZE] > 0);
	learn_items_free(&a);
	learn_items_free(&b);
}

static void
test_objectives_and_lesson(void **state)
{
	struct fx *f = *state;
	struct learn_gen_req r = { 0, 8, 0 };
	struct learn_items o = { 0 };
	struct learn_check_result res;
	char *md;
	size_t i;

	assert_int_equal(learn_gen_objectives(&f->m, &r, &o), 0);
	assert_true(o.n >= 3);
	for (i = 0; i < o.n; i++) {
		assert_true(learn_bloom_verb(o.v[i].bloom, o.v[i].question));
		assert_true(o.v[i].ncites > 0);
		learn_check_item(&o.v[i], f->ps, f->np, NULL, &res);
		assert_true(res.ok[LEARN_CHECK_GROUNDED]);
	}
	learn_items_free(&o);
	assert_int_equal(learn_gen_lesson(&f->m, &r, &md), 0);
	assert_non_null(strstr(md, "## Key terms"));
	assert_non_null(strstr(md, "[p1]"));
	free(md);
}

static void
clear(struct learn_item *x)
{
	size_t k;

	free(x->claim);
	free(x->stem);
	free(x->question);
	free(x->answer);
	free(x->explanation);
	for (k = 0; k < x->noptions; k++)
		free(x->options[k]);
	memset(x, 0, sizeof(*x));
}

/* An item built by hand from passage 0's first sentence (x zeroed or
 * holding an earlier item, which is freed). */
static void
good_item(struct learn_item *x)
{
	clear(x);
	x->type = LEARN_ITEM_SINGLE;
	x->claim = strdup("A primary key is a column that identifies each row of a table.");
	x->stem = strdup("A ____ is a column that identifies each row of a table.");
	x->question = strdup("Which term fills the blank?");
	x->answer = strdup("primary key");
	x->explanation = strdup("the material says so");
	x->options[0] = strdup("foreign key");
	x->options[1] = strdup("primary key");
	x->options[2] = strdup("candidate key");
	x->noptions = 3;
}

static void
test_checks_fire(void **state)
{
	struct fx *f = *state;
	struct learn_items it = { 0 };
	struct learn_check_result r[2];
	const char *blocked[] = { "Turing Award" };
	struct learn_check_opt o = { LEARN_LEVEL_ADULT, blocked, 1 };
	struct learn_item *x;
	char why[LEARN_CHECK_REASON];

	it.v = calloc(2, sizeof(*it.v));
	it.n = it.cap = 2;
	x = &it.v[0];
	good_item(x);
	good_item(&it.v[1]);
	assert_int_equal(learn_check_item(x, f->ps, f->np, &o, &r[0]), 1);
	/* grounded: a word the passage lacks; an answer that is not the
	 * sentence's */
	free(x->claim);
	x->claim = strdup("A primary key is a column that identifies each zebra.");
	assert_int_equal(learn_check_item(x, f->ps, f->np, &o, &r[0]), 0);
	assert_false(r[0].ok[LEARN_CHECK_GROUNDED]);
	assert_non_null(strstr(r[0].reason[LEARN_CHECK_GROUNDED], "zebra"));
	good_item(x);
	free(x->answer);
	x->answer = strdup("foreign key");
	learn_check_item(x, f->ps, f->np, &o, &r[0]);
	assert_false(r[0].ok[LEARN_CHECK_GROUNDED]);
	/* distractors: two the same after folding */
	good_item(x);
	free(x->options[2]);
	x->options[2] = strdup("Foreign Keys");
	learn_check_item(x, f->ps, f->np, &o, &r[0]);
	assert_false(r[0].ok[LEARN_CHECK_DISTRACTORS]);
	assert_true(r[0].ok[LEARN_CHECK_GROUNDED]);
	/* duplicates: the second of two equal items */
	good_item(x);
	learn_check_item(&it.v[0], f->ps, f->np, &o, &r[0]);
	learn_check_item(&it.v[1], f->ps, f->np, &o, &r[1]);
	assert_int_equal(learn_check_dups(it.v, 2, r), 1);
	assert_true(r[0].ok[LEARN_CHECK_DUPLICATE]);
	assert_false(r[1].ok[LEARN_CHECK_DUPLICATE]);
	assert_non_null(strstr(r[1].reason[LEARN_CHECK_DUPLICATE], "item 1"));
	/* readability: fine for adults, too long for primary */
	o.level = LEARN_LEVEL_PRIMARY;
	free(x->stem);
	x->stem = strdup("A ____ is a column that identifies each row of a table "
	    "and that the database management system refuses to duplicate or "
	    "leave empty in any circumstances whatsoever.");
	learn_check_item(x, f->ps, f->np, &o, &r[0]);
	assert_false(r[0].ok[LEARN_CHECK_READABILITY]);
	o.level = LEARN_LEVEL_ADULT;
	/* safety */
	assert_int_equal(learn_safety("mail ann@example.org now", 24, &o, why,
	    sizeof(why)), 1);
	assert_non_null(strstr(why, "e-mail"));
	assert_int_equal(learn_safety("call +44 20 7946 0958", 21, &o, why,
	    sizeof(why)), 1);
	assert_int_equal(learn_safety("card 4111 1111 1111 1111", 24, &o, why,
	    sizeof(why)), 1);
	assert_non_null(strstr(why, "card"));
	assert_int_equal(learn_safety("GB82 WEST 1234 5698 7654 32", 27, &o,
	    why, sizeof(why)), 1);
	assert_non_null(strstr(why, "IBAN"));
	assert_int_equal(learn_safety("won the turing awards", 21, &o, why,
	    sizeof(why)), 1);
	assert_non_null(strstr(why, "blocked"));
	{
		static const char clean[] = "In 1970 Codd wrote 12,000 words; "
		    "a B-tree of 125000000 rows has 3 levels.";

		assert_int_equal(learn_safety(clean, sizeof(clean) - 1, &o,
		    why, sizeof(why)), 0);
	}
	learn_items_free(&it);
}

static void
test_tutor(void **state)
{
	struct fx *f = *state;
	struct learn_tutor_answer a;
	const char *q1 = "What is a foreign key?", *q2 = "Who painted the Mona Lisa?";

	assert_int_equal(learn_tutor(f->idx, f->ps, f->np, q1, strlen(q1), NULL,
	    &a), 0);
	assert_false(a.refused);
	assert_true(a.nquotes >= 1);
	assert_memory_equal(a.q[0].text, "A foreign key is", 16);
	assert_int_equal(learn_tutor(f->idx, f->ps, f->np, q2, strlen(q2), NULL,
	    &a), 0);
	assert_true(a.refused);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms_and_distractor_types),
		cmocka_unit_test(test_quiz_deterministic_and_checked),
		cmocka_unit_test(test_no_synonym_swaps),
		cmocka_unit_test(test_quiz_spreads_terms),
		cmocka_unit_test(test_objectives_and_lesson),
		cmocka_unit_test(test_checks_fire),
		cmocka_unit_test(test_tutor),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
