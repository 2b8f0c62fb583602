/*
 * pdf: course certificates as PDF (libharu), A4 landscape, with DejaVu Sans
 * embedded and text in UTF-8, and a QR code of the verification address
 * (libqrencode) drawn as filled squares.
 *
 * libharu drops characters the font has no glyph for without a word, so
 * every string is checked first against the font's own character map
 * (pdf_glyph_check), and a certificate that would lose a character is not
 * made.
 */
#ifndef ADEPT_PDF_H
#define ADEPT_PDF_H

#include <stddef.h>
#include <stdint.h>

#define PDF_FONT_PATH	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

struct pdf_cert {
	const char	*learner;
	const char	*course;
	const char	*instructor;
	const char	*date;		/* "2026-11-25" */
	const char	*duration;	/* "1 h 15 min" */
	const char	*cert_id;	/* as printed */
	const char	*verify_url;	/* printed and QR-coded */
};

/*
 * 0 if every character of the UTF-8 string s has a glyph in the
 * certificate font; 1 if one has none (*bad = its code point; characters
 * beyond U+FFFF count as missing: libharu's UTF-8 text is 16-bit); -1 if
 * s is not valid UTF-8 or the font cannot be read.
 */
int	pdf_glyph_check(const char *s, uint32_t *bad);

/*
 * Writes the certificate to path (via a temporary file renamed into
 * place).  0, or -1 with a message in err.  Call pdf_glyph_check on the
 * strings first.
 */
int	pdf_certificate(const char *path, const struct pdf_cert *,
	    char *err, size_t errsz);

#endif
