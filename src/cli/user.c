/*
 * adept user add --email E --password P --name N --role R
 *
 * Prints the new user's id.  A duplicate e-mail exits 1 with a message;
 * bad arguments exit 2.  The same validation as the web forms applies.
 */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/config.h"
#include "base/pwpolicy.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/users.h"
#include "http/field.h"
#include "http/parse.h"

static const char *const roles[] = { "learner", "instructor", "admin", NULL };

static const struct http_field fields[] = {
	{ "email", HTTP_FT_EMAIL, 3, 254, 0, 0, NULL, 1, "--email" },
	{ "password", HTTP_FT_PASSWORD, 8, 1024, 0, 0, NULL, 1, "--password" },
	{ "name", HTTP_FT_STRING, 1, 100, 0, 0, NULL, 1, "--name" },
	{ "role", HTTP_FT_ENUM, 0, 0, 0, 0, roles, 1, "--role" },
};
#define NF	(sizeof(fields) / sizeof(fields[0]))

static int
user_add(int argc, char **argv)
{
	struct http_param params[NF];
	struct http_form form;
	struct config cfg;
	struct arena a;
	struct db db;
	const char *weak;
	size_t np = 0, i;
	int64_t id;
	int n, rc = 2;

	for (n = 1; n < argc; n += 2) {
		const char *opt = argv[n];

		if (strncmp(opt, "--", 2) != 0 || n + 1 >= argc)
			return cli_usage("user add", "usage: adept user add "
			    "--email E --password P --name N "
			    "--role learner|instructor|admin");
		for (i = 0; i < NF; i++)
			if (strcmp(opt + 2, fields[i].name) == 0)
				break;
		if (i == NF)
			return cli_usage("user add", "unknown option %s", opt);
		if (np == NF)
			return cli_usage("user add", "repeated option %s", opt);
		params[np].name = fields[i].name;
		params[np].value = argv[n + 1];
		params[np].valuelen = strlen(argv[n + 1]);
		np++;
	}
	arena_init(&a, 0);
	if (http_validate(&a, fields, NF, params, np, &form) == -1) {
		for (i = 0; i < NF; i++)
			if (form.err[i] != NULL)
				fprintf(stderr, "adept: user add: %s\n",
				    form.err[i]);
		goto out;
	}
	if ((weak = pwpolicy_check(form.str[1], form.str[0], form.str[2]))
	    != NULL) {
		fprintf(stderr, "adept: user add: --password: %s\n", weak);
		goto out;
	}
	config_init(&cfg);
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: %s\n", db.err);
		db_close(&db);
		rc = 1;
		goto out;
	}
	n = db_user_create(&db, form.str[0], form.str[2], form.str[1],
	    roles[form.i64[3]], &id);
	db_close(&db);
	if (n == DB_CONFLICT) {
		fprintf(stderr, "adept: user add: a user with e-mail %s "
		    "already exists\n", form.str[0]);
		rc = 1;
	} else if (n != 0) {
		fprintf(stderr, "adept: user add: database error\n");
		rc = 1;
	} else {
		printf("%lld\n", (long long)id);
		rc = 0;
	}
out:
	arena_free(&a);
	return rc;
}

int
cmd_user(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1);
	return cli_usage("user", "usage: adept user add --email E "
	    "--password P --name N --role learner|instructor|admin");
}
