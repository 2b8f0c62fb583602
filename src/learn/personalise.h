/*
 * personalise: generated lesson drafts adapted to a learner's preference
 * profile (level, pace, examples) before a learner reads them.
 *
 * Design decision: the adaptation works on the Markdown the generators
 * write (learn_gen_lesson: "# Title", "## Objectives", "## Key terms" as
 * "- **term**: definition [pN]", then sections of cited paragraphs) by
 * keeping, dropping and adding whole blocks and sentences -- it never
 * rewrites a sentence of the material, so what a learner reads stays
 * grounded in the passages the instructor approved.  Unknown structure
 * passes through unchanged.  A profile has a short text key
 * ("level=beginner;pace=normal;ex=1") under which the caller caches the
 * result per module.
 */
#ifndef ADEPT_LEARN_PERSONALISE_H
#define ADEPT_LEARN_PERSONALISE_H

#include <stddef.h>

enum learn_pers_level {
	LEARN_PERS_BEGINNER,
	LEARN_PERS_INTERMEDIATE,
	LEARN_PERS_ADVANCED,
	LEARN_PERS_LEVEL__MAX
};

enum learn_pers_pace {
	LEARN_PERS_SLOW,
	LEARN_PERS_NORMAL,
	LEARN_PERS_FAST,
	LEARN_PERS_PACE__MAX
};

struct learn_pers_profile {
	enum learn_pers_level	level;
	enum learn_pers_pace	pace;
	int			examples;	/* 1: keep worked examples */
};

/* "beginner", "intermediate", "advanced" / "slow", "normal", "fast". */
const char *learn_pers_level_name(enum learn_pers_level);
const char *learn_pers_pace_name(enum learn_pers_pace);
/* The value named s, or the __MAX value. */
enum learn_pers_level learn_pers_level_parse(const char *s);
enum learn_pers_pace learn_pers_pace_parse(const char *s);

/*
 * The level for a learner in a course of level course: the course's own
 * when nothing is known of the learner (nstates 0), else one step down
 * when mastery (the learner's mean level over the course's target levels,
 * 0..1) is under 1/3, one step up from 2/3, clamped.
 */
enum learn_pers_level learn_pers_level_for(enum learn_pers_level course,
	    double mastery, int nstates);

/* The cache key of p ("level=beginner;pace=normal;ex=1") into buf (n
 * bytes, NUL-terminated, cut if short).  Returns its length. */
size_t	learn_pers_key(const struct learn_pers_profile *p, char *buf,
	    size_t n);

/*
 * md[0..len) adapted to p:
 *   beginner      everything kept, and a "## Glossary" of the key terms
 *                 (alphabetical, without citations) added at the end;
 *   intermediate  as written;
 *   advanced      the "## Key terms" section dropped, and the sentences
 *                 of the body that define a key term ("A relation is
 *                 ...") dropped (a paragraph left empty goes too);
 *   pace slow     a "Check yourself" prompt after each body section;
 *   pace fast     the "## Objectives" section dropped;
 *   examples 0    sentences opening "For example" / "For instance" /
 *                 "E.g." dropped.
 * Citations ("[p12]") at the end of a paragraph stay with what is left of
 * it; a section left empty is dropped with its heading.  Returns a malloc'd NUL-terminated string (length in *outlen when
 * not NULL), or NULL when out of memory.
 */
char	*learn_personalise(const char *md, size_t len,
	    const struct learn_pers_profile *p, size_t *outlen);

#endif
