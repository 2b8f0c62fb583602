/*
 * markdown: see markdown.h.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "base/arena.h"
#include "base/markdown.h"

char *
markdown_html(struct arena *a, const char *md, size_t len)
{
	char *html, *out;

	html = cmark_markdown_to_html(md, len,
	    CMARK_OPT_SAFE | CMARK_OPT_SMART | CMARK_OPT_VALIDATE_UTF8);
	if (html == NULL)
		abort();
	out = arena_strdup(a, html);
	free(html);
	return out;
}
