/*
 * generate: the "generate" job (issue 8, genproj) -- runs a generation
 * project over the course's indexed passages and stores every item it
 * made with its sources and the result of every quality check -- and the
 * checks again when an instructor edits an item (src/pages/genproj.c).
 *
 * Design decision: an item is stored as the instructor will review it,
 * in JSON whose passages are material_passages ids (never indices of one
 * run), so the checks can be run again on the stored item alone, from any
 * process, after any edit, and give the same verdict the job gave.
 *
 * Content by kind:
 *   single, truefalse, cloze  {"question", "stem", "options": [...],
 *                             "answer", "explanation", "claim",
 *                             "answer_type", "passage": id, "cites": [id]}
 *   objective                 {"objective", "bloom", "terms": [...],
 *                             "passage": id, "cites": [id]}
 *   lesson                    {"title", "markdown"} (paragraphs cite
 *                             passages as "[p<id>]")
 */
#ifndef ADEPT_JOBS_GENERATE_H
#define ADEPT_JOBS_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/jobs.h"

struct arena;
struct db;

/* "generate": payload {"project": id}.  Runs the project in one
 * transaction (its items replaced, so a rerun gives the same items once);
 * a course without material fails the project with the reason, not the
 * job. */
enum job_result	job_generate(struct job *);

/* The reading level (enum learn_level) the checks apply for a course
 * level: beginner -> secondary, intermediate -> adult, advanced ->
 * professional. */
int	generate_reading_level(const char *course_level);

/*
 * The checks on item (of project, kind, content as above) again, the
 * duplicate check against the project's other items that are not
 * rejected: *sources (a bigint[] literal), *checks (a JSON object
 * check -> "ok" | reason) and *passed, all in the arena.  Returns 0, a
 * db_err, or 1 when content is not an item of its kind (*checks then says
 * why).
 */
int	generate_recheck(struct db *, struct arena *, int64_t project,
	    int64_t item, const char *kind, const char *content,
	    const char *course_level, const char **sources,
	    const char **checks, int *passed);

/* The folded words of s[0..n), sorted, for generate_unknown_word (in
 * the arena). */
char	**generate_vocab(struct arena *, const char *s, size_t n,
	    size_t *nv);
/* The first word of s[0..n) that is not in vocab, or NULL: the
 * "every word is in the source" check of lesson drafts and micro-lesson
 * scripts. */
const char *generate_unknown_word(struct arena *, const char *s, size_t n,
	    char *const *vocab, size_t nvocab);

#endif
