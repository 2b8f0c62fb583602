/*
 * view: arena-held template values; see view.h.  Values are escaped when
 * set, not when rendered, so a value is escaped exactly once and the
 * template engine never sees an unescaped string from a default setter.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <ctpl/ctpl.h>

#include "base/arena.h"
#include "http/view.h"

struct view_var {
	struct view_var	*next;
	const char	*name;
	const char	*s;	/* NULL for an integer */
	long		 v;
};

/* A bad name is a programming error that would otherwise surface only as
 * a render failure far from its cause. */
static void
check_name(const char *name)
{
	const char *p;

	if (name == NULL || !(name[0] == '_' || (name[0] >= 'A' &&
	    name[0] <= 'Z') || (name[0] >= 'a' && name[0] <= 'z')))
		abort();
	for (p = name; *p != '\0'; p++)
		if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
			abort();
}

static struct view_var *
add(struct view *v, const char *name)
{
	struct view_var *var;

	check_name(name);
	var = arena_alloc(v->arena, sizeof(*var));
	var->next = NULL;
	var->name = name;
	var->s = NULL;
	var->v = 0;
	if (v->tail != NULL)
		v->tail->next = var;
	else
		v->head = var;
	v->tail = var;
	return var;
}

static char *
escape(struct arena *a, const char *s)
{
	const char *p;
	char *out, *q;
	size_t n = 0;

	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&': n += 5; break;
		case '<': case '>': n += 4; break;
		case '"': n += 6; break;
		case '\'': n += 5; break;
		default: n++; break;
		}
	}
	out = q = arena_alloc(a, n + 1);
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '&': memcpy(q, "&amp;", 5); q += 5; break;
		case '<': memcpy(q, "&lt;", 4); q += 4; break;
		case '>': memcpy(q, "&gt;", 4); q += 4; break;
		case '"': memcpy(q, "&quot;", 6); q += 6; break;
		case '\'': memcpy(q, "&#39;", 5); q += 5; break;
		default: *q++ = *p; break;
		}
	}
	*q = '\0';
	return out;
}

struct view *
view_new(struct arena *a)
{
	struct view *v;

	v = arena_alloc(a, sizeof(*v));
	v->arena = a;
	v->head = v->tail = NULL;
	return v;
}

void
view_clear(struct view *v)
{
	v->head = v->tail = NULL;
}

void
view_set(struct view *v, const char *name, const char *value)
{
	add(v, name)->s = escape(v->arena, value != NULL ? value : "");
}

void
view_setf(struct view *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = arena_vprintf(v->arena, fmt, ap);
	va_end(ap);
	add(v, name)->s = escape(v->arena, s);
}

void
view_set_raw(struct view *v, const char *name, const char *html)
{
	add(v, name)->s = arena_strdup(v->arena, html != NULL ? html : "");
}

void
view_set_int(struct view *v, const char *name, long value)
{
	add(v, name)->v = value;
}

void
view_set_bool(struct view *v, const char *name, int value)
{
	add(v, name)->v = value != 0;
}

void
view_push(const struct view *v, struct _CtplEnviron *env)
{
	const struct view_var *var;

	for (var = v->head; var != NULL; var = var->next) {
		if (var->s != NULL)
			ctpl_environ_push_string(env, var->name, var->s);
		else
			ctpl_environ_push_int(env, var->name, var->v);
	}
}
