/*
 * feed: the feed's card score and its reason (see feed.h for the parts).
 * The design decision: the score is additive with a dominant part per
 * reason (due > ready > next > refresher), so the sentence a card shows
 * names the part that placed it, and the smaller parts (level, popularity)
 * only order cards within one reason.
 */
#include <math.h>
#include <stdio.h>

#include "learn/feed.h"

#define DUE_BASE	1000.0
#define DUE_PER		50.0
#define DUE_CAP		10
#define READY_BASE	500.0
#define READY_PER	40.0
#define READY_CAP	9
#define NEXT_BASE	300.0
#define LEVEL_SAME	60.0
#define LEVEL_ABOVE	30.0
#define POP_PER		10.0
#define POP_CAP		40.0

static const char *const why_name[LEARN_FEED__MAX] = {
	"due", "ready", "next", "refresh", "locked"
};

const char *
learn_feed_why_name(enum learn_feed_why w)
{
	return (unsigned)w < LEARN_FEED__MAX ? why_name[w] : "";
}

int
learn_feed_level(double mean)
{
	if (!(mean > 0))
		return 0;
	return mean < 4 ? 1 : mean < 7 ? 2 : 3;
}

static double
level_part(int course, int learner)
{
	if (course < LEARN_FEED_BEGINNER || course > LEARN_FEED_ADVANCED ||
	    learner < LEARN_FEED_BEGINNER || learner > LEARN_FEED_ADVANCED)
		return 0;
	if (course == learner)
		return LEVEL_SAME;
	if (course == learner + 1)
		return LEVEL_ABOVE;
	return 0;
}

void
learn_feed_score(struct learn_feed_item *it, int learner_level)
{
	double s, pop;
	int d, g;

	if (it->due > 0) {
		d = it->due > DUE_CAP ? DUE_CAP : it->due;
		s = DUE_BASE + DUE_PER * d;
		it->why = LEARN_FEED_DUE;
	} else if (!it->prereqs_met) {
		it->why = LEARN_FEED_LOCKED;
		it->score = 0;
		return;
	} else if (!it->completed && it->has_target && it->gap > 0) {
		g = it->gap > READY_CAP ? READY_CAP : it->gap;
		s = READY_BASE + READY_PER * g;
		it->why = LEARN_FEED_READY;
	} else if (!it->completed && !it->has_target) {
		s = NEXT_BASE;
		it->why = LEARN_FEED_NEXT;
	} else {
		/* Completed, or every targeted skill at target. */
		s = 0;
		it->why = LEARN_FEED_REFRESH;
	}
	s += level_part(it->course_level, learner_level);
	pop = it->completions > 0 ?
	    POP_PER * log10(1.0 + (double)it->completions) : 0;
	s += pop > POP_CAP ? POP_CAP : pop;
	it->score = s;
}

size_t
learn_feed_rank(struct learn_feed_item *items, size_t n, int learner_level,
    size_t *order, size_t cap)
{
	size_t i, j, m = 0, k;

	for (i = 0; i < n; i++) {
		learn_feed_score(&items[i], learner_level);
		if (items[i].why == LEARN_FEED_LOCKED)
			continue;
		/* Insertion into order[0..m): stable for equal scores. */
		for (j = m; j > 0 && items[order[j - 1]].score <
		    items[i].score; j--)
			;
		if (j >= cap)
			continue;
		k = m < cap ? m : cap - 1;
		for (; k > j; k--)
			order[k] = order[k - 1];
		order[j] = i;
		if (m < cap)
			m++;
	}
	return m;
}

char *
learn_feed_reason(const struct learn_feed_item *it, int learner_level,
    char *buf, size_t size)
{
	const char *lv = "";

	if (size == 0)
		return buf;
	if (level_part(it->course_level, learner_level) > 0)
		lv = it->course_level == learner_level ?
		    " It is at your level." : " It is one step above your "
		    "level, a good stretch.";
	switch (it->why) {
	case LEARN_FEED_DUE:
		snprintf(buf, size, "%d review%s due on this lesson's "
		    "skills: answer before you forget.%s", it->due,
		    it->due == 1 ? " is" : "s are", lv);
		break;
	case LEARN_FEED_READY:
		snprintf(buf, size, "Ready to learn next: its prerequisites "
		    "are done and you are %d level%s below your target.%s",
		    it->gap, it->gap == 1 ? "" : "s", lv);
		break;
	case LEARN_FEED_NEXT:
		snprintf(buf, size, "Next in your course: its prerequisites "
		    "are done.%s", lv);
		break;
	case LEARN_FEED_REFRESH:
		snprintf(buf, size, "A refresher: you have %s.%s",
		    it->completed ? "completed this lesson" :
		    "reached your target on its skills", lv);
		break;
	default:
		snprintf(buf, size, "Locked until its prerequisites are "
		    "done.");
		break;
	}
	return buf;
}
