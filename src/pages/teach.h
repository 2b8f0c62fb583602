/*
 * teach: helpers shared by the instructor pages (teach.c, teach_course.c,
 * teach_content.c) and the admin review (review.c).  Not a public API:
 * only src/pages/ includes it.
 *
 * The one rule these helpers carry: every object an instructor names is
 * loaded through teach_*_load(), whose SQL joins up to the course and
 * keeps only the user's own (admins: all), so another instructor's id is
 * a 404 before anything is written.
 */
#ifndef ADEPT_PAGES_TEACH_H
#define ADEPT_PAGES_TEACH_H

#include <stddef.h>
#include <stdint.h>

struct req;
struct buf;

struct teach_course {
	int64_t		 id;
	int64_t		 author_id;
	const char	*title;
	const char	*summary;
	const char	*level;
	const char	*language;
	const char	*hours;
	const char	*status;	/* draft, review, published, rejected */
	const char	*note;		/* the admin's rejection note */
	const char	*author;
	const char	*submitted;	/* "" when never */
	const char	*published;
	int64_t		 cover;		/* uploads.id, 0 = none */
};

struct teach_module {
	int64_t		 id;
	int64_t		 course_id;
	int64_t		 position;
	const char	*title;
	const char	*course_title;
	const char	*course_status;
};

struct teach_lesson {
	int64_t		 id;
	int64_t		 module_id;
	int64_t		 position;
	const char	*title;
	const char	*kind;
	const char	*body;
	int64_t		 minutes;
	int64_t		 course_id;
	const char	*course_title;
	const char	*module_title;
	const char	*course_status;
};

/* A list of ids, each with a level where the list has one (else 0). */
struct teach_ids {
	size_t		 n;
	int64_t		*id;
	int		*level;
};

/* "true" for admins, else "false": the $3 of the ownership queries. */
const char	*teach_admin_arg(const struct req *);

/* Each returns 0 with *out filled, 404 when the object does not exist or
 * is not the user's, or a 5xx status. */
int	teach_course_load(struct req *, int64_t id, struct teach_course *);
int	teach_module_load(struct req *, int64_t id, struct teach_module *);
int	teach_lesson_load(struct req *, int64_t id, struct teach_lesson *);

/* The course page (/teach/courses/{id}) with the add-a-module form
 * showing module_title and module_error (both may be NULL). */
int	teach_course_page(struct req *, const struct teach_course *,
	    const char *module_title, const char *module_error, int status);

/* "{1,2,3}": the text form of a bigint[] parameter, in the arena. */
const char	*teach_id_array(struct req *, const int64_t *, size_t);

/*
 * Reads a list from the request: either the repeated form fields name
 * (and, when level_name is not NULL, level_name paired with them by
 * position; a row whose id is empty is skipped), or the compact field
 * compact ("3,7" or with levels "3:5,7:2", the API's form).  Ids must be
 * positive integers, levels 1..10, no id twice.  *present says whether the
 * request carried the list at all.  Returns NULL, or a message for the
 * field.
 */
const char	*teach_ids_read(struct req *, const char *name,
		    const char *level_name, const char *compact,
		    const char *what, struct teach_ids *, int *present);

/*
 * The cycle check over edges from[i] requires to[i] (i < m).  Returns 0
 * when there is none; 1 with *cycle (arena) holding one, each requiring
 * the next and the last the first, rotated so start comes first when it
 * is on the cycle; -1 on bad input (too many edges).
 */
int	teach_cycle_find(struct req *, const int64_t *from, const int64_t *to,
	    size_t m, int64_t start, int64_t **cycle, size_t *ncycle);
/* The refusal naming the cycle: Prerequisite cycle: "A" requires "B",
 * which requires "A".  titles[i] names ids[i] (n entries); an id missing
 * there shows as #id. */
const char *teach_cycle_text(struct req *, const int64_t *cycle, size_t n,
	    const int64_t *ids, const char *const *titles, size_t nt);
/* The same, with the titles taken from the rows (id, title) of the last
 * query on r->db (rows of them). */
const char *teach_cycle_text_rows(struct req *, const int64_t *cycle,
	    size_t n, int rows);

/* An audit log entry: action on "course:<id>", detail a JSON object or
 * NULL.  Failures are logged by db and otherwise ignored. */
void	teach_audit(struct req *, const char *action, int64_t course,
	    const char *detail);

/* "Draft", "In review", "Published", "Rejected". */
const char	*teach_status_label(const char *status);

/* 1 when deleting from a course in this status needs confirming
 * (learners can see it: published, or in review). */
int	teach_delete_needs_confirm(const char *status);

/* The delete confirmation page (teach_delete.html): what is deleted, what
 * goes with it; err (may be NULL) says why the last POST was refused. */
struct teach_delete {
	const char	*title, *facts, *consequence, *confirm_label;
	const char	*button, *action, *back;
	int		 needs_confirm;
};
int	teach_delete_page(struct req *, const struct teach_delete *,
	    const char *err, int status);

/* Appends one <option> per (value, label) with value == selected marked
 * selected.  -1 on a template error. */
int	teach_option(struct req *, struct buf *, int64_t value,
	    const char *label, int selected);

#endif
