/*
 * adept routes: prints the routing table (src/pages/routes.c), one line
 * per method and pattern: METHOD TAB PATTERN TAB ROLE TAB FLAGS.  The
 * authorization-matrix test (tests/integration/authz_matrix.test.mjs)
 * reads it, so a route added to the table without an expectation there
 * fails the suite.
 *
 * adept routes --fields adds a fifth column: the route's declared fields
 * as NAME:TYPE[=FIRST CHOICE of an enum][!] (! = required), comma-
 * separated ("-" when none);
 * tests/security/sqlmap.sh picks the routes with parameters from it.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "pages/pages.h"

static const char *const ftypes[HTTP_FT__MAX] = {
	[HTTP_FT_STRING] = "string", [HTTP_FT_TEXT] = "text",
	[HTTP_FT_EMAIL] = "email", [HTTP_FT_INT] = "int",
	[HTTP_FT_DOUBLE] = "double", [HTTP_FT_BOOL] = "bool",
	[HTTP_FT_ENUM] = "enum", [HTTP_FT_ID] = "id",
	[HTTP_FT_PASSWORD] = "password",
};

static void
print_fields(const struct route *rt)
{
	size_t k;

	if (rt->nfields == 0) {
		fputs("\t-", stdout);
		return;
	}
	for (k = 0; k < rt->nfields; k++) {
		const struct http_field *f = &rt->fields[k];

		printf("%c%s:%s", k ? ',' : '\t', f->name,
		    ftypes[f->type] ? ftypes[f->type] : "?");
		if (f->type == HTTP_FT_ENUM && f->choices && f->choices[0])
			printf("=%s", f->choices[0]);
		if (f->required)
			putchar('!');
	}
}

int
cmd_routes(int argc, char **argv)
{
	static const char *const mnames[] = { "GET", "POST", "PUT" };
	static const int mbits[] = { M_GET, M_POST, M_PUT };
	const struct route *rt;
	size_t i, m;
	int fields = argc == 2 && strcmp(argv[1], "--fields") == 0;

	if (argc > 1 && !fields)
		return cli_usage("routes", "usage: adept routes [--fields]");
	for (i = 0; i < page_nroutes; i++) {
		rt = &page_routes[i];
		for (m = 0; m < 3; m++) {
			if (!(rt->methods & mbits[m]))
				continue;
			printf("%s\t%s\t%s\t%s%s%s%s", mnames[m], rt->pattern,
			    rt->role == ROLE_NONE ? "none" :
			    role_name(rt->role),
			    rt->flags & R_JSON ? "json " : "",
			    rt->flags & R_CSRF ? "csrf " : "",
			    rt->flags & R_UPLOAD ? "upload " : "",
			    rt->flags & R_RAWJSON ? "rawjson" : "");
			if (fields)
				print_fields(rt);
			putchar('\n');
		}
	}
	return cli_flush("routes");
}
