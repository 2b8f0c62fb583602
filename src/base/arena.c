/*
 * arena: bump allocation in a chain of blocks; see arena.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"

struct arena_block {
	struct arena_block	*next;
	size_t			 size;	/* usable bytes in data[] */
	size_t			 off;
	_Alignas(16) unsigned char data[];
};

static struct arena_block *
block_new(size_t size)
{
	struct arena_block *b;

	if ((b = malloc(sizeof(*b) + size)) == NULL)
		abort();
	b->next = NULL;
	b->size = size;
	b->off = 0;
	return b;
}

void
arena_init(struct arena *a, size_t blocksz)
{
	a->head = NULL;
	a->blocksz = blocksz ? blocksz : 64 * 1024;
	a->used = 0;
}

/* Keeps the oldest block (the usual case fits in it) and frees the rest. */
void
arena_reset(struct arena *a)
{
	struct arena_block *b, *next, *last = NULL;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (next == NULL && b->size == a->blocksz)
			last = b;
		else
			free(b);
	}
	if (last != NULL)
		last->off = 0;
	a->head = last;
	a->used = 0;
}

void
arena_free(struct arena *a)
{
	struct arena_block *b, *next;

	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	a->head = NULL;
	a->used = 0;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_block *b = a->head, *nb;
	size_t need = (n + 15) & ~(size_t)15;
	void *p;

	if (need < n)
		abort();
	if (b == NULL || b->size - b->off < need) {
		nb = block_new(need > a->blocksz ? need : a->blocksz);
		if (b != NULL && need > a->blocksz) {
			/* Big one-off: put it behind the current block. */
			nb->next = b->next;
			b->next = nb;
			nb->off = need;
			a->used += need;
			return nb->data;
		}
		nb->next = b;
		a->head = b = nb;
	}
	p = b->data + b->off;
	b->off += need;
	a->used += need;
	return p;
}

void *
arena_calloc(struct arena *a, size_t n, size_t sz)
{
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz)
		abort();
	p = arena_alloc(a, n * sz);
	memset(p, 0, n * sz);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		abort();
	p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}
