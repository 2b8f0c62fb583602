/*
 * pdf: certificate PDFs; see pdf.h.
 *
 * The design decision: the glyph check reads the font's 'cmap' table
 * (formats 4 and 12) directly, from the same file libharu embeds, instead
 * of asking libharu, whose per-glyph lookup is not public API.  The file is
 * read once per process.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include <qrencode.h>

#include "out/pdf.h"

/* ---- the font's character map ----------------------------------------- */

static unsigned char	*font;
static size_t		 fontlen;
static pthread_once_t	 font_once = PTHREAD_ONCE_INIT;

static void
font_load(void)
{
	FILE *fp;
	long n;

	if ((fp = fopen(PDF_FONT_PATH, "rb")) == NULL)
		return;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) > 12 &&
	    fseek(fp, 0, SEEK_SET) == 0 && (font = malloc((size_t)n)) != NULL) {
		if (fread(font, 1, (size_t)n, fp) == (size_t)n)
			fontlen = (size_t)n;
		else {
			free(font);
			font = NULL;
		}
	}
	fclose(fp);
}

static uint32_t
be16(size_t off)
{
	return off + 2 <= fontlen ? (uint32_t)font[off] << 8 | font[off + 1] :
	    0;
}

static uint32_t
be32(size_t off)
{
	return off + 4 <= fontlen ? be16(off) << 16 | be16(off + 2) : 0;
}

/* The glyph index of cp in a format 4 subtable at off, 0 = none. */
static uint32_t
cmap4(size_t off, uint32_t cp)
{
	uint32_t segx2 = be16(off + 6), i, end, start, delta, ro;
	size_t ends = off + 14, starts, deltas, ros, g;

	starts = ends + segx2 + 2;
	deltas = starts + segx2;
	ros = deltas + segx2;
	for (i = 0; i < segx2; i += 2) {
		end = be16(ends + i);
		if (cp > end)
			continue;
		start = be16(starts + i);
		if (cp < start)
			return 0;
		delta = be16(deltas + i);
		ro = be16(ros + i);
		if (ro == 0)
			return (cp + delta) & 0xffff;
		g = ros + i + ro + 2 * (cp - start);
		if ((g = be16(g)) == 0)
			return 0;
		return (g + delta) & 0xffff;
	}
	return 0;
}

/* The same for format 12 (groups of start, end, first glyph). */
static uint32_t
cmap12(size_t off, uint32_t cp)
{
	uint32_t n = be32(off + 12), i;
	size_t g = off + 16;

	for (i = 0; i < n; i++, g += 12)
		if (cp >= be32(g) && cp <= be32(g + 4))
			return be32(g + 8) + (cp - be32(g));
	return 0;
}

/* 1 if the font maps cp to a glyph other than .notdef. */
static int
has_glyph(uint32_t cp)
{
	uint32_t ntab, i, tag, cmap = 0, nsub, pid, eid, sub, fmt;
	size_t best4 = 0, best12 = 0;

	ntab = be16(4);
	for (i = 0; i < ntab; i++) {
		tag = be32(12 + 16 * i);
		if (tag == 0x636d6170)	/* 'cmap' */
			cmap = be32(12 + 16 * i + 8);
	}
	if (cmap == 0)
		return 0;
	nsub = be16(cmap + 2);
	for (i = 0; i < nsub; i++) {
		pid = be16(cmap + 4 + 8 * i);
		eid = be16(cmap + 4 + 8 * i + 2);
		sub = cmap + be32(cmap + 4 + 8 * i + 4);
		fmt = be16(sub);
		if ((pid == 3 && eid == 1) || pid == 0) {
			if (fmt == 4 && best4 == 0)
				best4 = sub;
		}
		if ((pid == 3 && eid == 10) || pid == 0) {
			if (fmt == 12 && best12 == 0)
				best12 = sub;
		}
	}
	if (best12 != 0)
		return cmap12(best12, cp) != 0;
	if (best4 != 0 && cp <= 0xffff)
		return cmap4(best4, cp) != 0;
	return 0;
}

/* Decodes one UTF-8 sequence; its length, or -1 if invalid. */
static int
utf8_next(const unsigned char *s, uint32_t *cp)
{
	int n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		*cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		*cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		*cp = s[0] & 0x07;
	} else
		return -1;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && *cp < 0x80) || (n == 3 && *cp < 0x800) ||
	    (n == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return -1;
	return n;
}

int
pdf_glyph_check(const char *s, uint32_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	int n;

	pthread_once(&font_once, font_load);
	if (font == NULL)
		return -1;
	while (*p != '\0') {
		if ((n = utf8_next(p, &cp)) < 0)
			return -1;
		if (cp > 0xffff || (cp >= 0x20 && !has_glyph(cp)) ||
		    cp < 0x20) {
			*bad = cp;
			return 1;
		}
		p += n;
	}
	return 0;
}

/* ---- the document ------------------------------------------------------- */

#define PAGE_W	841.89f	/* A4 landscape, points */
#define PAGE_H	595.28f

struct herr {
	jmp_buf		 jb;
	char		*msg;
	size_t		 msgsz;
};

static void
on_error(HPDF_STATUS code, HPDF_STATUS detail, void *arg)
{
	struct herr *e = arg;

	snprintf(e->msg, e->msgsz, "libharu error 0x%04X (detail %u)",
	    (unsigned)code, (unsigned)detail);
	longjmp(e->jb, 1);
}

/* Text centred at y, shrunk from size until it fits width. */
static void
centre(HPDF_Page pg, HPDF_Font f, float size, float y, float width,
    const char *s)
{
	float w;

	while (HPDF_Page_SetFontAndSize(pg, f, size),
	    (w = HPDF_Page_TextWidth(pg, s)) > width && size > 8)
		size -= 1;
	HPDF_Page_BeginText(pg);
	HPDF_Page_TextOut(pg, (PAGE_W - w) / 2, y, s);
	HPDF_Page_EndText(pg);
}

static void
left(HPDF_Page pg, HPDF_Font f, float size, float x, float y, const char *s)
{
	HPDF_Page_SetFontAndSize(pg, f, size);
	HPDF_Page_BeginText(pg);
	HPDF_Page_TextOut(pg, x, y, s);
	HPDF_Page_EndText(pg);
}

/* The QR code of url with its lower-left corner at (x, y), size pt. */
static int
qr(HPDF_Page pg, const char *url, float x, float y, float size)
{
	QRcode *q;
	float m;
	int i, j, w;

	if ((q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return -1;
	w = q->width;
	m = size / (float)w;
	HPDF_Page_SetRGBFill(pg, 0, 0, 0);
	for (j = 0; j < w; j++)
		for (i = 0; i < w; i++)
			if (q->data[j * w + i] & 1)
				HPDF_Page_Rectangle(pg, x + i * m,
				    y + size - (j + 1) * m, m, m);
	HPDF_Page_Fill(pg);
	QRcode_free(q);
	return 0;
}

int
pdf_certificate(const char *path, const struct pdf_cert *c, char *err,
    size_t errsz)
{
	char tmp[4096];
	const char *fname;
	volatile HPDF_Doc pdf = NULL;
	struct herr e;
	HPDF_Page pg;
	HPDF_Font f;

	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid());
	e.msg = err;
	e.msgsz = errsz;
	if (setjmp(e.jb) != 0) {
		if (pdf != NULL)
			HPDF_Free(pdf);
		unlink(tmp);
		return -1;
	}
	if ((pdf = HPDF_New(on_error, &e)) == NULL) {
		snprintf(err, errsz, "HPDF_New failed");
		return -1;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	fname = HPDF_LoadTTFontFromFile(pdf, PDF_FONT_PATH, HPDF_TRUE);
	f = HPDF_GetFont(pdf, fname, "UTF-8");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, "Certificate of completion");
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "Adept");
	pg = HPDF_AddPage(pdf);
	HPDF_Page_SetSize(pg, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);

	/* Frame. */
	HPDF_Page_SetRGBStroke(pg, 0.16f, 0.29f, 0.48f);
	HPDF_Page_SetLineWidth(pg, 4);
	HPDF_Page_Rectangle(pg, 24, 24, PAGE_W - 48, PAGE_H - 48);
	HPDF_Page_Stroke(pg);
	HPDF_Page_SetLineWidth(pg, 1);
	HPDF_Page_Rectangle(pg, 34, 34, PAGE_W - 68, PAGE_H - 68);
	HPDF_Page_Stroke(pg);

	HPDF_Page_SetRGBFill(pg, 0.16f, 0.29f, 0.48f);
	centre(pg, f, 34, PAGE_H - 110, PAGE_W - 120,
	    "Certificate of Completion");
	HPDF_Page_SetRGBFill(pg, 0.2f, 0.2f, 0.2f);
	centre(pg, f, 15, PAGE_H - 160, PAGE_W - 120, "This certifies that");
	HPDF_Page_SetRGBFill(pg, 0, 0, 0);
	centre(pg, f, 36, PAGE_H - 215, PAGE_W - 120, c->learner);
	HPDF_Page_SetRGBFill(pg, 0.2f, 0.2f, 0.2f);
	centre(pg, f, 15, PAGE_H - 260, PAGE_W - 120,
	    "has successfully completed the course");
	HPDF_Page_SetRGBFill(pg, 0, 0, 0);
	centre(pg, f, 24, PAGE_H - 305, PAGE_W - 120, c->course);

	HPDF_Page_SetRGBFill(pg, 0.2f, 0.2f, 0.2f);
	left(pg, f, 12, 70, 190, "Instructor:");
	left(pg, f, 12, 170, 190, c->instructor);
	left(pg, f, 12, 70, 168, "Duration:");
	left(pg, f, 12, 170, 168, c->duration);
	left(pg, f, 12, 70, 146, "Date:");
	left(pg, f, 12, 170, 146, c->date);
	left(pg, f, 12, 70, 124, "Certificate:");
	left(pg, f, 12, 170, 124, c->cert_id);
	left(pg, f, 9, 70, 80, "Verify this certificate at");
	left(pg, f, 9, 70, 66, c->verify_url);

	if (qr(pg, c->verify_url, PAGE_W - 70 - 120, 60, 120) != 0) {
		snprintf(err, errsz, "QR code: %s", strerror(errno));
		HPDF_Free(pdf);
		return -1;
	}
	HPDF_SaveToFile(pdf, tmp);
	HPDF_Free(pdf);
	pdf = NULL;
	if (rename(tmp, path) != 0) {
		snprintf(err, errsz, "rename %s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
