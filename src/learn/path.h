/*
 * path: learning-path planning.  From a learner's skill levels, a goal
 * (target levels) and the catalogue, choose the courses that close the
 * gaps, add what they require, and order the result so every course comes
 * after its prerequisites; say why each step is there and why courses
 * that were considered were left out.
 *
 * Design decision: choosing is greedy and explainable rather than optimal.
 * While some goal gap is open, take the course that closes the most open
 * gaps (a course closes a gap when it teaches the skill up to the target),
 * ties to the least advanced, then fewer hours, then an enrolled course,
 * then the lower id; a gap no course closes gets the course that raises it
 * furthest and is reported as remaining.  Then the prerequisite closure:
 * prerequisite courses (unless completed, or all their skills are already
 * met: those are "skipped" entries) and prerequisite skill minima (a
 * course already chosen that teaches the skill far enough, and does not
 * itself require the course in need, is ordered first; else the least
 * advanced course that does is added).  Only prerequisite courses can make
 * a refusal: learn_graph_order checks them and names a cycle; an ordering
 * for a skill minimum is kept only when it closes no loop.  Ordering is
 * Kahn's algorithm taking the
 * least difficult ready course first, then the lower id, so the output is
 * deterministic.  All memory is one caller block of learn_path_mem_size()
 * bytes (a request arena), nothing is allocated; the result points into it.
 */
#ifndef ADEPT_LEARN_PATH_H
#define ADEPT_LEARN_PATH_H

#include <stddef.h>
#include <stdint.h>

#include "learn/text.h"

#define LEARN_PATH_MAXBUILDS	4	/* skills a step's reason lists */

/* A skill and a level on the 0..10 scale (a learner's level, a goal
 * target, the level a course teaches up to, or a required minimum). */
struct learn_skill_level {
	int64_t		 skill;
	double		 level;
};

enum learn_path_difficulty {
	LEARN_PATH_BEGINNER = 1,
	LEARN_PATH_INTERMEDIATE = 2,
	LEARN_PATH_ADVANCED = 3
};

struct learn_path_course {
	int64_t				 id;		/* unique, != 0 */
	double				 hours;		/* estimated, >= 0 */
	int				 difficulty;	/* 1..3 */
	const struct learn_skill_level	*teaches;	/* skill, level reached */
	size_t				 nteaches;
	const int64_t			*prereq;	/* course ids */
	size_t				 nprereq;
	const struct learn_skill_level	*needs;		/* skill minima */
	size_t				 nneeds;
};

struct learn_path_input {
	const struct learn_skill_level	*levels;	/* learner; absent = 0 */
	size_t				 nlevels;
	const struct learn_skill_level	*goal;		/* targets 1..10 */
	size_t				 ngoal;
	const struct learn_path_course	*courses;	/* the catalogue */
	size_t				 ncourses;
	const int64_t			*completed;	/* course ids */
	size_t				 ncompleted;
	const int64_t			*enrolled;	/* course ids */
	size_t				 nenrolled;
	double				 hours_per_week; /* > 0, else no weeks */
};

/* Why a step is in the path. */
enum learn_path_why {
	LEARN_PATH_BUILDS = 0,		/* builds[]: goal skills from -> to */
	LEARN_PATH_PREREQ_COURSE,	/* a prerequisite of for_course */
	LEARN_PATH_PREREQ_SKILL,	/* teaches skill (from -> to) that
					 * for_course needs at level need */
	LEARN_PATH_WHY__MAX
};

struct learn_path_build {
	int64_t		 skill;
	double		 from;		/* the learner's level now */
	double		 to;		/* the level the course reaches */
	double		 target;	/* the goal's target */
};

struct learn_path_step {
	int64_t			 course;
	int			 why;		/* enum learn_path_why */
	int			 difficulty;
	double			 hours;
	int			 enrolled;	/* 1: learner is enrolled */
	/* LEARN_PATH_BUILDS: the goal skills it raises, most gaps first in
	 * goal order; nbuilds_all may exceed LEARN_PATH_MAXBUILDS. */
	struct learn_path_build	 builds[LEARN_PATH_MAXBUILDS];
	int			 nbuilds;
	int			 nbuilds_all;
	/* LEARN_PATH_PREREQ_*: the course that needs it (the first one when
	 * several do); for PREREQ_SKILL also skill, from, to and need. */
	int64_t			 for_course;
	int64_t			 skill;
	double			 from, to, need;
};

/* Why a course that was considered is not a step. */
enum learn_path_skip {
	LEARN_PATH_SKIP_COMPLETED = 0,	/* the learner completed it */
	LEARN_PATH_SKIP_SKILL_MET,	/* skill at have already meets need,
					 * the level the course teaches (the
					 * lowest margin of its skills) */
	LEARN_PATH_SKIP__MAX
};

struct learn_path_skipped {
	int64_t		 course;
	int		 why;		/* enum learn_path_skip */
	int64_t		 for_course;	/* the course that required it, or 0
					 * for a goal candidate */
	int64_t		 skill;		/* SKIP_SKILL_MET */
	double		 have, need;
};

/* A goal gap the path does not close: no course in the catalogue (that the
 * learner has not completed) teaches skill up to target. */
struct learn_path_gap {
	int64_t		 skill;
	double		 current;
	double		 target;
	double		 reach;		/* the best level the path reaches
					 * (current when nothing raises it) */
};

enum learn_path_status {
	LEARN_PATH_OK = 0,
	LEARN_PATH_CYCLE = 1		/* refused: cycle[] names the loop */
};

struct learn_path_result {
	int				 status;
	struct learn_path_step		*steps;		/* in study order */
	size_t				 nsteps;
	struct learn_path_skipped	*skipped;
	size_t				 nskipped;
	struct learn_path_gap		*gaps;		/* goal order */
	size_t				 ngaps;
	int64_t				*cycle;		/* cycle[k] requires
							 * cycle[k + 1], the
							 * last cycle[0] */
	size_t				 ncycle;
	double				 total_hours;	/* sum over steps */
	int				 weeks;		/* ceil(total / per
							 * week); -1 when
							 * hours_per_week <= 0 */
};

/* Bytes learn_path_plan() needs for this input (sizes only are read). */
size_t	learn_path_mem_size(const struct learn_path_input *);

/*
 * Plans a path for in, using mem[0..size) (8-byte aligned, at least
 * learn_path_mem_size(in) bytes) for both scratch and the result, which
 * points into mem and lives as long as it.  Goal skills the learner
 * already meets are not gaps.  Prerequisite ids that are not in the
 * catalogue are ignored (the course is unpublished or gone).  The input is
 * not modified and need not be sorted; duplicate course ids are bad input.
 *
 * Returns 0 with out->status LEARN_PATH_OK and the steps, skipped entries,
 * remaining gaps and totals; 0 with out->status LEARN_PATH_CYCLE (no
 * steps) when the chosen courses' prerequisites form a cycle, which
 * out->cycle names; -1 on bad input (NULL arrays with a count, mem too
 * small, duplicate or zero course ids, difficulty outside 1..3, negative or
 * non-finite hours or levels).
 */
int	learn_path_plan(const struct learn_path_input *in, void *mem,
	    size_t size, struct learn_path_result *out);

/*
 * The sentence for a step, snprintf-style into buf[0..size) (see text.h):
 * "builds python 4→7, sql 2→6" (", and 2 more skills" past the list),
 * "prerequisite of Intro to SQL", "teaches sql 2→5, needed at 4 by Data
 * Engineering".  Returns the length needed, or -1 for an unknown why.
 */
int	learn_path_step_format(const struct learn_path_step *,
	    const struct learn_names *, char *buf, size_t size);

/* "skipped Intro to Python: already completed", "skipped Intro to Python:
 * python 5 already meets 4".  Same contract as learn_path_step_format. */
int	learn_path_skipped_format(const struct learn_path_skipped *,
	    const struct learn_names *, char *buf, size_t size);

/* "no course teaches statistics beyond 3 (you are at 2, the goal is 6)",
 * or "... no course teaches statistics (you are at 2, the goal is 6)"
 * when nothing raises it. */
int	learn_path_gap_format(const struct learn_path_gap *,
	    const struct learn_names *, char *buf, size_t size);

#endif
