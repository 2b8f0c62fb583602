/*
 * course_shared: the part of a course page that every visitor sees alike,
 * kept per FastCGI thread (course_shared.c says how it stays exact).
 */
#ifndef ADEPT_COURSE_SHARED_H
#define ADEPT_COURSE_SHARED_H

#include <stdint.h>

#include "base/arena.h"

struct buf;
struct req;

struct course_lesson {
	int64_t		 id;
	int64_t		 module;
	const char	*title, *kind;
	long		 minutes;
	const char	*row;		/* its syllabus row, "not started" */
};

struct course_skill {
	int64_t		 id;
	const char	*name;
	long		 level;
};

struct course_quiz {
	int64_t		 module, id;
	const char	*title;
};

struct course_prereq {
	int		 skill;		/* 1: a skill level, 0: a course */
	int64_t		 id;
	const char	*name;
	long		 level;		/* skill: the level required */
	int64_t		 take;		/* course suggested (0: none) */
	const char	*take_title;
};

/* A piece of the syllabus's HTML: text, or (lesson >= 0) a lesson's row. */
struct course_piece {
	const char	*text;
	int		 lesson;
};

struct course_shared {
	struct arena		 a;		/* owns everything below */
	int64_t			 id;		/* 0: slot unused */
	int64_t			 version;	/* course_versions */
	int64_t			 catalog;	/* catalog_version */
	const char		*title, *summary, *level, *language, *hours;
	const char		*status, *instructor;
	long			 minutes;	/* of all lessons */
	int			 nlessons, nmodules, nskills, nquizzes;
	int			 nprereqs, npieces;
	struct course_lesson	*lessons;	/* in syllabus order */
	int			*by_id;		/* lesson indexes by id */
	struct { int64_t id; const char *title; int first, n; }
				*modules;	/* lessons[first, first + n) */
	struct course_skill	*skills;	/* by name */
	struct course_quiz	*quizzes;	/* by module, id */
	struct course_prereq	*prereqs;	/* by kind, name */
	struct course_piece	*pieces;
	const char		*skills_html;	/* row_learn_skill rows */
	/* course.html, cut where the visitor's enrolment section, the
	 * prerequisite rows and the syllabus go */
	const char		*body[4];
	/* learning_course_mine's arrays: lesson ids (ascending), the
	 * prerequisite courses' ids, each prerequisite skill's id and name */
	const char		*ids, *prereq_ids, *prereq_keys;
};

/* The visitor's progress in one lesson of the course. */
struct course_progress {
	const char	*status;	/* "" | started | completed */
	long		 seconds;
};

/* The visitor's standing against one prerequisite. */
struct course_standing {
	int		 met;
	const char	*level;		/* skill: the user's, NULL = unknown */
};

/*
 * The course page's data for the user of r: runs learning_course_mine
 * (the user's part), and builds or rebuilds this thread's kept shared part
 * when it is not at the version that statement read.  Returns the number
 * of rows of learning_course_mine left in r->db (its 'h' row first) with
 * *out set, 0 when the user may not see the course, a db_err, or
 * COURSE_TMPL_ERROR.  *out stays valid until the next call by this thread.
 */
#define COURSE_TMPL_ERROR	(-100)
int	page_course_shared_load(struct req *, int64_t id,
	    const struct course_shared **out);
/* The 'l' rows of learning_course_mine (n rows in r->db) as progress per
 * lesson of s (an array of s->nlessons, in the request arena). */
struct course_progress *page_course_progress(struct req *, int n,
	    const struct course_shared *);
/* The 'r' and 'k' rows of learning_course_mine (n rows in r->db) as the
 * standing against each of s->prereqs (request arena). */
struct course_standing *page_course_standing(struct req *, int n,
	    const struct course_shared *);
/* Appends the syllabus (row_learn_module rows) with the user's progress;
 * 0, or -1 (template error). */
int	page_course_syllabus(struct req *, const struct course_shared *,
	    const struct course_progress *, struct buf *);

#endif
