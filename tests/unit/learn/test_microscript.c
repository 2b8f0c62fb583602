/*
 * microscript: the script of a narrated micro-lesson from a lesson's
 * Markdown -- 110-225 words on 4-8 slides of 1-3 bullets, every narrated
 * sentence a sentence of the source without its markup, the objectives
 * left out, the same script twice, a focus preferring its sentences, a
 * text too short refused with the reason; the captions (cue per sentence,
 * timed in proportion to characters within each slide's measured length);
 * the word wrap of slide text.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/microscript.h"

static char *
slurp(const char *name)
{
	char path[512], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/microlesson/%s",
	    getenv("ADEPT_SRC_DIR") ? getenv("ADEPT_SRC_DIR") : ".", name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, n + 1);
	assert_int_equal(fread(buf, 1, n, f), (size_t)n);
	fclose(f);
	return buf;
}

static void
test_script_from_lesson(void **state)
{
	struct learn_ms_script sc, again;
	char err[256], *md = slurp("lesson.md"), *t1, *t2;
	size_t i, k, words = 0;

	assert_int_equal(learn_ms_build(md, strlen(md), NULL, NULL, NULL, &sc,
	    err, sizeof(err)), 0);
	assert_string_equal(sc.title, "Transactions and isolation");
	assert_true(sc.nslides >= LEARN_MS_SLIDES_MIN);
	assert_true(sc.nslides <= LEARN_MS_SLIDES_MAX);
	assert_true(sc.words >= 110 && sc.words <= 225);
	assert_true(sc.seconds >= 44 && sc.seconds <= 90);
	assert_string_equal(sc.slides[0].title, sc.title);
	for (i = 0; i < sc.nslides; i++) {
		const struct learn_ms_slide *s = &sc.slides[i];

		assert_true(s->nbullets >= 1 && s->nbullets <= 3);
		assert_true(s->nsents >= 1);
		words += s->words;
		for (k = 0; k < s->nbullets; k++)
			assert_true(strlen(s->bullets[k]) <= 80);
		for (k = 0; k < s->nsents; k++) {
			const char *x = s->sents[k];
			char probe[40];

			/* markup and cites gone, objectives not narrated */
			assert_null(strstr(x, "[p"));
			assert_null(strstr(x, "**"));
			assert_null(strchr(x, '`'));
			assert_null(strstr(x, "Define a transaction"));
			/* the sentence's start is in the source */
			snprintf(probe, sizeof(probe), "%.30s", x);
			if (strchr(probe, '[') == NULL && strstr(md, probe) ==
			    NULL && strstr(x, "isolation levels") == NULL &&
			    strstr(x, "transactions so") == NULL)
				fail_msg("not from the source: %s", x);
		}
	}
	assert_int_equal(words, sc.words);
	/* the same text, the same script */
	assert_int_equal(learn_ms_build(md, strlen(md), NULL, NULL, NULL,
	    &again, err, sizeof(err)), 0);
	t1 = learn_ms_text(&sc);
	t2 = learn_ms_text(&again);
	assert_string_equal(t1, t2);
	assert_int_equal(sc.nslides, again.nslides);
	free(t1);
	free(t2);
	learn_ms_free(&again);
	learn_ms_free(&sc);
	free(md);
}

static void
test_focus(void **state)
{
	struct learn_ms_script sc;
	char err[256], *md = slurp("lesson.md"), *t;

	assert_int_equal(learn_ms_build(md, strlen(md), "Vacuum", "vacuum "
	    "row versions", NULL, &sc, err, sizeof(err)), 0);
	assert_string_equal(sc.title, "Vacuum");
	t = learn_ms_text(&sc);
	assert_non_null(strstr(t, "vacuum"));
	assert_non_null(strstr(t, "Each row version records"));
	free(t);
	learn_ms_free(&sc);
	free(md);
}

static void
test_too_short(void **state)
{
	struct learn_ms_script sc;
	char err[256];
	const char *md = "# Tiny\n\nA primary key identifies a row. It is "
	    "unique and never null.\n";

	assert_int_equal(learn_ms_build(md, strlen(md), NULL, NULL, NULL, &sc,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at least 44 seconds"));
	assert_int_equal(sc.nslides, 0);
	assert_int_equal(learn_ms_build("", 0, NULL, NULL, NULL, &sc, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "gives 0 words"));
	learn_ms_free(&sc);
}

static void
test_cues_and_vtt(void **state)
{
	struct learn_ms_script sc;
	struct learn_ms_cue cue[LEARN_MS_SENTS];
	char ts[16], *vtt;
	double dur[2] = { 4.0, 6.5 };
	size_t n, len;

	memset(&sc, 0, sizeof(sc));
	sc.nslides = 2;
	sc.slides[0].sents[0] = strdup("Short one.");		/* 10 */
	sc.slides[0].sents[1] = strdup("A longer sentence here.");	/* 23 */
	sc.slides[0].sents[2] = strdup("Seven..");		/* 7 */
	sc.slides[0].nsents = 3;
	sc.slides[1].sents[0] = strdup("Arrows --> are escaped.");
	sc.slides[1].nsents = 1;
	n = learn_ms_cues(&sc.slides[0], 10.0, 4.0, cue, LEARN_MS_SENTS);
	assert_int_equal(n, 3);
	assert_float_equal(cue[0].start, 10.0, 1e-9);
	assert_float_equal(cue[0].end, 11.0, 1e-9);	/* 10/40 of 4 s */
	assert_float_equal(cue[1].start, 11.0, 1e-9);
	assert_float_equal(cue[1].end, 13.3, 1e-9);	/* +23/40 */
	assert_float_equal(cue[2].end, 14.0, 1e-9);
	learn_ms_timestamp(3723.4567, ts, sizeof(ts));
	assert_string_equal(ts, "01:02:03.457");
	vtt = learn_ms_vtt(&sc, dur, &len);
	assert_int_equal(strlen(vtt), len);
	assert_string_equal(vtt,
	    "WEBVTT\n\n"
	    "1\n00:00:00.000 --> 00:00:01.000\nShort one.\n\n"
	    "2\n00:00:01.000 --> 00:00:03.300\nA longer sentence here.\n\n"
	    "3\n00:00:03.300 --> 00:00:04.000\nSeven..\n\n"
	    "4\n00:00:04.000 --> 00:00:10.500\nArrows -> are escaped.\n\n");
	free(vtt);
	learn_ms_free(&sc);
}

static void
test_wrap(void **state)
{
	char out[128];

	assert_int_equal(learn_ms_wrap("The quick brown fox jumps over the "
	    "lazy dog", 15, out, sizeof(out)), 3);
	assert_string_equal(out, "The quick brown\nfox jumps over\nthe lazy "
	    "dog");
	/* characters, not bytes: "é" is one */
	assert_int_equal(learn_ms_wrap("caf\xc3\xa9 caf\xc3\xa9 caf\xc3\xa9",
	    9, out, sizeof(out)), 2);
	assert_string_equal(out, "caf\xc3\xa9 caf\xc3\xa9\ncaf\xc3\xa9");
	assert_int_equal(learn_ms_wrap("supercalifragilistic x", 5, out,
	    sizeof(out)), 2);
	assert_string_equal(out, "supercalifragilistic\nx");
	assert_int_equal(learn_ms_wrap("  ", 5, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_from_lesson),
		cmocka_unit_test(test_focus),
		cmocka_unit_test(test_too_short),
		cmocka_unit_test(test_cues_and_vtt),
		cmocka_unit_test(test_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
