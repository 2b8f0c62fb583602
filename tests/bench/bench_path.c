/*
 * bench_path: learn_path_plan() on a generated 2,000-course catalogue
 * (200 skills; each course teaches 1-3 skills, requires 0-3 earlier
 * courses and needs 0-2 skill minima), for goals of 3, 10 and 30 skills
 * from a learner with random levels.  The budget is 50 ms per plan.  Each
 * figure is the median and the maximum of REPS timed plans (different
 * seeded goals), wall-clock via clock_gettime(CLOCK_MONOTONIC) and this
 * thread's CPU time (CLOCK_THREAD_CPUTIME_ID), one thread; the catalogue
 * and the block are made before timing, and learn_path_mem_size() is
 * inside the timed part (a handler calls it each time).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "learn/path.h"
#include "learn/rng.h"

#define NCOURSE	2000
#define NSKILL	200
#define REPS	21

static struct learn_path_course	cat[NCOURSE];
static struct learn_skill_level	teach[NCOURSE][3], need[NCOURSE][2];
static int64_t			pre[NCOURSE][3];
static struct learn_skill_level	levels[NSKILL];

static double
now(clockid_t id)
{
	struct timespec t;

	clock_gettime(id, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec * 1e-6;
}

static int
cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
make_catalogue(struct learn_rng *r)
{
	size_t i, k;

	for (i = 0; i < NCOURSE; i++) {
		struct learn_path_course *c = &cat[i];

		c->id = (int64_t)i + 1000;
		c->hours = 2 + (double)learn_rng_below(r, 40);
		c->difficulty = 1 + (int)learn_rng_below(r, 3);
		c->nteaches = 1 + learn_rng_below(r, 3);
		for (k = 0; k < c->nteaches; k++) {
			teach[i][k].skill = 1 + (int64_t)learn_rng_below(r,
			    NSKILL);
			teach[i][k].level = 2 + (double)learn_rng_below(r, 9);
		}
		c->teaches = teach[i];
		c->nprereq = i < 10 ? 0 : learn_rng_below(r, 4);
		for (k = 0; k < c->nprereq; k++)
			pre[i][k] = 1000 + (int64_t)learn_rng_below(r, i);
		c->prereq = pre[i];
		c->nneeds = learn_rng_below(r, 3);
		for (k = 0; k < c->nneeds; k++) {
			need[i][k].skill = 1 + (int64_t)learn_rng_below(r,
			    NSKILL);
			need[i][k].level = 1 + (double)learn_rng_below(r, 6);
		}
		c->needs = need[i];
	}
	for (i = 0; i < NSKILL; i++) {
		levels[i].skill = (int64_t)i + 1;
		levels[i].level = (double)learn_rng_below(r, 4);
	}
}

static void
bench(int ngoal, struct learn_rng *r)
{
	struct learn_skill_level goal[64];
	struct learn_path_input in = { 0 };
	struct learn_path_result out;
	double wall[REPS], cpu[REPS], w0, c0;
	size_t size, steps = 0, maxsize = 0;
	void *mem;
	int rep, g, cycles = 0;

	in.levels = levels;
	in.nlevels = NSKILL;
	in.courses = cat;
	in.ncourses = NCOURSE;
	in.hours_per_week = 8;
	in.goal = goal;
	in.ngoal = (size_t)ngoal;
	size = learn_path_mem_size(&in);
	mem = malloc(size);
	if (mem == NULL)
		exit(1);
	for (rep = 0; rep < REPS; rep++) {
		for (g = 0; g < ngoal; g++) {
			goal[g].skill = 1 + (int64_t)learn_rng_below(r, NSKILL);
			goal[g].level = 7 + (double)learn_rng_below(r, 4);
		}
		w0 = now(CLOCK_MONOTONIC);
		c0 = now(CLOCK_THREAD_CPUTIME_ID);
		if (learn_path_mem_size(&in) > size ||
		    learn_path_plan(&in, mem, size, &out) != 0) {
			fprintf(stderr, "bench_path: plan failed\n");
			exit(1);
		}
		wall[rep] = now(CLOCK_MONOTONIC) - w0;
		cpu[rep] = now(CLOCK_THREAD_CPUTIME_ID) - c0;
		steps += out.nsteps;
		cycles += out.status == LEARN_PATH_CYCLE;
	}
	maxsize = size;
	qsort(wall, REPS, sizeof(double), cmpd);
	qsort(cpu, REPS, sizeof(double), cmpd);
	printf("path %4d courses %2d goal skills: median %.3f ms wall "
	    "(%.3f ms CPU), max %.3f ms wall, %.1f steps on average, "
	    "%d cycles, block %zu KiB; budget 50 ms\n", NCOURSE, ngoal,
	    wall[REPS / 2], cpu[REPS / 2], wall[REPS - 1],
	    (double)steps / REPS, cycles, maxsize / 1024);
	free(mem);
}

int
main(void)
{
	struct learn_rng r;

	learn_rng_seed(&r, 6);
	make_catalogue(&r);
	bench(3, &r);
	bench(10, &r);
	bench(30, &r);
	return 0;
}
