/*
 * pdf: the glyph check against DejaVu Sans's own cmap (Latin, Greek,
 * Cyrillic and combining accents present; CJK, emoji and unassigned
 * characters absent; invalid UTF-8 and controls refused), and a
 * certificate written to a file that is a PDF with the font embedded.
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

#include "out/pdf.h"

static void
test_glyphs_present(void **state)
{
	uint32_t bad = 0;

	assert_int_equal(pdf_glyph_check("Zoë Łukasiewicz-Ångström", &bad), 0);
	assert_int_equal(pdf_glyph_check("Αλέξανδρος Παπαδόπουλος", &bad), 0);
	assert_int_equal(pdf_glyph_check("Пётр Чайковский", &bad), 0);
	assert_int_equal(pdf_glyph_check("Nguyễn Văn A", &bad), 0);
	assert_int_equal(pdf_glyph_check("", &bad), 0);
}

static void
test_glyphs_missing(void **state)
{
	uint32_t bad = 0;

	assert_int_equal(pdf_glyph_check("王小明", &bad), 1);
	assert_int_equal(bad, 0x738b);
	assert_int_equal(pdf_glyph_check("Ming 🎓", &bad), 1);
	assert_int_equal(bad, 0x1f393);
	/* Private use area: no glyph. */
	assert_int_equal(pdf_glyph_check("a\xee\x80\x80", &bad), 1);
	assert_int_equal(bad, 0xe000);
	assert_int_equal(pdf_glyph_check("tab\there", &bad), 1);
	assert_int_equal(bad, 9);
}

static void
test_invalid_utf8(void **state)
{
	uint32_t bad = 0;

	assert_int_equal(pdf_glyph_check("\xc3", &bad), -1);
	assert_int_equal(pdf_glyph_check("\xc0\xaf", &bad), -1);	/* overlong */
	assert_int_equal(pdf_glyph_check("\xed\xa0\x80", &bad), -1);	/* surrogate */
	assert_int_equal(pdf_glyph_check("\xff", &bad), -1);
}

static void
test_certificate_file(void **state)
{
	struct pdf_cert c = {
		.learner = "Zoë Łukasiewicz-Ångström",
		.course = "Écoles et élèves",
		.instructor = "Ada Lovelace",
		.date = "2026-11-25",
		.duration = "1 h 20 min",
		.cert_id = "123456789012345",
		.verify_url = "https://adept.example/certificates/verify/123456789012345",
	};
	char path[] = "/tmp/test_pdf_XXXXXX", err[256] = "", head[8];
	char *buf;
	FILE *fp;
	long n;
	int fd;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(pdf_certificate(path, &c, err, sizeof(err)), 0);
	fp = fopen(path, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(head, 1, 5, fp), 5);
	assert_memory_equal(head, "%PDF-", 5);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	assert_true(n > 10000);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	assert_non_null(memmem(buf, (size_t)n, "/MediaBox", 9));
	assert_non_null(memmem(buf, (size_t)n, "841.89", 6));
	assert_non_null(memmem(buf, (size_t)n, "DejaVuSans", 10));
	assert_non_null(memmem(buf, (size_t)n, "/FontFile2", 10));
	assert_non_null(memmem(buf, (size_t)n, "%%EOF", 5));
	free(buf);
	unlink(path);
	/* An unwritable place fails with a message and leaves nothing. */
	assert_int_equal(pdf_certificate("/nonexistent-dir/x.pdf", &c, err,
	    sizeof(err)), -1);
	assert_true(err[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_glyphs_present),
		cmocka_unit_test(test_glyphs_missing),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_certificate_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
