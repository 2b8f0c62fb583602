/*
 * view: the named values one template render sees.
 *
 * A view lives entirely in the request arena: setters copy their value into
 * it, so the caller may reuse or free its own buffer at once, and there is
 * nothing to free (no view_free; the arena reset at the top of the accept
 * loop reclaims it).  CTPL's environment (a GLib object) is built from the
 * view inside tmpl_render() and destroyed before it returns, so no GLib
 * object outlives a render.
 *
 * Escaping is the default (STYLE.md rule 7): view_set() and view_setf()
 * HTML-escape & < > " '.  view_set_raw() inserts HTML as is; use it only for
 * markup our own code produced (joined row partials, rendered Markdown), so
 * `grep view_set_raw` lists every place raw HTML enters a page.
 *
 * Names are CTPL symbols: [A-Za-z_][A-Za-z0-9_]*.  Setting a name twice
 * keeps the last value.  A template that reads a name the view lacks fails
 * to render (tmpl_render returns -1), except for the optional variables a
 * template declares in tmpl.c, which default to "".
 */
#ifndef ADEPT_VIEW_H
#define ADEPT_VIEW_H

struct arena;
struct view_var;
struct _CtplEnviron;

struct view {
	struct arena	*arena;
	struct view_var	*head;	/* in the order set */
	struct view_var	*tail;
};

/* A new, empty view allocated in the arena. */
struct view	*view_new(struct arena *);
/* Forget every value (the memory stays in the arena); for row views reused
 * across the records of a list. */
void	 view_clear(struct view *);

/* value HTML-escaped; NULL renders as "". */
void	 view_set(struct view *, const char *name, const char *value);
/* printf, then HTML-escaped. */
void	 view_setf(struct view *, const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
/* html inserted unescaped: only markup our own code produced. */
void	 view_set_raw(struct view *, const char *name, const char *html);
void	 view_set_int(struct view *, const char *name, long value);
/* 1 or 0, for {if name}. */
void	 view_set_bool(struct view *, const char *name, int value);

/* For tmpl.c: pushes every value onto a CTPL environment, in order. */
void	 view_push(const struct view *, struct _CtplEnviron *);

#endif
