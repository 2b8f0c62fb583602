/*
 * analytics: the learner dashboard's numbers from plain arrays — a 30-day
 * performance summary, engagement patterns, struggling topics and
 * strengths, the score trend, pace against a goal, streaks, achievements,
 * and a short personalised message built only from those facts.
 *
 * Design decisions.  Days are the learner's local calendar days: a Unix
 * time t falls on day floor((t + tz_offset) / 86400), tz_offset being
 * seconds east of UTC at the learner's zone (the caller resolves DST; one
 * offset per call).  Weekdays are 0 = Monday .. 6 = Sunday.  Activity is a
 * list of events (a time, and seconds of study attributed to it, which may
 * be 0) in ascending time; sessions split where two events are more than
 * session_gap apart, and a session lasts from its first event to the end
 * of its last (at + secs).  The trend is the least-squares slope of scores
 * against days, classified by the change it implies over its window.
 * Every function is deterministic and allocation-free; the one that needs
 * per-skill room takes it from the caller.
 */
#ifndef ADEPT_LEARN_ANALYTICS_H
#define ADEPT_LEARN_ANALYTICS_H

#include <stddef.h>
#include <stdint.h>

#include "learn/text.h"

#define LEARN_AN_DAY		INT64_C(86400)
#define LEARN_AN_MAXLIST	5	/* skills in a report list */
#define LEARN_AN_MAXTOP		3	/* peak hours and weekdays */

struct learn_an_params {
	int	days;			/* summary window (30) */
	int64_t	session_gap;		/* seconds splitting sessions (1800) */
	double	struggle_below;		/* skill average below (0.6) */
	double	strong_from;		/* skill average from (0.8) */
	int	trend_days;		/* trend window (30) */
	int	trend_min;		/* scores needed for a trend (3) */
	double	trend_band;		/* |slope x trend_days| below: stable
					 * (0.05, i.e. 5 points) */
	double	pace_band;		/* |progress - elapsed| within: on
					 * track (0.1) */
	double	mastery_from;		/* p_known for a mastery (0.95) */
	int	streak_badge;		/* streak achievement days (7) */
};

/* Fills the defaults in parentheses above. */
void	learn_an_params_default(struct learn_an_params *);

struct learn_an_event {
	int64_t		 at;		/* Unix seconds */
	int32_t		 secs;		/* study seconds from at, >= 0 */
};

struct learn_an_score {
	int64_t		 skill;
	double		 score;		/* fraction 0..1 */
	int64_t		 at;
};

struct learn_an_lesson {
	int64_t		 lesson;
	int64_t		 started;	/* Unix seconds */
	int64_t		 completed;	/* 0: not completed */
};

struct learn_an_mastery {
	int64_t		 skill;
	double		 p_known;
};

/* The local day number of t. */
int64_t	learn_an_day(int64_t t, int32_t tz_offset);

/* The weekday (0 = Monday) of local day number day. */
int	learn_an_weekday(int64_t day);

/*
 * Streaks over the local days with at least one event (ev[0..n) ascending
 * by at).  *longest: the longest run of consecutive active days.
 * *current: the run ending today (the local day of now) or, when today has
 * no event yet, yesterday (a streak is not broken until a day passes
 * without study); 0 otherwise.  Events after now are ignored.  0, or -1
 * when ev is not ascending.
 */
int	learn_an_streaks(const struct learn_an_event *ev, size_t n,
	    int64_t now, int32_t tz_offset, int *current, int *longest);

struct learn_an_session {
	int64_t		 start, end;	/* end = last event's at + secs */
	size_t		 nevents;
};

/*
 * Splits ev[0..n) (ascending) into sessions wherever the next event starts
 * more than gap seconds after the end of the session so far.  Writes up to
 * cap sessions and returns how many there are (which may exceed cap), or
 * -1 when ev is not ascending.
 */
long	learn_an_sessions(const struct learn_an_event *ev, size_t n,
	    int64_t gap, struct learn_an_session *out, size_t cap);

struct learn_an_engagement {
	long		 by_hour[24];		/* events per local hour */
	long		 by_weekday[7];		/* events per weekday */
	int		 peak_hours[LEARN_AN_MAXTOP];	/* busiest first */
	int		 npeak_hours;		/* nonzero hours, <= 3 */
	int		 weekdays[LEARN_AN_MAXTOP];	/* busiest first */
	int		 nweekdays;
	long		 nsessions;
	double		 avg_session_secs;	/* 0 when no session */
	double		 study_secs;		/* sum of session lengths */
};

/* Engagement over ev[0..n) (ascending); ties go to the earlier hour or
 * day.  0, or -1 when ev is not ascending. */
int	learn_an_engagement(const struct learn_an_event *ev, size_t n,
	    int32_t tz_offset, int64_t gap, struct learn_an_engagement *);

/* A skill's scores aggregated. */
struct learn_an_skill {
	int64_t		 skill;
	double		 avg;		/* mean score, 0..1 */
	long		 n;
	double		 last;		/* the latest score */
};

/*
 * Aggregates s[0..n) (any order) per skill into out[0..cap), sorted by
 * average ascending (ties: lower skill id), so struggling skills are a
 * prefix and strengths a suffix.  cap >= n always suffices.  Returns the
 * number of skills, or -1 when there are more than cap.
 */
long	learn_an_skills(const struct learn_an_score *s, size_t n,
	    struct learn_an_skill *out, size_t cap);

enum learn_an_direction {
	LEARN_AN_STABLE = 0,
	LEARN_AN_IMPROVING,
	LEARN_AN_DECLINING
};

struct learn_an_trend {
	int		 direction;	/* enum learn_an_direction */
	double		 slope;		/* score fraction per day */
	double		 change;	/* slope x window days */
	long		 n;		/* scores in the window */
	int		 days;		/* the window */
	int		 enough;	/* 0: fewer than trend_min scores, or
					 * all on one instant: STABLE */
};

/* The least-squares trend of scores s[0..n) (any order) with at in
 * (now - trend_days days, now]; x is days (fractional) since the window's
 * start. */
void	learn_an_trend(const struct learn_an_params *,
	    const struct learn_an_score *s, size_t n, int64_t now,
	    struct learn_an_trend *);

enum learn_an_pace_kind {
	LEARN_AN_PACE_UNKNOWN = 0,	/* no deadline */
	LEARN_AN_PACE_AHEAD,
	LEARN_AN_PACE_ON_TRACK,
	LEARN_AN_PACE_BEHIND
};

struct learn_an_pace {
	int		 kind;		/* enum learn_an_pace_kind */
	double		 progress;	/* fraction done, clipped to 0..1 */
	double		 elapsed;	/* fraction of time gone, 0..1 */
	int64_t		 days_left;	/* whole days to the deadline, >= 0 */
};

/* Pace of a goal started at start, due at deadline (UNKNOWN unless
 * deadline > start), with progress fraction done, at now: AHEAD when
 * progress - elapsed > pace_band, BEHIND when < -pace_band (so a missed
 * deadline with work left is BEHIND), else ON_TRACK. */
void	learn_an_pace(const struct learn_an_params *, double progress,
	    int64_t start, int64_t deadline, int64_t now,
	    struct learn_an_pace *);

struct learn_an_summary {
	long		 lessons_completed;	/* in the window */
	long		 lessons_started;	/* started in the window */
	double		 completion_rate;	/* completed of those started
						 * in the window; NaN if none */
	double		 avg_score;		/* NaN when no score */
	long		 nscores;
	int		 current_streak;
	int		 longest_streak;
	double		 study_hours;		/* sessions in the window */
	long		 nsessions;
};

enum learn_an_achievement_kind {
	LEARN_AN_FIRST_COURSE = 0,	/* at = first course completion */
	LEARN_AN_STREAK,		/* n = longest streak >= badge */
	LEARN_AN_MASTERY,		/* skill mastered (p_known) */
	LEARN_AN_ACH__MAX
};

struct learn_an_achievement {
	int		 kind;
	int64_t		 skill;
	long		 n;
	int64_t		 at;
	double		 x;		/* MASTERY: p_known */
};

/* Flags for what the report praises and what it asks to improve. */
#define LEARN_AN_F_STRONG_SCORES	0x01	/* avg >= strong_from */
#define LEARN_AN_F_DISCIPLINE		0x02	/* streak >= 5 days or
						 * completion >= 0.8 */
#define LEARN_AN_F_IMPROVING		0x04
#define LEARN_AN_F_LOW_SCORES		0x08	/* avg < struggle_below */
#define LEARN_AN_F_LOW_COMPLETION	0x10	/* completion < 0.5 */
#define LEARN_AN_F_DECLINING		0x20
#define LEARN_AN_F_INACTIVE		0x40	/* no event in 7 days */

struct learn_an_input {
	int64_t				 now;
	int32_t				 tz_offset;
	const struct learn_an_event	*events;	/* ascending */
	size_t				 nevents;
	const struct learn_an_score	*scores;	/* any order */
	size_t				 nscores;
	const struct learn_an_lesson	*lessons;
	size_t				 nlessons;
	const int64_t			*courses_done;	/* completion times */
	size_t				 ncourses_done;
	const struct learn_an_mastery	*mastery;
	size_t				 nmastery;
	double				 goal_progress;	/* 0..1 */
	int64_t				 goal_start;
	int64_t				 goal_deadline;	/* 0: no goal */
};

struct learn_an_report {
	struct learn_an_summary		 summary;
	struct learn_an_engagement	 engagement;	/* in the window */
	struct learn_an_trend		 trend;
	struct learn_an_pace		 pace;
	struct learn_an_skill		 struggling[LEARN_AN_MAXLIST];
	size_t				 nstruggling;	/* weakest first */
	struct learn_an_skill		 strong[LEARN_AN_MAXLIST];
	size_t				 nstrong;	/* strongest first */
	struct learn_an_achievement	 achievements[LEARN_AN_ACH__MAX +
					     LEARN_AN_MAXLIST];
	size_t				 nachievements;
	unsigned			 strengths;	/* LEARN_AN_F_* */
	unsigned			 improve;	/* LEARN_AN_F_* */
	int64_t				 last_event;	/* 0: none */
};

/* Summary over the params' window ending at now (see the struct). */
int	learn_an_summary(const struct learn_an_params *,
	    const struct learn_an_input *, struct learn_an_summary *);

/* Achievements earned (first course, streak badge, each mastered skill up
 * to LEARN_AN_MAXLIST, in skill order) written to out[0..cap); returns how
 * many (may exceed cap). */
size_t	learn_an_achievements(const struct learn_an_params *,
	    const struct learn_an_input *, int longest_streak,
	    struct learn_an_achievement *out, size_t cap);

/*
 * Everything above for one learner.  Per-skill aggregation uses the scores
 * in the window and work[0..in->nscores) (caller memory, e.g. the request
 * arena; may be NULL when nscores is 0).  0, or -1 when the events are not
 * ascending.
 */
int	learn_an_report(const struct learn_an_params *,
	    const struct learn_an_input *, struct learn_an_skill *work,
	    struct learn_an_report *);

/*
 * The personalised message: a few sentences chosen only from the report
 * (streak, trend, the weakest skill, pace, when the learner studies best),
 * deterministic, snprintf-style (see text.h).  E.g. "Amazing 7-day streak!
 * Your scores are improving (+8 points over 30 days). Focus on sql (45 %):
 * revision is ready for you. You learn best on Monday and Wednesday around
 * 20:00."  Returns the length needed.
 */
int	learn_an_message(const struct learn_an_report *,
	    const struct learn_names *, char *buf, size_t size);

/* A weekday's English name ("Monday"); "?" outside 0..6. */
const char	*learn_an_weekday_name(int);

#endif
