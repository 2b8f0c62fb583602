/*
 * text: the snprintf-style appender and the name lookup the reason
 * formatters share; see text.h.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>

#include "learn/text.h"

static const char *const kind_word[LEARN_NAME__MAX] = {
	"skill", "course", "lesson", "item", "quiz"
};

void
learn_text_init(struct learn_text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = buf == NULL ? 0 : size;
	t->pos = 0;
	if (t->size > 0)
		t->buf[0] = '\0';
}

void
learn_text_vprintf(struct learn_text *t, const char *fmt, va_list ap)
{
	char *dst = NULL;
	size_t room = 0;
	int n;

	if (t->pos < t->size) {
		dst = t->buf + t->pos;
		room = t->size - t->pos;
	}
	n = vsnprintf(dst, room, fmt, ap);
	if (n > 0)
		t->pos += (size_t)n;
}

void
learn_text_printf(struct learn_text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	learn_text_vprintf(t, fmt, ap);
	va_end(ap);
}

void
learn_text_name(struct learn_text *t, const struct learn_names *names,
    int kind, int64_t id)
{
	const char *s = NULL;

	if (names != NULL && names->name != NULL)
		s = names->name(names->arg, kind, id);
	if (s != NULL)
		learn_text_printf(t, "%s", s);
	else
		learn_text_printf(t, "%s #%lld",
		    kind >= 0 && kind < LEARN_NAME__MAX ? kind_word[kind] :
		    "id", (long long)id);
}

void
learn_text_num(struct learn_text *t, double x)
{
	double r;

	if (!isfinite(x)) {
		learn_text_printf(t, "?");
		return;
	}
	r = round(x * 10.0) / 10.0;
	if (r == 0.0)
		r = 0.0;	/* no "-0" */
	if (r == floor(r))
		learn_text_printf(t, "%.0f", r);
	else
		learn_text_printf(t, "%.1f", r);
}

void
learn_text_pct(struct learn_text *t, double f)
{
	double r;

	if (!isfinite(f)) {
		learn_text_printf(t, "? %%");
		return;
	}
	r = round(f * 100.0);
	if (r == 0.0)
		r = 0.0;
	learn_text_printf(t, "%.0f %%", r);
}

int
learn_text_len(const struct learn_text *t)
{
	return t->pos > INT_MAX ? INT_MAX : (int)t->pos;
}
