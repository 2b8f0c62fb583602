/*
 * buf: a growable byte buffer (malloc-backed), used to render responses
 * and templates before anything reaches the socket.  Always NUL-terminated.
 * Out of memory aborts.
 */
#ifndef ADEPT_BUF_H
#define ADEPT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

void	buf_init(struct buf *);
void	buf_reset(struct buf *);	/* len = 0, keeps memory */
void	buf_free(struct buf *);
void	buf_reserve(struct buf *, size_t extra);
void	buf_put(struct buf *, const void *, size_t);
void	buf_puts(struct buf *, const char *);
void	buf_putc(struct buf *, int);
void	buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(struct buf *, const char *, va_list);
/* HTML-escapes & < > " ' into the buffer. */
void	buf_put_html(struct buf *, const char *, size_t);
/* JSON string body (no quotes) with the escapes RFC 8259 requires. */
void	buf_put_json(struct buf *, const char *, size_t);

#endif
