/*
 * adept routes: prints the routing table (src/pages/routes.c), one line
 * per method and pattern: METHOD TAB PATTERN TAB ROLE TAB FLAGS.  The
 * authorization-matrix test (tests/integration/authz_matrix.test.mjs)
 * reads it, so a route added to the table without an expectation there
 * fails the suite.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "pages/pages.h"

int
cmd_routes(int argc, char **argv)
{
	static const char *const mnames[] = { "GET", "POST" };
	static const int mbits[] = { M_GET, M_POST };
	const struct route *rt;
	size_t i, m;

	if (argc > 1)
		return cli_usage("routes", "usage: adept routes");
	for (i = 0; i < page_nroutes; i++) {
		rt = &page_routes[i];
		for (m = 0; m < 2; m++) {
			if (!(rt->methods & mbits[m]))
				continue;
			printf("%s\t%s\t%s\t%s%s%s%s\n", mnames[m], rt->pattern,
			    rt->role == ROLE_NONE ? "none" :
			    role_name(rt->role),
			    rt->flags & R_JSON ? "json " : "",
			    rt->flags & R_CSRF ? "csrf " : "",
			    rt->flags & R_UPLOAD ? "upload " : "",
			    rt->flags & R_RAWJSON ? "rawjson" : "");
		}
	}
	return cli_flush("routes");
}
