/*
 * pwpolicy: see pwpolicy.h.  The list is a byte blob between two symbols,
 * one password per line; lines starting "#!comment" are its attribution.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base/pwpolicy.h"

/* Paths are relative to the directory make runs in (the checkout). */
__asm__(
    "	.section .rodata\n"
    "	.global pwpolicy_list_start\n"
    "	.global pwpolicy_list_end\n"
    "pwpolicy_list_start:\n"
    "	.incbin \"src/base/pwpolicy_common.txt\"\n"
    "pwpolicy_list_end:\n"
    "	.byte 0\n"
    "	.previous\n");
extern const char pwpolicy_list_start[], pwpolicy_list_end[];

/* Calls fn on each listed password until it returns nonzero. */
static int
each(int (*fn)(const char *, size_t, const void *), const void *arg)
{
	const char *p = pwpolicy_list_start, *end = pwpolicy_list_end, *nl;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (n > 0 && strncmp(p, "#!comment", 9) != 0 && fn(p, n, arg))
			return 1;
		p = nl + 1;
	}
	return 0;
}

struct span {
	const char	*s;
	size_t		 n;
};

static int
same(const char *line, size_t n, const void *arg)
{
	const struct span *w = arg;

	return n == w->n && strncasecmp(line, w->s, n) == 0;
}

static int
count(const char *line, size_t n, const void *arg)
{
	(*(long *)(uintptr_t)arg)++;
	return 0;
}

long
pwpolicy_list_size(void)
{
	long n = 0;

	(void)each(count, &n);
	return n;
}

static int
filler(unsigned char c)
{
	return isdigit(c) || ispunct(c) || c == ' ';
}

int
pwpolicy_is_common(const char *password)
{
	struct span w;
	size_t n = strlen(password), a = 0, b = n;

	w.s = password;
	w.n = n;
	if (each(same, &w))
		return 1;
	while (a < n && filler((unsigned char)password[a]))
		a++;
	while (b > a && filler((unsigned char)password[b - 1]))
		b--;
	/* "123456789" is itself listed or caught above; a stripped word
	 * shorter than four letters would match too much. */
	if (b - a < 4 || (a == 0 && b == n))
		return 0;
	w.s = password + a;
	w.n = b - a;
	return each(same, &w);
}

static int
all_same(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p != *s)
			return 0;
	return 1;
}

const char *
pwpolicy_check(const char *password, const char *email, const char *name)
{
	size_t n = strlen(password), at;

	if (n < PWPOLICY_MIN)
		return "Use at least 8 characters.";
	if (n > PWPOLICY_MAX)
		return "Use at most 1024 characters.";
	if (all_same(password))
		return "Use more than one different character.";
	if (email != NULL) {
		at = strcspn(email, "@");
		if (strcasecmp(password, email) == 0 ||
		    (at == n && strncasecmp(password, email, at) == 0))
			return "Do not use your e-mail address as your "
			    "password.";
	}
	if (name != NULL && strcasecmp(password, name) == 0)
		return "Do not use your name as your password.";
	if (pwpolicy_is_common(password))
		return "This password is one of the most common ones and "
		    "is easily guessed; choose another.";
	return NULL;
}
