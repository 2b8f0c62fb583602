/*
 * mkpdf: writes a one-page PDF with a line of text, password-protected
 * when a password is given.  Built and run by tests/cli/test_gen.sh (so no
 * binary fixture is committed).  usage: mkpdf OUT "TEXT" [PASSWORD]
 */
#include <stdio.h>
#include <hpdf.h>

static void
onerr(HPDF_STATUS e, HPDF_STATUS d, void *u)
{
	fprintf(stderr, "mkpdf: libharu error %04x %u\n", (unsigned)e,
	    (unsigned)d);
}

int
main(int argc, char **argv)
{
	HPDF_Doc pdf;
	HPDF_Page page;

	if (argc < 3 || (pdf = HPDF_New(onerr, NULL)) == NULL)
		return 2;
	page = HPDF_AddPage(pdf);
	HPDF_Page_BeginText(page);
	HPDF_Page_SetFontAndSize(page, HPDF_GetFont(pdf, "Helvetica", NULL),
	    12);
	HPDF_Page_TextOut(page, 50, 700, argv[2]);
	HPDF_Page_EndText(page);
	if (argc > 3) {
		HPDF_SetPassword(pdf, "owner-secret", argv[3]);
		HPDF_SetEncryptionMode(pdf, HPDF_ENCRYPT_R3, 16);
	}
	if (HPDF_SaveToFile(pdf, argv[1]) != HPDF_OK)
		return 1;
	HPDF_Free(pdf);
	return 0;
}
