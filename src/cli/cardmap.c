/*
 * cardmap: see cardmap.h.  FNV-1a hash, table kept at most half full.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cardmap.h"

void
cli_cardmap_init(struct cli_cardmap *m, size_t valsize)
{
	memset(m, 0, sizeof(*m));
	m->valsize = valsize;
}

void
cli_cardmap_free(struct cli_cardmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Slot of key, or of the empty slot where it belongs. */
static size_t
find(const struct cli_cardmap *m, const char *key)
{
	size_t i = hash(key) & (m->cap - 1);

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int
grow(struct cli_cardmap *m)
{
	struct cli_cardmap g = *m;
	size_t i, j;

	g.cap = m->cap ? m->cap * 2 : 64;
	g.keys = calloc(g.cap, sizeof(char *));
	g.vals = calloc(g.cap, m->valsize);
	if (g.keys == NULL || g.vals == NULL) {
		free(g.keys);
		free(g.vals);
		return -1;
	}
	for (i = 0; i < m->cap; i++) {
		if (m->keys[i] == NULL)
			continue;
		j = find(&g, m->keys[i]);
		g.keys[j] = m->keys[i];
		memcpy(g.vals + j * m->valsize, m->vals + i * m->valsize,
		    m->valsize);
	}
	free(m->keys);
	free(m->vals);
	*m = g;
	return 0;
}

void *
cli_cardmap_get(struct cli_cardmap *m, const char *key, int *created)
{
	size_t i;

	*created = 0;
	if (m->cap != 0) {
		i = find(m, key);
		if (m->keys[i] != NULL)
			return m->vals + i * m->valsize;
	}
	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return NULL;
	i = find(m, key);
	if ((m->keys[i] = strdup(key)) == NULL)
		return NULL;
	m->n++;
	*created = 1;
	return memset(m->vals + i * m->valsize, 0, m->valsize);
}

void
cli_put_field(FILE *fp, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	putc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', fp);
		putc(*s, fp);
	}
	putc('"', fp);
}
