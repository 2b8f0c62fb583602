/*
 * out/microlesson: the WAV length read from the header (a data size past
 * the end of the file counts to the end; not a WAV: -1); a tool that is
 * missing or fails gives an error naming it and what it said, and the
 * render stops there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "learn/microscript.h"
#include "out/microlesson.h"

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
	p[2] = v >> 16 & 0xff;
	p[3] = v >> 24;
}

/* A 22050 Hz mono 16-bit WAV with n data bytes, its header saying
 * claimed bytes. */
static void
wav(const char *path, uint32_t n, uint32_t claimed)
{
	unsigned char h[44] = "RIFF....WAVEfmt ";
	FILE *f = fopen(path, "wb");
	uint32_t i;

	put32(h + 4, 36 + claimed);
	put32(h + 16, 16);
	h[20] = 1;		/* PCM */
	h[22] = 1;		/* mono */
	put32(h + 24, 22050);
	put32(h + 28, 44100);	/* byte rate */
	h[32] = 2;
	h[34] = 16;
	memcpy(h + 36, "data", 4);
	put32(h + 40, claimed);
	fwrite(h, 1, 44, f);
	for (i = 0; i < n; i++)
		fputc(0, f);
	fclose(f);
}

static void
test_wav_seconds(void **state)
{
	char dir[] = "/tmp/adept-mlwav-XXXXXX", path[64];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.wav", dir);
	wav(path, 88200, 88200);
	assert_float_equal(ml_wav_seconds(path), 2.0, 1e-9);
	wav(path, 44100, 0x7ffffff0);	/* a streaming writer's header */
	assert_float_equal(ml_wav_seconds(path), 1.0, 1e-9);
	f = fopen(path, "wb");
	fputs("not a wav file at all, no", f);
	fclose(f);
	assert_true(ml_wav_seconds(path) < 0);
	assert_true(ml_wav_seconds("/nonexistent/x.wav") < 0);
	ml_rmdir(dir);
	assert_int_not_equal(access(dir, F_OK), 0);
}

static void
script(struct learn_ms_script *sc)
{
	size_t i;

	memset(sc, 0, sizeof(*sc));
	sc->title = strdup("T");
	sc->nslides = 4;
	for (i = 0; i < 4; i++) {
		sc->slides[i].title = strdup("Slide");
		sc->slides[i].bullets[0] = strdup("A bullet");
		sc->slides[i].nbullets = 1;
		sc->slides[i].sents[0] = strdup("A sentence to say.");
		sc->slides[i].nsents = 1;
	}
}

static void
test_tool_failures(void **state)
{
	struct learn_ms_script sc;
	struct ml_render out;
	char dir[] = "/tmp/adept-mltool-XXXXXX", err[512];

	script(&sc);
	assert_non_null(mkdtemp(dir));
	setenv("ADEPT_ESPEAK_NG", "/nonexistent/espeak-ng", 1);
	assert_int_equal(ml_render(&sc, dir, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "espeak-ng is not installed"));
	/* a tool that exits 1 after saying why */
	setenv("ADEPT_ESPEAK_NG", "/bin/sh", 1);
	assert_int_equal(ml_render(&sc, dir, &out, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "espeak-ng failed (exit"));
	unsetenv("ADEPT_ESPEAK_NG");
	if (access("/usr/bin/espeak-ng", X_OK) == 0) {
		setenv("ADEPT_FFMPEG", "/bin/false", 1);
		assert_int_equal(ml_render(&sc, dir, &out, err, sizeof(err)),
		    -1);
		assert_string_equal(err, "ffmpeg failed (exit 1)");
		unsetenv("ADEPT_FFMPEG");
	}
	ml_rmdir(dir);
	learn_ms_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wav_seconds),
		cmocka_unit_test(test_tool_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
