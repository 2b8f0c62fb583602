/*
 * extract: the text of a course material file -- PDF (through poppler's
 * pdftotext), HTML (tags, scripts and styles dropped, headings kept as
 * Markdown "#" lines, entities decoded), Markdown or plain text -- checked
 * to be UTF-8, non-empty and at most EXTRACT_MAX bytes.
 *
 * Design decision: the type is sniffed from the content, never the file
 * name (a PDF starts with "%PDF-"; HTML has a doctype or one of a few
 * block tags near the start), and every refusal is a status with a message
 * naming the cause, because an instructor's upload fails for ordinary
 * reasons (a scanned or protected PDF, a Latin-1 file) that they can fix.
 * pdftotext runs by fork/exec (no shell) with a time limit; its stderr
 * tells a password-protected PDF from a damaged one.
 */
#ifndef ADEPT_OUT_EXTRACT_H
#define ADEPT_OUT_EXTRACT_H

#include <stddef.h>

#define EXTRACT_MAX		(20u * 1024 * 1024)	/* bytes, file and text */
#define EXTRACT_PDF_SECONDS	30

enum extract_status {
	EXTRACT_OK,
	EXTRACT_IO,		/* cannot open or read */
	EXTRACT_EMPTY,		/* no text (an empty file, or a PDF of images) */
	EXTRACT_TOO_BIG,
	EXTRACT_NOT_UTF8,
	EXTRACT_PDF_ENCRYPTED,
	EXTRACT_PDF_CORRUPT,
	EXTRACT_TOOL,		/* pdftotext missing, killed or timed out */
	EXTRACT__MAX
};

enum extract_type {
	EXTRACT_TEXT,
	EXTRACT_MARKDOWN,
	EXTRACT_HTML,
	EXTRACT_PDF,
};

struct extract_doc {
	char			*text;	/* malloc'd, NUL-terminated UTF-8, LF */
	size_t			 len;
	enum extract_type	 type;
	char			 err[256];	/* the message when not OK */
};

/* "ok", "io", "empty", "too_big", "not_utf8", "pdf_encrypted",
 * "pdf_corrupt", "tool". */
const char *extract_status_name(enum extract_status);
/* "text", "markdown", "html", "pdf". */
const char *extract_type_name(enum extract_type);

/* Reads path into *d.  On EXTRACT_OK d->text holds the text (free it with
 * extract_free); otherwise d->text is NULL and d->err says why. */
enum extract_status extract_file(const char *path, struct extract_doc *d);

/* The same for bytes already in memory (type sniffed; a PDF is written
 * to a temporary file for pdftotext). */
enum extract_status extract_mem(const char *p, size_t n,
	    struct extract_doc *d);

/* HTML to text: exposed for tests.  Returns a malloc'd string. */
char	*extract_html(const char *p, size_t n, size_t *outlen);

void	extract_free(struct extract_doc *);

#endif
