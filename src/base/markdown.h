/*
 * markdown: CommonMark to HTML with cmark, safe by construction: raw HTML
 * and dangerous URLs (javascript:, vbscript:, file:, data: other than
 * images) are dropped by CMARK_OPT_SAFE.  The result is trusted HTML for
 * view_set_raw().
 */
#ifndef ADEPT_MARKDOWN_H
#define ADEPT_MARKDOWN_H

#include <stddef.h>

struct arena;

/* Renders md[0..len) into the arena.  Never NULL (out of memory aborts). */
char	*markdown_html(struct arena *, const char *md, size_t len);

#endif
