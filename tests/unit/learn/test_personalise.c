/*
 * personalise: a generated lesson draft adapted per profile -- beginner
 * keeps the definitions and gains a glossary, advanced loses the key terms
 * and the sentences defining them, slow pace adds a prompt per section,
 * fast drops the objectives, no examples drops "For example" sentences;
 * citations stay with what is left of a paragraph; the cache key and the
 * level derivation.  The draft is one learn_gen_lesson writes, from the
 * generators' own run over a small text, plus one hand-written.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "learn/bm25.h"
#include "learn/gen.h"
#include "learn/personalise.h"

static const char draft[] =
    "# Keys\n\n"
    "## Objectives\n\n"
    "- Define primary key. [p1]\n"
    "- Compare primary key and foreign key. [p1]\n\n"
    "## Key terms\n\n"
    "- **primary key**: A primary key is a column that identifies each "
    "row. [p1]\n"
    "- **foreign key**: A foreign key is a column that refers to another "
    "table. [p1]\n"
    "- **tables** [p2]\n\n"
    "## Identity\n\n"
    "A primary key is a column that identifies each row. Every table "
    "should have one. For example, a member number identifies a member. "
    "[p1]\n\n"
    "## References\n\n"
    "A foreign key is a column that refers to another table. [p2]\n";

static char *
run(enum learn_pers_level l, enum learn_pers_pace pace, int ex)
{
	struct learn_pers_profile p = { l, pace, ex };
	size_t n = 0;
	char *out = learn_personalise(draft, strlen(draft), &p, &n);

	assert_non_null(out);
	assert_int_equal(n, strlen(out));
	return out;
}

static void
intermediate_normal_is_unchanged(void **state)
{
	char *o = run(LEARN_PERS_INTERMEDIATE, LEARN_PERS_NORMAL, 1);

	(void)state;
	assert_string_equal(o, draft);
	free(o);
}

static void
beginner_keeps_definitions_and_adds_glossary(void **state)
{
	char *o = run(LEARN_PERS_BEGINNER, LEARN_PERS_NORMAL, 1), *g;

	(void)state;
	assert_non_null(strstr(o, "## Key terms"));
	assert_non_null(strstr(o, "A primary key is a column that identifies "
	    "each row. Every table"));
	g = strstr(o, "## Glossary\n\n");
	assert_non_null(g);
	/* alphabetical, no citations */
	assert_non_null(strstr(g, "- **foreign key**: A foreign key is a "
	    "column that refers to another table.\n- **primary key**:"));
	assert_null(strstr(g, "[p"));
	assert_non_null(strstr(g, "- **tables**\n"));
	free(o);
}

static void
advanced_drops_basic_definitions(void **state)
{
	char *o = run(LEARN_PERS_ADVANCED, LEARN_PERS_NORMAL, 1);

	(void)state;
	assert_null(strstr(o, "## Key terms"));
	assert_null(strstr(o, "A primary key is"));
	assert_null(strstr(o, "Glossary"));
	/* the rest of the paragraph stays, with its citation */
	assert_non_null(strstr(o, "Every table should have one. For example, "
	    "a member number identifies a member. [p1]\n"));
	/* a paragraph that was only a definition goes, citation and all,
	 * and the section it emptied with it */
	assert_null(strstr(o, "[p2]"));
	assert_null(strstr(o, "## References"));
	assert_non_null(strstr(o, "## Identity"));
	assert_non_null(strstr(o, "## Objectives"));
	free(o);
}

static void
pace_and_examples(void **state)
{
	char *o = run(LEARN_PERS_INTERMEDIATE, LEARN_PERS_SLOW, 0), *a, *b;

	(void)state;
	a = strstr(o, "> **Check yourself:** before you go on, explain "
	    "\"Identity\"");
	b = strstr(o, "> **Check yourself:** before you go on, explain "
	    "\"References\"");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < strstr(o, "## References"));
	assert_null(strstr(o, "\"Key terms\""));
	assert_null(strstr(o, "For example"));
	assert_non_null(strstr(o, "Every table should have one. [p1]"));
	free(o);
	o = run(LEARN_PERS_INTERMEDIATE, LEARN_PERS_FAST, 1);
	assert_null(strstr(o, "## Objectives"));
	assert_null(strstr(o, "Define primary key"));
	assert_non_null(strstr(o, "## Key terms"));
	assert_null(strstr(o, "Check yourself"));
	free(o);
}

static void
keys_and_levels(void **state)
{
	struct learn_pers_profile p = { LEARN_PERS_BEGINNER, LEARN_PERS_SLOW,
	    0 };
	char k[64];

	(void)state;
	assert_int_equal(learn_pers_key(&p, k, sizeof(k)), 29);
	assert_string_equal(k, "level=beginner;pace=slow;ex=0");
	p.level = LEARN_PERS_ADVANCED;
	p.pace = LEARN_PERS_NORMAL;
	p.examples = 1;
	learn_pers_key(&p, k, sizeof(k));
	assert_string_equal(k, "level=advanced;pace=normal;ex=1");
	learn_pers_key(&p, k, 6);
	assert_string_equal(k, "level");
	assert_int_equal(learn_pers_level_for(LEARN_PERS_INTERMEDIATE, 0.9,
	    0), LEARN_PERS_INTERMEDIATE);
	assert_int_equal(learn_pers_level_for(LEARN_PERS_INTERMEDIATE, 0.1,
	    3), LEARN_PERS_BEGINNER);
	assert_int_equal(learn_pers_level_for(LEARN_PERS_INTERMEDIATE, 0.7,
	    3), LEARN_PERS_ADVANCED);
	assert_int_equal(learn_pers_level_for(LEARN_PERS_BEGINNER, 0.0, 3),
	    LEARN_PERS_BEGINNER);
	assert_int_equal(learn_pers_level_for(LEARN_PERS_ADVANCED, 1.0, 3),
	    LEARN_PERS_ADVANCED);
	assert_int_equal(learn_pers_level_for(LEARN_PERS_BEGINNER, 0.5, 3),
	    LEARN_PERS_BEGINNER);
	assert_int_equal(learn_pers_level_parse("advanced"),
	    LEARN_PERS_ADVANCED);
	assert_int_equal(learn_pers_level_parse("expert"),
	    LEARN_PERS_LEVEL__MAX);
	assert_int_equal(learn_pers_pace_parse("fast"), LEARN_PERS_FAST);
}

/* A draft from the generators themselves: advanced is shorter than
 * beginner, and every paragraph left still carries a citation. */
static void
generated_draft(void **state)
{
	static const char doc[] =
	    "# Keys\n\n"
	    "A primary key is a column that identifies each row of a table. "
	    "A foreign key is a column that refers to a row in another table. "
	    "Edgar Codd proposed the relational model in 1970.\n\n"
	    "## Indexes\n\n"
	    "A B-tree index is a balanced tree that keeps keys in sorted "
	    "order. A hash index is an index that stores keys by their hash "
	    "value. Michael Stonebraker led the Ingres project from 1973.\n";
	struct learn_passage *ps = NULL;
	size_t np = 0, cap = 0, nb, na;
	struct learn_bm25 *idx;
	struct learn_material m;
	struct learn_gen_req req = { -1, 0, 0 };
	struct learn_pers_profile pb = { LEARN_PERS_BEGINNER,
	    LEARN_PERS_NORMAL, 1 }, pa = { LEARN_PERS_ADVANCED,
	    LEARN_PERS_NORMAL, 1 };
	char *md = NULL, *b, *a, *s, *e;

	(void)state;
	assert_int_equal(learn_chunk(doc, strlen(doc), 0, NULL, &ps, &np,
	    &cap), 0);
	assert_non_null(idx = learn_bm25_build(ps, np));
	assert_int_equal(learn_material_init(&m, ps, np, idx), 0);
	assert_int_equal(learn_gen_lesson(&m, &req, &md), 0);
	b = learn_personalise(md, strlen(md), &pb, &nb);
	a = learn_personalise(md, strlen(md), &pa, &na);
	assert_non_null(b);
	assert_non_null(a);
	assert_true(na < nb);
	assert_non_null(strstr(b, "## Glossary"));
	for (s = a; *s; s = e + 1) {
		if ((e = strchr(s, '\n')) == NULL)
			e = s + strlen(s);
		if (e > s && *s != '#' && *s != '-' && *s != '>')
			assert_non_null(memchr(s, '[', e - s));
		if (*e == '\0')
			break;
	}
	free(a);
	free(b);
	free(md);
	learn_material_free(&m);
	learn_bm25_free(idx);
	free(ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(intermediate_normal_is_unchanged),
		cmocka_unit_test(beginner_keeps_definitions_and_adds_glossary),
		cmocka_unit_test(advanced_drops_basic_definitions),
		cmocka_unit_test(pace_and_examples),
		cmocka_unit_test(keys_and_levels),
		cmocka_unit_test(generated_draft),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
