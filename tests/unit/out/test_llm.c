/*
 * llm and llm_gen: the validators of a model's JSON (quiz items,
 * objectives, lessons, tutor answers) accept the documented shape and
 * refuse each way of getting it wrong with a reason; the code-fence
 * stripping; the URL and environment settings; the circuit breaker's
 * states over (given) time; and llm_chat refusing without a request when
 * disabled or when the breaker is open.  No server: the network path is
 * tests/cli/test_llm.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/gen.h"
#include "out/llm.h"
#include "out/llm_gen.h"

/* The prompt held passages p3, p4 and p8 (indices 2, 3, 7). */
static const size_t ids[] = { 2, 3, 7 };
#define NIDS	(sizeof(ids) / sizeof(ids[0]))

static const char good_quiz[] =
    "{\"items\":["
    "{\"type\":\"single\",\"question\":\"A ____ identifies each row.\","
    "\"options\":[\"primary key\",\"foreign key\",\"hash index\"],"
    "\"answer\":\"primary key\",\"explanation\":\"[p3] says so.\","
    "\"source\":\"p3\",\"quote\":\"A primary key identifies each row.\"},"
    "{\"type\":\"truefalse\",\"question\":\"True or false: A hash index is "
    "sorted.\",\"options\":[\"True\",\"False\"],\"answer\":\"false\","
    "\"explanation\":\"No [p4].\",\"source\":\"p4\","
    "\"quote\":\"A B-tree index is sorted.\"},"
    "{\"type\":\"cloze\",\"question\":\"Codd proposed it in ______.\","
    "\"options\":[],\"answer\":\"1970\",\"explanation\":\"[p8]\","
    "\"source\":\"P8\",\"quote\":\"Codd proposed it in 1970.\"}]}";

static enum llm_status
quiz(const char *s, size_t max, struct learn_items *it, size_t *rej,
    char *msg)
{
	return llm_gen_parse_quiz(s, strlen(s), ids, NIDS, max, it, rej, msg,
	    256);
}

static void
test_quiz_good(void **state)
{
	struct learn_items it = { 0 };
	size_t rej = 9;
	char msg[256];

	assert_int_equal(quiz(good_quiz, 10, &it, &rej, msg), LLM_OK);
	assert_int_equal(rej, 0);
	assert_int_equal(it.n, 3);
	assert_int_equal(it.v[0].type, LEARN_ITEM_SINGLE);
	assert_string_equal(it.v[0].stem, "A ____ identifies each row.");
	assert_string_equal(it.v[0].question,
	    "Which term fills the blank? \"A ____ identifies each row.\"");
	assert_int_equal(it.v[0].noptions, 3);
	assert_int_equal(it.v[0].passage, 2);
	assert_string_equal(it.v[0].claim, "A primary key identifies each row.");
	/* true/false: answer normalised, the prefix not doubled */
	assert_int_equal(it.v[1].type, LEARN_ITEM_TRUEFALSE);
	assert_string_equal(it.v[1].answer, "False");
	assert_string_equal(it.v[1].stem, "A hash index is sorted.");
	assert_string_equal(it.v[1].question,
	    "True or false: A hash index is sorted.");
	/* cloze: any run of 3+ underscores is the blank; "P8" is p8 */
	assert_int_equal(it.v[2].type, LEARN_ITEM_CLOZE);
	assert_string_equal(it.v[2].stem, "Codd proposed it in ____.");
	assert_int_equal(it.v[2].passage, 7);
	assert_int_equal(it.v[2].answer_type, LEARN_TERM_YEAR);
	learn_items_free(&it);

	/* at most max items taken; appended after what out held */
	assert_int_equal(quiz(good_quiz, 1, &it, &rej, msg), LLM_OK);
	assert_int_equal(it.n, 1);
	assert_int_equal(quiz(good_quiz, 2, &it, &rej, msg), LLM_OK);
	assert_int_equal(it.n, 3);
	learn_items_free(&it);
}

static void
test_quiz_fenced(void **state)
{
	struct learn_items it = { 0 };
	char buf[4096], msg[256];
	size_t rej, off, n;

	snprintf(buf, sizeof(buf), "\n```json\n%s\n```\n", good_quiz);
	assert_int_equal(quiz(buf, 10, &it, &rej, msg), LLM_OK);
	assert_int_equal(it.n, 3);
	learn_items_free(&it);
	n = llm_json_span("  {\"a\":1}\n", 10, &off);
	assert_int_equal(off, 2);
	assert_int_equal(n, 7);
	n = llm_json_span("```\n{}\n```", 10, &off);
	assert_int_equal(n, 2);
	assert_memory_equal("```\n{}\n```" + off, "{}", 2);
}

static void
test_quiz_not_json(void **state)
{
	struct learn_items it = { 0 };
	char msg[256];
	size_t rej;

	assert_int_equal(quiz("Sure! Here are the items: {items: [", 10, &it,
	    &rej, msg), LLM_BAD_JSON);
	assert_non_null(strstr(msg, "not JSON"));
	assert_int_equal(quiz("", 10, &it, &rej, msg), LLM_BAD_JSON);
	assert_int_equal(quiz("{\"items\":[1,2", 10, &it, &rej, msg),
	    LLM_BAD_JSON);
	assert_int_equal(it.n, 0);
}

/* One item of the wrong shape inside an otherwise good reply. */
static void
expect_refused(const char *item, const char *why)
{
	struct learn_items it = { 0 };
	char buf[2048], msg[256];
	size_t rej = 0;

	snprintf(buf, sizeof(buf), "{\"items\":[%s]}", item);
	assert_int_equal(quiz(buf, 10, &it, &rej, msg), LLM_SCHEMA);
	assert_int_equal(it.n, 0);
	assert_int_equal(rej, 1);
	if (strstr(msg, why) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", msg, why);
}

#define ITEM(type, q, opts, ans, src) \
    "{\"type\":" type ",\"question\":" q ",\"options\":" opts \
    ",\"answer\":" ans ",\"explanation\":\"x\",\"source\":" src \
    ",\"quote\":\"A b c.\"}"

static void
test_quiz_schema(void **state)
{
	struct learn_items it = { 0 };
	char msg[256];
	size_t rej;

	assert_int_equal(quiz("{\"questions\":[]}", 10, &it, &rej, msg),
	    LLM_SCHEMA);
	assert_non_null(strstr(msg, "no \"items\""));
	assert_int_equal(quiz("[1,2]", 10, &it, &rej, msg), LLM_SCHEMA);
	assert_int_equal(quiz("{\"items\":[]}", 10, &it, &rej, msg),
	    LLM_SCHEMA);
	assert_int_equal(quiz("{\"items\":{}}", 10, &it, &rej, msg),
	    LLM_SCHEMA);
	expect_refused("7", "not an object");
	expect_refused(ITEM("\"essay\"", "\"A ____.\"", "[]", "\"a\"",
	    "\"p3\""), "type \"essay\"");
	expect_refused(ITEM("\"single\"", "\"A ____.\"", "[\"a\",\"b\",\"c\"]",
	    "\"d\"", "\"p3\""), "not among the options");
	expect_refused(ITEM("\"single\"", "\"A ____.\"", "[\"a\",\"b\"]",
	    "\"a\"", "\"p3\""), "2 options");
	expect_refused(ITEM("\"single\"", "\"A ____.\"",
	    "[\"a\",\"b\",\"c\",\"d\",\"e\"]", "\"a\"", "\"p3\""), "5 options");
	expect_refused(ITEM("\"single\"", "\"A ____.\"", "[\"a\",\"\",\"c\"]",
	    "\"a\"", "\"p3\""), "option 2");
	expect_refused(ITEM("\"single\"", "\"A ____.\"", "\"a, b, c\"",
	    "\"a\"", "\"p3\""), "not an array");
	expect_refused(ITEM("\"single\"", "\"A b.\"", "[\"a\",\"b\",\"c\"]",
	    "\"a\"", "\"p3\""), "no blank");
	expect_refused(ITEM("\"cloze\"", "\"A ____ and ____.\"", "[]", "\"a\"",
	    "\"p3\""), "more than one");
	expect_refused(ITEM("\"cloze\"", "\"A ____.\"", "[\"a\"]", "\"a\"",
	    "\"p3\""), "cloze item has options");
	expect_refused(ITEM("\"truefalse\"", "\"A b.\"", "[\"Yes\",\"No\"]",
	    "\"Yes\"", "\"p3\""), "[\"True\",\"False\"]");
	expect_refused(ITEM("\"truefalse\"", "\"A b.\"", "[\"True\",\"False\"]",
	    "\"maybe\"", "\"p3\""), "not among the options");
	expect_refused(ITEM("\"cloze\"", "\"A ____.\"", "[]", "\"a\"",
	    "\"p5\""), "\"source\"");	/* p5 was not in the prompt */
	expect_refused(ITEM("\"cloze\"", "\"A ____.\"", "[]", "\"a\"",
	    "\"passage 3\""), "\"source\"");
	expect_refused(ITEM("\"cloze\"", "\"A ____.\"", "[]", "\"a\"", "3"),
	    "\"source\"");
	expect_refused(ITEM("\"cloze\"", "\"A ____.\"", "[]", "\"  \"",
	    "\"p3\""), "\"answer\" is missing or empty");
	expect_refused("{\"type\":\"cloze\",\"question\":\"A ____.\","
	    "\"options\":[],\"answer\":\"a\",\"explanation\":\"x\","
	    "\"source\":\"p3\"}", "\"quote\" is missing");
}

static void
test_quiz_mixed(void **state)
{
	struct learn_items it = { 0 };
	char msg[256];
	size_t rej;
	const char *s = "{\"items\":["
	    ITEM("\"essay\"", "\"A ____.\"", "[]", "\"a\"", "\"p3\"") ","
	    ITEM("\"cloze\"", "\"A ____.\"", "[]", "\"a\"", "\"p4\"") "]}";

	/* a good item survives a bad one, which is counted and named */
	assert_int_equal(quiz(s, 10, &it, &rej, msg), LLM_OK);
	assert_int_equal(it.n, 1);
	assert_int_equal(rej, 1);
	assert_non_null(strstr(msg, "item 1: type \"essay\""));
	learn_items_free(&it);
}

static void
test_objectives(void **state)
{
	struct learn_items it = { 0 };
	char msg[256];
	size_t rej;
	const char *good = "{\"objectives\":[{\"objective\":\"Explain keys\","
	    "\"bloom\":\"understand\",\"terms\":[\"key\"],"
	    "\"sources\":[\"p3\",\"p4\"]},{\"objective\":\"Compare indexes\","
	    "\"bloom\":\"analyze\",\"terms\":[],\"sources\":[\"p8\"]}]}";
	const char *bad[][2] = {
		{ "{\"objective\":\"x\",\"bloom\":\"create\",\"terms\":[],"
		  "\"sources\":[\"p3\"]}", "bloom \"create\"" },
		{ "{\"objective\":\"x\",\"bloom\":\"apply\",\"terms\":[],"
		  "\"sources\":[]}", "\"sources\"" },
		{ "{\"objective\":\"x\",\"bloom\":\"apply\",\"terms\":[],"
		  "\"sources\":[\"p9\"]}", "source 1" },
		{ "{\"objective\":\"x\",\"bloom\":\"apply\",\"terms\":[1],"
		  "\"sources\":[\"p3\"]}", "term 1" },
		{ "{\"bloom\":\"apply\",\"terms\":[],\"sources\":[\"p3\"]}",
		  "no \"objective\"" },
	};
	char buf[512];
	size_t i;

	assert_int_equal(llm_gen_parse_objectives(good, strlen(good), ids, NIDS,
	    8, &it, &rej, msg, sizeof(msg)), LLM_OK);
	assert_int_equal(it.n, 2);
	assert_int_equal(it.v[0].type, LEARN_ITEM_OBJECTIVE);
	assert_int_equal(it.v[0].bloom, LEARN_BLOOM_UNDERSTAND);
	assert_int_equal(it.v[0].ncites, 2);
	assert_int_equal(it.v[0].cites[1], 3);
	assert_int_equal(it.v[0].passage, 2);
	assert_string_equal(it.v[0].options[0], "key");
	assert_int_equal(it.v[1].bloom, LEARN_BLOOM_ANALYSE);
	learn_items_free(&it);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"objectives\":[%s]}", bad[i][0]);
		assert_int_equal(llm_gen_parse_objectives(buf, strlen(buf), ids,
		    NIDS, 8, &it, &rej, msg, sizeof(msg)), LLM_SCHEMA);
		if (strstr(msg, bad[i][1]) == NULL)
			fail_msg("\"%s\" does not say \"%s\"", msg, bad[i][1]);
	}
}

static void
test_lesson(void **state)
{
	char msg[256], *md;
	const char *good = "{\"lesson\":\"# Keys\\n\\nKeys name rows [p3].\\n\\n"
	    "Indexes find them [p8][p3].\"}";
	const char *unknown = "{\"lesson\":\"Keys [p3] and [p5].\"}";
	const char *none = "{\"lesson\":\"Keys name rows.\"}";

	assert_int_equal(llm_gen_parse_lesson(good, strlen(good), ids, NIDS,
	    &md, msg, sizeof(msg)), LLM_OK);
	assert_non_null(strstr(md, "# Keys"));
	free(md);
	assert_int_equal(llm_gen_parse_lesson(unknown, strlen(unknown), ids,
	    NIDS, &md, msg, sizeof(msg)), LLM_SCHEMA);
	assert_non_null(strstr(msg, "[p5]"));
	assert_null(md);
	assert_int_equal(llm_gen_parse_lesson(none, strlen(none), ids, NIDS,
	    &md, msg, sizeof(msg)), LLM_SCHEMA);
	assert_int_equal(llm_gen_parse_lesson("{\"lesson\":3}", 12, ids, NIDS,
	    &md, msg, sizeof(msg)), LLM_SCHEMA);
	assert_int_equal(llm_gen_parse_lesson("# Keys", 6, ids, NIDS, &md, msg,
	    sizeof(msg)), LLM_BAD_JSON);
}

static void
test_answer(void **state)
{
	struct llm_gen_answer a;
	char msg[256], big[2200];
	const char *good = "{\"answer\":\"A primary key identifies a row "
	    "[p4].\",\"sources\":[\"p4\",\"p3\"]}";
	const char *out = "{\"answer\":\"x\",\"sources\":[\"p1\"]}";
	const char *none = "{\"answer\":\"x\",\"sources\":[]}";

	assert_int_equal(llm_gen_parse_answer(good, strlen(good), ids, NIDS,
	    &a, msg, sizeof(msg)), LLM_OK);
	assert_int_equal(a.ncites, 2);
	assert_int_equal(a.cites[0], 3);
	assert_non_null(strstr(a.text, "[p4]"));
	llm_gen_answer_free(&a);
	assert_int_equal(llm_gen_parse_answer(out, strlen(out), ids, NIDS, &a,
	    msg, sizeof(msg)), LLM_SCHEMA);
	assert_null(a.text);
	assert_int_equal(llm_gen_parse_answer(none, strlen(none), ids, NIDS,
	    &a, msg, sizeof(msg)), LLM_SCHEMA);
	memset(big, 'a', sizeof(big));
	memcpy(big, "{\"answer\":\"", 11);
	snprintf(big + 2150, 50, "\",\"sources\":[\"p3\"]}");
	assert_int_equal(llm_gen_parse_answer(big, strlen(big), ids, NIDS, &a,
	    msg, sizeof(msg)), LLM_SCHEMA);
	assert_non_null(strstr(msg, "over 2000"));
}

static void
test_config(void **state)
{
	struct llm_config c;

	unsetenv("ADEPT_LLM_URL");
	setenv("ADEPT_LLM_TIMEOUT_S", "0.5", 1);
	setenv("ADEPT_LLM_RETRIES", "nope", 1);
	setenv("ADEPT_LLM_BREAKER_FAILURES", "4", 1);
	llm_config_init(&c);
	assert_false(llm_enabled(&c));
	assert_int_equal(c.timeout_ms, 500);
	assert_int_equal(c.retries, 2);		/* bad: the default */
	assert_int_equal(c.breaker_failures, 4);
	assert_int_equal(c.breaker_cooldown_ms, 60000);
	llm_config_url(&c, "http://127.0.0.1:8081");
	assert_string_equal(c.url, "http://127.0.0.1:8081/v1/chat/completions");
	llm_config_url(&c, "https://api.example.com/v1/");
	assert_string_equal(c.url, "https://api.example.com/v1/chat/completions");
	llm_config_url(&c, "http://h/v1/chat/completions");
	assert_string_equal(c.url, "http://h/v1/chat/completions");
	llm_config_url(&c, "");
	assert_false(llm_enabled(&c));
	assert_string_equal(llm_status_name(LLM_CIRCUIT_OPEN), "circuit_open");
	assert_string_equal(llm_status_name(LLM_SCHEMA), "schema_mismatch");
	unsetenv("ADEPT_LLM_TIMEOUT_S");
	unsetenv("ADEPT_LLM_RETRIES");
	unsetenv("ADEPT_LLM_BREAKER_FAILURES");
}

static void
test_breaker(void **state)
{
	struct llm_config c;
	struct llm_breaker b;

	memset(&c, 0, sizeof(c));
	c.breaker_failures = 3;
	c.breaker_cooldown_ms = 1000;
	llm_breaker_init(&b);
	assert_true(llm_breaker_allow(&b, 0));
	llm_breaker_record(&b, &c, 0, 10);
	llm_breaker_record(&b, &c, 0, 20);
	assert_true(llm_breaker_allow(&b, 30));
	llm_breaker_record(&b, &c, 1, 30);	/* a success resets the count */
	llm_breaker_record(&b, &c, 0, 40);
	llm_breaker_record(&b, &c, 0, 50);
	assert_true(llm_breaker_allow(&b, 60));
	llm_breaker_record(&b, &c, 0, 60);	/* third in a row: open */
	assert_false(llm_breaker_allow(&b, 61));
	assert_false(llm_breaker_allow(&b, 1059));
	assert_int_equal(b.skipped, 2);
	assert_true(llm_breaker_allow(&b, 1060));	/* cool-down over */
	llm_breaker_record(&b, &c, 0, 1070);	/* the probe fails: open again */
	assert_false(llm_breaker_allow(&b, 1080));
	assert_true(llm_breaker_allow(&b, 2070));
	llm_breaker_record(&b, &c, 1, 2080);	/* the probe works: closed */
	assert_true(llm_breaker_allow(&b, 2081));
	assert_int_equal(b.failures, 0);
	llm_breaker_destroy(&b);

	c.breaker_failures = 0;			/* 0: never opens */
	llm_breaker_init(&b);
	llm_breaker_record(&b, &c, 0, 1);
	llm_breaker_record(&b, &c, 0, 2);
	assert_true(llm_breaker_allow(&b, 3));
	llm_breaker_destroy(&b);
}

static enum llm_status
never(void *ctx, const char *s, size_t n, char *msg, size_t msglen)
{
	fail_msg("the check ran without a request");
	return LLM_SCHEMA;
}

static void
test_chat_refuses(void **state)
{
	struct llm_config c;
	struct llm_breaker b;
	struct llm_result r;

	unsetenv("ADEPT_LLM_URL");
	llm_config_init(&c);
	assert_int_equal(llm_chat(&c, NULL, "s", "u", never, NULL, &r),
	    LLM_DISABLED);
	assert_int_equal(r.attempts, 0);
	assert_non_null(strstr(r.msg, "ADEPT_LLM_URL"));

	/* an open breaker: no request (the URL would refuse anyway) */
	llm_config_url(&c, "http://127.0.0.1:9");
	c.breaker_failures = 1;
	c.breaker_cooldown_ms = 60000;
	llm_breaker_init(&b);
	llm_breaker_record(&b, &c, 0, llm_now_ms());
	assert_int_equal(llm_chat(&c, &b, "s", "u", never, NULL, &r),
	    LLM_CIRCUIT_OPEN);
	assert_int_equal(r.attempts, 0);
	assert_int_equal(b.skipped, 1);
	llm_breaker_destroy(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiz_good),
		cmocka_unit_test(test_quiz_fenced),
		cmocka_unit_test(test_quiz_not_json),
		cmocka_unit_test(test_quiz_schema),
		cmocka_unit_test(test_quiz_mixed),
		cmocka_unit_test(test_objectives),
		cmocka_unit_test(test_lesson),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_breaker),
		cmocka_unit_test(test_chat_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
