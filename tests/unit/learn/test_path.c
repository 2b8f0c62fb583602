/*
 * path: goal gaps choose the least advanced course that reaches the target
 * (and prefer one that closes several), prerequisites come first, courses
 * the learner completed or whose skills are met are skipped with their
 * reason, gaps no course closes are reported, totals add up, cycles are
 * refused with a real cycle, and the sentences read as the pages expect.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "learn/path.h"

enum { PY = 1, SQL = 2, STATS = 3 };

static const struct learn_skill_level t10[] = { { PY, 4 } };
static const struct learn_skill_level t11[] = { { PY, 7 } };
static const struct learn_skill_level t12[] = { { SQL, 5 } };
static const struct learn_skill_level n12[] = { { PY, 3 } };
static const struct learn_skill_level t13[] = { { SQL, 8 }, { PY, 7 } };
static const struct learn_skill_level t14[] = { { PY, 9 } };
static const struct learn_skill_level t15[] = { { STATS, 3 } };
static const int64_t p11[] = { 10 };
static const int64_t p13[] = { 12 };

/* 10 Intro Python (beginner, 10 h, py 4); 11 Python II (intermediate,
 * 20 h, py 7, needs course 10); 12 Intro SQL (beginner, 8 h, sql 5, needs
 * py 3); 13 Data Engineering (advanced, 30 h, sql 8 and py 7, needs course
 * 12); 14 Python Expert (advanced, 40 h, py 9); 15 Stats Taster (beginner,
 * 5 h, stats 3). */
static const struct learn_path_course cat[] = {
	{ 10, 10, 1, t10, 1, NULL, 0, NULL, 0 },
	{ 11, 20, 2, t11, 1, p11, 1, NULL, 0 },
	{ 12, 8, 1, t12, 1, NULL, 0, n12, 1 },
	{ 13, 30, 3, t13, 2, p13, 1, NULL, 0 },
	{ 14, 40, 3, t14, 1, NULL, 0, NULL, 0 },
	{ 15, 5, 1, t15, 1, NULL, 0, NULL, 0 },
};
#define NCAT	(sizeof(cat) / sizeof(cat[0]))

struct run {
	void				*mem;
	struct learn_path_result	 r;
	int				 rc;
};

static void
plan(const struct learn_path_input *in, struct run *run)
{
	size_t n = learn_path_mem_size(in);

	run->mem = malloc(n);
	assert_non_null(run->mem);
	run->rc = learn_path_plan(in, run->mem, n, &run->r);
}

static void
input(struct learn_path_input *in, const struct learn_skill_level *lv,
    size_t nlv, const struct learn_skill_level *goal, size_t ngoal)
{
	memset(in, 0, sizeof(*in));
	in->levels = lv;
	in->nlevels = nlv;
	in->goal = goal;
	in->ngoal = ngoal;
	in->courses = cat;
	in->ncourses = NCAT;
	in->hours_per_week = 10;
}

static long
pos(const struct learn_path_result *r, int64_t course)
{
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (r->steps[i].course == course)
			return (long)i;
	return -1;
}

static const char *
name(void *arg, int kind, int64_t id)
{
	(void)arg;
	if (kind == LEARN_NAME_SKILL)
		return id == PY ? "python" : id == SQL ? "sql" : "statistics";
	if (kind == LEARN_NAME_COURSE && id == 10)
		return "Intro to Python";
	if (kind == LEARN_NAME_COURSE && id == 11)
		return "Python II";
	if (kind == LEARN_NAME_COURSE && id == 12)
		return "Intro to SQL";
	return NULL;
}

static const struct learn_names names = { name, NULL };

/* Goal python 7 from 0: Python II (the least advanced course reaching 7)
 * and its prerequisite Intro to Python first. */
static void
test_prerequisite_first(void **state)
{
	static const struct learn_skill_level goal[] = { { PY, 7 } };
	struct learn_path_input in;
	struct run run;
	char buf[128];

	(void)state;
	input(&in, NULL, 0, goal, 1);
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.status, LEARN_PATH_OK);
	assert_int_equal(run.r.nsteps, 2);
	assert_int_equal(run.r.steps[0].course, 10);
	assert_int_equal(run.r.steps[0].why, LEARN_PATH_PREREQ_COURSE);
	assert_int_equal(run.r.steps[0].for_course, 11);
	assert_int_equal(run.r.steps[1].course, 11);
	assert_int_equal(run.r.steps[1].why, LEARN_PATH_BUILDS);
	assert_int_equal(run.r.steps[1].nbuilds, 1);
	assert_true(run.r.steps[1].builds[0].from == 0);
	assert_true(run.r.steps[1].builds[0].to == 7);
	assert_int_equal(run.r.nskipped, 0);
	assert_int_equal(run.r.ngaps, 0);
	assert_true(run.r.total_hours == 30);
	assert_int_equal(run.r.weeks, 3);
	learn_path_step_format(&run.r.steps[1], &names, buf, sizeof(buf));
	assert_string_equal(buf, "builds python 0\xe2\x86\x92" "7");
	learn_path_step_format(&run.r.steps[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "prerequisite of Python II");
	free(run.mem);
}

static void
test_skip_completed(void **state)
{
	static const struct learn_skill_level goal[] = { { PY, 7 } };
	static const int64_t done[] = { 10 };
	struct learn_path_input in;
	struct run run;
	char buf[128];

	(void)state;
	input(&in, NULL, 0, goal, 1);
	in.completed = done;
	in.ncompleted = 1;
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.nsteps, 1);
	assert_int_equal(run.r.steps[0].course, 11);
	assert_int_equal(run.r.nskipped, 1);
	assert_int_equal(run.r.skipped[0].course, 10);
	assert_int_equal(run.r.skipped[0].why, LEARN_PATH_SKIP_COMPLETED);
	assert_int_equal(run.r.skipped[0].for_course, 11);
	learn_path_skipped_format(&run.r.skipped[0], &names, buf,
	    sizeof(buf));
	assert_string_equal(buf, "skipped Intro to Python: already completed");
	assert_int_equal(run.r.weeks, 2);
	free(run.mem);
}

static void
test_skip_skill_met(void **state)
{
	static const struct learn_skill_level lv[] = { { PY, 5 } };
	static const struct learn_skill_level goal[] = { { PY, 7 } };
	struct learn_path_input in;
	struct run run;
	char buf[128];

	(void)state;
	input(&in, lv, 1, goal, 1);
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.nsteps, 1);
	assert_int_equal(run.r.steps[0].course, 11);
	assert_true(run.r.steps[0].builds[0].from == 5);
	assert_int_equal(run.r.nskipped, 1);
	assert_int_equal(run.r.skipped[0].why, LEARN_PATH_SKIP_SKILL_MET);
	learn_path_skipped_format(&run.r.skipped[0], &names, buf,
	    sizeof(buf));
	assert_string_equal(buf, "skipped Intro to Python: python 5 already "
	    "meets 4");
	free(run.mem);
}

/* Python 7 and SQL 6: Data Engineering closes both, so it is preferred to
 * Python II; it needs Intro to SQL, which needs python 3.  Data
 * Engineering teaches python but requires Intro to SQL, so it cannot serve
 * that need: Intro to Python is added for it, and the order is Intro to
 * Python, Intro to SQL, Data Engineering. */
static void
test_multi_gap_and_skill_prereq(void **state)
{
	static const struct learn_skill_level goal[] = { { PY, 7 },
	    { SQL, 6 } };
	struct learn_path_input in;
	struct run run;
	char buf[160];

	(void)state;
	input(&in, NULL, 0, goal, 2);
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.status, LEARN_PATH_OK);
	assert_int_equal(run.r.nsteps, 3);
	assert_int_equal(pos(&run.r, 11), -1);
	assert_int_equal(run.r.steps[0].course, 10);
	assert_int_equal(run.r.steps[0].why, LEARN_PATH_PREREQ_SKILL);
	assert_int_equal(run.r.steps[0].for_course, 12);
	assert_int_equal(run.r.steps[1].course, 12);
	assert_int_equal(run.r.steps[1].why, LEARN_PATH_PREREQ_COURSE);
	assert_int_equal(run.r.steps[2].course, 13);
	assert_int_equal(run.r.steps[2].nbuilds, 2);
	learn_path_step_format(&run.r.steps[2], &names, buf, sizeof(buf));
	assert_string_equal(buf, "builds python 0\xe2\x86\x92" "7, sql "
	    "0\xe2\x86\x92" "8");
	learn_path_step_format(&run.r.steps[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "teaches python 0\xe2\x86\x92" "4, needed "
	    "at 3 by Intro to SQL");
	assert_true(run.r.total_hours == 48);
	assert_int_equal(run.r.weeks, 5);
	free(run.mem);
}

/* Statistics 6: the only course reaches 3; it is taken and the gap is
 * reported with how far the path gets. */
static void
test_gap_no_course_covers(void **state)
{
	static const struct learn_skill_level lv[] = { { STATS, 1 } };
	static const struct learn_skill_level goal[] = { { STATS, 6 },
	    { 99, 4 } };
	struct learn_path_input in;
	struct run run;
	char buf[160];

	(void)state;
	input(&in, lv, 1, goal, 2);
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.nsteps, 1);
	assert_int_equal(run.r.steps[0].course, 15);
	assert_int_equal(run.r.ngaps, 2);
	assert_int_equal(run.r.gaps[0].skill, STATS);
	assert_true(run.r.gaps[0].current == 1);
	assert_true(run.r.gaps[0].target == 6);
	assert_true(run.r.gaps[0].reach == 3);
	assert_int_equal(run.r.gaps[1].skill, 99);
	assert_true(run.r.gaps[1].reach == 0);
	learn_path_gap_format(&run.r.gaps[0], &names, buf, sizeof(buf));
	assert_string_equal(buf, "no course teaches statistics beyond 3 (you "
	    "are at 1, the goal is 6)");
	learn_path_gap_format(&run.r.gaps[1], NULL, buf, sizeof(buf));
	assert_string_equal(buf, "no course teaches skill #99 (you are at 0, "
	    "the goal is 4)");
	free(run.mem);
}

static void
test_goal_already_met(void **state)
{
	static const struct learn_skill_level lv[] = { { PY, 8 } };
	static const struct learn_skill_level goal[] = { { PY, 7 } };
	struct learn_path_input in;
	struct run run;

	(void)state;
	input(&in, lv, 1, goal, 1);
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.nsteps, 0);
	assert_int_equal(run.r.ngaps, 0);
	assert_true(run.r.total_hours == 0);
	assert_int_equal(run.r.weeks, 0);
	free(run.mem);
}

/* 21 requires 22, 22 requires 23, 23 requires 21: refused, and the cycle
 * returned follows real prerequisite edges. */
static void
test_cycle_refused(void **state)
{
	static const struct learn_skill_level t[] = { { PY, 9 } };
	static const struct learn_skill_level u[] = { { SQL, 2 } };
	static const int64_t r21[] = { 22 }, r22[] = { 23 }, r23[] = { 21 };
	static const struct learn_path_course cyc[] = {
		{ 21, 5, 1, t, 1, r21, 1, NULL, 0 },
		{ 22, 5, 1, u, 1, r22, 1, NULL, 0 },
		{ 23, 5, 1, u, 1, r23, 1, NULL, 0 },
	};
	static const struct learn_skill_level goal[] = { { PY, 9 } };
	struct learn_path_input in;
	struct run run;
	size_t k, i;
	int64_t a, b, want;

	(void)state;
	input(&in, NULL, 0, goal, 1);
	in.courses = cyc;
	in.ncourses = 3;
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.status, LEARN_PATH_CYCLE);
	assert_int_equal(run.r.nsteps, 0);
	assert_int_equal(run.r.ncycle, 3);
	for (k = 0; k < run.r.ncycle; k++) {
		a = run.r.cycle[k];
		b = run.r.cycle[(k + 1) % run.r.ncycle];
		for (i = 0; i < 3; i++)
			if (cyc[i].id == a)
				break;
		assert_true(i < 3);
		want = cyc[i].prereq[0];
		assert_int_equal(b, want);
	}
	free(run.mem);
}

/* Ready courses go least difficult first, then by id; and a bad input is
 * refused. */
static void
test_order_and_bad_input(void **state)
{
	static const struct learn_skill_level a[] = { { 1, 5 } };
	static const struct learn_skill_level b[] = { { 2, 5 } };
	static const struct learn_skill_level c[] = { { 3, 5 } };
	static const struct learn_path_course three[] = {
		{ 30, 1, 3, a, 1, NULL, 0, NULL, 0 },
		{ 31, 1, 1, b, 1, NULL, 0, NULL, 0 },
		{ 29, 1, 1, c, 1, NULL, 0, NULL, 0 },
	};
	static const struct learn_path_course dup[] = {
		{ 30, 1, 3, a, 1, NULL, 0, NULL, 0 },
		{ 30, 1, 1, b, 1, NULL, 0, NULL, 0 },
	};
	static const struct learn_skill_level goal[] = { { 1, 5 }, { 2, 5 },
	    { 3, 5 } };
	struct learn_path_input in;
	struct run run;
	struct learn_path_result r;
	char small[8];

	(void)state;
	input(&in, NULL, 0, goal, 3);
	in.courses = three;
	in.ncourses = 3;
	in.hours_per_week = 0;
	plan(&in, &run);
	assert_int_equal(run.rc, 0);
	assert_int_equal(run.r.nsteps, 3);
	assert_int_equal(run.r.steps[0].course, 29);
	assert_int_equal(run.r.steps[1].course, 31);
	assert_int_equal(run.r.steps[2].course, 30);
	assert_int_equal(run.r.weeks, -1);
	/* Truncation reports the length needed. */
	assert_int_equal(learn_path_step_format(&run.r.steps[0], NULL, small,
	    sizeof(small)), (int)strlen("builds skill #3 0\xe2\x86\x92" "5"));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(learn_path_plan(&in, run.mem, 16, &r), -1);
	free(run.mem);
	in.courses = dup;
	in.ncourses = 2;
	plan(&in, &run);
	assert_int_equal(run.rc, -1);
	free(run.mem);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prerequisite_first),
		cmocka_unit_test(test_skip_completed),
		cmocka_unit_test(test_skip_skill_met),
		cmocka_unit_test(test_multi_gap_and_skill_prereq),
		cmocka_unit_test(test_gap_no_course_covers),
		cmocka_unit_test(test_goal_already_met),
		cmocka_unit_test(test_cycle_refused),
		cmocka_unit_test(test_order_and_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
