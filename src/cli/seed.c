/*
 * adept seed: the demo site, created once (recorded in site_meta): an admin,
 * an instructor and two learners with random passwords, printed on the run
 * that creates them and kept in var/demo-accounts.txt (mode 0600), and a
 * published course with one learner enrolled part-way through.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/config.h"
#include "base/token.h"
#include "cli/cli.h"
#include "db/db.h"
#include "db/users.h"

struct demo_user {
	const char	*role;
	const char	*email;
	const char	*name;
	char		 password[24];
	int64_t		 id;
};

struct demo_lesson {
	int		 module;	/* index into modules[] */
	const char	*title;
	const char	*kind;
	int		 minutes;
	const char	*body;
};

static const char *const modules[] = {
	"Describing data",
	"Probability basics",
};

static const struct demo_lesson lessons[] = {
	{ 0, "Mean, median and mode", "text", 15,
	  "# Mean, median and mode\n\nThree ways to say where the middle "
	  "of a data set is.\n\n- The **mean** adds the values and divides "
	  "by their count.\n- The **median** is the middle value once "
	  "sorted.\n- The **mode** is the most frequent value.\n" },
	{ 0, "Spread: range and standard deviation", "text", 20,
	  "# Spread\n\nThe range is the largest value minus the smallest. "
	  "The standard deviation measures the typical distance from the "
	  "mean.\n" },
	{ 0, "Practice: summarising a data set", "exercise", 15,
	  "# Practice\n\nCompute the mean, median and range of "
	  "`2, 4, 4, 5, 9`.\n" },
	{ 1, "Events and outcomes", "text", 15,
	  "# Events and outcomes\n\nAn experiment has outcomes; an event "
	  "is a set of outcomes.\n" },
	{ 1, "Independent events", "text", 20,
	  "# Independent events\n\nTwo events are independent when "
	  "P(A and B) = P(A) P(B).\n" },
};

static int
exec_id(struct db *d, enum stmt s, int n, const char *const *p, int64_t *id)
{
	if (db_exec(d, s, n, p) != 1)
		return -1;
	if (id != NULL)
		*id = db_i64(d, 0, 0);
	return 0;
}

static int
seed_course(struct db *d, int64_t author, int64_t learner)
{
	char a[24], l[24], cid[24], mid[2][24], lid[24], pos[16], min[16];
	const char *p[7];
	int64_t id, mids[2], first_lesson = 0;
	size_t i;
	int lpos[2] = { 0, 0 };

	snprintf(a, sizeof(a), "%lld", (long long)author);
	snprintf(l, sizeof(l), "%lld", (long long)learner);
	p[0] = a;
	p[1] = "Foundations of Statistics";
	p[2] = "Describe data and reason about chance: averages, spread "
	    "and the first rules of probability.";
	p[3] = "beginner";
	p[4] = "en";
	p[5] = "3";
	p[6] = "published";
	if (exec_id(d, STMT_COURSE_INSERT, 7, p, &id) == -1)
		return -1;
	snprintf(cid, sizeof(cid), "%lld", (long long)id);
	for (i = 0; i < 2; i++) {
		snprintf(pos, sizeof(pos), "%zu", i + 1);
		p[0] = cid;
		p[1] = pos;
		p[2] = modules[i];
		if (exec_id(d, STMT_MODULE_INSERT, 3, p, &mids[i]) == -1)
			return -1;
		snprintf(mid[i], sizeof(mid[i]), "%lld", (long long)mids[i]);
	}
	for (i = 0; i < sizeof(lessons) / sizeof(lessons[0]); i++) {
		int m = lessons[i].module;

		snprintf(pos, sizeof(pos), "%d", ++lpos[m]);
		snprintf(min, sizeof(min), "%d", lessons[i].minutes);
		p[0] = mid[m];
		p[1] = pos;
		p[2] = lessons[i].title;
		p[3] = lessons[i].kind;
		p[4] = lessons[i].body;
		p[5] = min;
		if (exec_id(d, STMT_LESSON_INSERT, 6, p, &id) == -1)
			return -1;
		if (first_lesson == 0)
			first_lesson = id;
	}
	p[0] = l;
	p[1] = cid;
	if (db_exec(d, STMT_ENROLLMENT_INSERT, 2, p) < 0)
		return -1;
	snprintf(lid, sizeof(lid), "%lld", (long long)first_lesson);
	p[1] = lid;
	return db_exec(d, STMT_LESSON_COMPLETE, 2, p) < 0 ? -1 : 0;
}

int
cmd_seed(int argc, char **argv)
{
	struct demo_user users[] = {
		{ "admin", "admin@example.com", "Ada Admin", "", 0 },
		{ "instructor", "instructor@example.com", "Ivan Instructor",
		    "", 0 },
		{ "learner", "learner@example.com", "Lea Learner", "", 0 },
		{ "learner", "learner2@example.com", "Leo Learner", "", 0 },
	};
	const size_t nu = sizeof(users) / sizeof(users[0]);
	const char *p[2];
	struct config cfg;
	struct db db;
	char path[600];
	FILE *fp;
	size_t i;
	int rc = 1;

	config_init(&cfg);
	token_sodium_init();
	if (db_open(&db, cfg.db) == -1) {
		fprintf(stderr, "adept: seed: %s\n", db.err);
		db_close(&db);
		return 1;
	}
	p[0] = "demo_seeded";
	if (db_exec(&db, STMT_SITE_META_GET, 1, p) == 1) {
		db_close(&db);
		return 0;
	}
	for (i = 0; i < nu; i++) {
		token_random_str(users[i].password, 17, 12);
		if (db_user_create(&db, users[i].email, users[i].name,
		    users[i].password, users[i].role, &users[i].id) != 0) {
			fprintf(stderr, "adept: seed: cannot create %s (does "
			    "it exist already?)\n", users[i].email);
			goto out;
		}
	}
	if (db_begin(&db) == -1 || seed_course(&db, users[1].id,
	    users[2].id) == -1) {
		fprintf(stderr, "adept: seed: cannot create the demo course\n");
		db_rollback(&db);
		goto out;
	}
	p[1] = "1";
	if (db_exec(&db, STMT_SITE_META_SET, 2, p) != 1 ||
	    db_commit(&db) == -1) {
		db_rollback(&db);
		goto out;
	}
	snprintf(path, sizeof(path), "%s/demo-accounts.txt", cfg.var);
	umask(077);
	fp = fopen(path, "w");
	printf("\nDemo accounts (kept in var/demo-accounts.txt):\n");
	for (i = 0; i < nu; i++) {
		printf("  %-10s  %-24s  %s\n", users[i].role, users[i].email,
		    users[i].password);
		if (fp != NULL)
			fprintf(fp, "%s %s %s\n", users[i].role,
			    users[i].email, users[i].password);
	}
	printf("\n");
	if (fp != NULL)
		fclose(fp);
	rc = 0;
out:
	db_close(&db);
	return rc;
}
