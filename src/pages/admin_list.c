/*
 * admin_list: what the admin lists added for issue 9 (models,
 * certificates, content) share: the link to another page of the same
 * filter, every value percent-encoded so a search never breaks out of its
 * query parameter.
 */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "pages/pages.h"

static void
put_encoded(struct buf *b, const char *v)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s;

	for (s = (const unsigned char *)v; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("-._~", *s))
			buf_putc(b, *s);
		else
			buf_printf(b, "%%%c%c", hex[*s >> 4], hex[*s & 15]);
}

const char *
page_list_url(struct arena *a, const char *path, long page,
    const char *const *kv, size_t nkv)
{
	struct buf b;
	const char *out;
	size_t i;

	buf_init(&b);
	buf_printf(&b, "%s?page=%ld", path, page);
	for (i = 0; i + 1 < nkv; i += 2) {
		if (kv[i + 1] == NULL || *kv[i + 1] == '\0')
			continue;
		buf_printf(&b, "&%s=", kv[i]);
		put_encoded(&b, kv[i + 1]);
	}
	out = arena_strdup(a, b.p);
	buf_free(&b);
	return out;
}
