/*
 * route: matches a request against the one route table (src/pages/
 * routes.c).  Patterns are literal segments and "{name}" segments, which
 * match a positive decimal int64 and are captured in order.  A path that
 * matches some pattern with another method is a 405 (the Allow header
 * lists what the matching patterns accept), else a 404.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "http/server.h"

/* 1 if path matches pattern, capturing ids. */
static int
match(const char *pat, const char *path, int64_t ids[4])
{
	int nid = 0;

	while (*pat != '\0' && *path != '\0') {
		if (*pat == '{') {
			const char *end = strchr(pat, '}');
			char *e;
			long long v;

			if (end == NULL || nid == 4 || *path < '1' ||
			    *path > '9')
				return 0;
			errno = 0;
			v = strtoll(path, &e, 10);
			if (errno != 0 || (*e != '/' && *e != '\0'))
				return 0;
			ids[nid++] = v;
			pat = end + 1;
			path = e;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	return *pat == '\0' && *path == '\0';
}

const struct route *
http_route_match(const struct route *t, size_t n, const char *method,
    const char *path, int64_t pathid[4], int *status)
{
	int m = strcmp(method, "GET") == 0 ? M_GET :
	    strcmp(method, "POST") == 0 ? M_POST :
	    strcmp(method, "PUT") == 0 ? M_PUT : 0;
	int64_t ids[4];
	size_t i;

	*status = 404;
	for (i = 0; i < n; i++) {
		if (!match(t[i].pattern, path, ids))
			continue;
		if ((t[i].methods & m) == 0) {
			*status = 405;
			continue;
		}
		memcpy(pathid, ids, sizeof(ids));
		return &t[i];
	}
	return NULL;
}

int
http_route_allowed(const struct route *t, size_t n, const char *path)
{
	int64_t ids[4];
	int m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (match(t[i].pattern, path, ids))
			m |= t[i].methods;
	return m;
}
