/*
 * arena: request-lifetime memory.
 *
 * A worker resets its arena at the top of the accept loop, so handlers
 * allocate and never free.  Blocks are malloc'd and kept across resets (the
 * first block is reused; larger ones are released).  Out of memory aborts:
 * the supervisor starts a fresh worker (STYLE.md, rule 4).
 */
#ifndef ADEPT_ARENA_H
#define ADEPT_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block	*head;	/* current block, newest first */
	size_t			 blocksz;	/* default block size */
	size_t			 used;	/* bytes handed out since reset */
};

void	 arena_init(struct arena *, size_t blocksz);
void	 arena_reset(struct arena *);
void	 arena_free(struct arena *);
void	*arena_alloc(struct arena *, size_t);	/* 16-byte aligned */
void	*arena_calloc(struct arena *, size_t n, size_t sz);
char	*arena_strdup(struct arena *, const char *);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*arena_vprintf(struct arena *, const char *, va_list);

#endif
