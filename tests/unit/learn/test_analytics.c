/*
 * analytics: trend slopes of known sign and value, streaks counted in the
 * learner's local days (a timezone can join or split two events), sessions
 * split by the gap, peak hours and weekdays, per-skill averages, pace,
 * the summary window, achievements, and a message built from the facts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "learn/analytics.h"

#define DAY	INT64_C(86400)
#define H	INT64_C(3600)
/* 2024-01-01 00:00 UTC, a Monday (day 19723). */
#define MON	(INT64_C(19723) * DAY)

static void
test_day_and_weekday(void **state)
{
	(void)state;
	assert_int_equal(learn_an_day(MON, 0), 19723);
	assert_int_equal(learn_an_weekday(19723), 0);
	assert_int_equal(learn_an_weekday(0), 3);	/* 1970-01-01 */
	/* One second before midnight UTC is already the next day at +1 h,
	 * and before the epoch days still floor. */
	assert_int_equal(learn_an_day(MON - 1, 3600), 19723);
	assert_int_equal(learn_an_day(MON - 1, 0), 19722);
	assert_int_equal(learn_an_day(-1, 0), -1);
	assert_string_equal(learn_an_weekday_name(6), "Sunday");
}

static void
test_trend(void **state)
{
	struct learn_an_params p;
	struct learn_an_trend t;
	int64_t now = MON + 40 * DAY, from = now - 30 * DAY;
	struct learn_an_score up[] = {
		{ 1, 0.5, from + 10 * DAY }, { 1, 0.6, from + 20 * DAY },
		{ 1, 0.7, from + 30 * DAY },
		{ 1, 0.0, from - DAY },		/* outside: ignored */
	};
	struct learn_an_score down[] = {
		{ 1, 0.9, from + 2 * DAY }, { 1, 0.7, from + 4 * DAY },
		{ 1, 0.5, from + 6 * DAY }, { 1, 0.3, from + 8 * DAY },
	};
	struct learn_an_score flat[] = {
		{ 1, 0.70, from + 1 * DAY }, { 1, 0.71, from + 15 * DAY },
		{ 1, 0.70, from + 29 * DAY },
	};

	(void)state;
	learn_an_params_default(&p);
	learn_an_trend(&p, up, 4, now, &t);
	assert_int_equal(t.n, 3);
	assert_true(t.enough);
	assert_true(fabs(t.slope - 0.01) < 1e-12);
	assert_true(fabs(t.change - 0.3) < 1e-9);
	assert_int_equal(t.direction, LEARN_AN_IMPROVING);
	learn_an_trend(&p, down, 4, now, &t);
	assert_true(fabs(t.slope + 0.1) < 1e-12);
	assert_int_equal(t.direction, LEARN_AN_DECLINING);
	learn_an_trend(&p, flat, 3, now, &t);
	assert_true(fabs(t.slope) < 1e-12);
	assert_int_equal(t.direction, LEARN_AN_STABLE);
	/* Two points are too few for a trend. */
	learn_an_trend(&p, down, 2, now, &t);
	assert_false(t.enough);
	assert_int_equal(t.direction, LEARN_AN_STABLE);
}

static void
test_streak_timezone(void **state)
{
	/* Monday 23:30 UTC and Tuesday 00:30 UTC. */
	struct learn_an_event ev[] = { { MON + 23 * H + 1800, 0 },
	    { MON + DAY + 1800, 0 } };
	/* Six days in a row at 22:00 UTC, a gap, then two more. */
	struct learn_an_event run[9];
	int cur, lon, i;

	(void)state;
	assert_int_equal(learn_an_streaks(ev, 2, MON + DAY + 2 * H, 0, &cur,
	    &lon), 0);
	assert_int_equal(lon, 2);
	assert_int_equal(cur, 2);
	/* At UTC+2 both fall on Tuesday; at UTC-1 both on Monday. */
	learn_an_streaks(ev, 2, MON + DAY + 2 * H, 7200, &cur, &lon);
	assert_int_equal(lon, 1);
	assert_int_equal(cur, 1);
	learn_an_streaks(ev, 2, MON + DAY + 2 * H, -3600, &cur, &lon);
	assert_int_equal(lon, 1);
	for (i = 0; i < 6; i++)
		run[i].at = MON + i * DAY + 22 * H;
	run[6].at = MON + 8 * DAY + 22 * H;
	run[7].at = MON + 9 * DAY + 22 * H;
	run[8].at = MON + 9 * DAY + 23 * H;
	for (i = 0; i < 9; i++)
		run[i].secs = 0;
	/* Day 10, nothing yet today: yesterday's run still counts. */
	learn_an_streaks(run, 9, MON + 10 * DAY + 8 * H, 0, &cur, &lon);
	assert_int_equal(lon, 6);
	assert_int_equal(cur, 2);
	/* Day 11: broken. */
	learn_an_streaks(run, 9, MON + 11 * DAY + 8 * H, 0, &cur, &lon);
	assert_int_equal(cur, 0);
	/* At UTC+3, 22:00 and 23:00 UTC are 01:00 and 02:00 the next local
	 * day, so the last two events fall on local day 10, today (08:00
	 * UTC is 11:00 there): the streak is alive and 2 long. */
	learn_an_streaks(run, 9, MON + 10 * DAY + 8 * H, 3 * 3600, &cur, &lon);
	assert_int_equal(cur, 2);
	/* Events out of order are refused. */
	assert_int_equal(learn_an_streaks(run + 1, 2, MON, 0, &cur, &lon), 0);
	run[1].at = 0;
	assert_int_equal(learn_an_streaks(run, 3, MON, 0, &cur, &lon), -1);
}

static void
test_sessions(void **state)
{
	struct learn_an_event ev[] = {
		{ 1000, 60 }, { 1600, 300 }, { 3000, 0 },	/* one */
		{ 4900, 120 },					/* gap 1900 */
		{ 6800, 0 },		/* 6800 - 5020 = 1780: same */
	};
	struct learn_an_session s[4];

	(void)state;
	assert_int_equal(learn_an_sessions(ev, 5, 1800, s, 4), 2);
	assert_int_equal(s[0].start, 1000);
	assert_int_equal(s[0].end, 3000);
	assert_int_equal(s[0].nevents, 3);
	assert_int_equal(s[1].start, 4900);
	assert_int_equal(s[1].end, 6800);
	assert_int_equal(s[1].nevents, 2);
	/* A 1000 s gap also splits before 3000 and 6800; cap limits only
	 * what is written. */
	assert_int_equal(learn_an_sessions(ev, 5, 1000, s, 1), 4);
	assert_int_equal(s[0].end, 1900);
	assert_int_equal(learn_an_sessions(ev, 0, 1800, s, 4), 0);
}

static void
test_engagement(void **state)
{
	/* Monday 20:10, 20:20, Wednesday 20:05 and 07:00, Friday 12:00. */
	struct learn_an_event ev[] = {
		{ MON + 20 * H + 600, 600 }, { MON + 20 * H + 1200, 600 },
		{ MON + 2 * DAY + 7 * H, 600 },
		{ MON + 2 * DAY + 20 * H + 300, 300 },
		{ MON + 4 * DAY + 12 * H, 0 },
	};
	struct learn_an_engagement e;

	(void)state;
	assert_int_equal(learn_an_engagement(ev, 5, 0, 1800, &e), 0);
	assert_int_equal(e.by_hour[20], 3);
	assert_int_equal(e.peak_hours[0], 20);
	assert_int_equal(e.npeak_hours, 3);
	assert_int_equal(e.peak_hours[1], 7);	/* tie with 12: earlier */
	assert_int_equal(e.weekdays[0], 0);
	assert_int_equal(e.weekdays[1], 2);
	assert_int_equal(e.nweekdays, 3);
	assert_int_equal(e.nsessions, 4);
	/* 1200 + 600 + 300 + 0 seconds over 4 sessions. */
	assert_true(e.study_secs == 2100);
	assert_true(e.avg_session_secs == 525);
	/* At UTC-8 Monday 20:10 UTC is Monday 12:10. */
	learn_an_engagement(ev, 5, -8 * 3600, 1800, &e);
	assert_int_equal(e.peak_hours[0], 12);
}

static void
test_skills_and_pace(void **state)
{
	struct learn_an_score s[] = {
		{ 7, 0.4, 10 }, { 5, 0.9, 11 }, { 7, 0.5, 12 }, { 6, 0.7, 13 },
		{ 5, 0.8, 14 },
	};
	struct learn_an_skill out[5];
	struct learn_an_params p;
	struct learn_an_pace pc;

	(void)state;
	assert_int_equal(learn_an_skills(s, 5, out, 5), 3);
	assert_int_equal(out[0].skill, 7);
	assert_true(fabs(out[0].avg - 0.45) < 1e-12);
	assert_int_equal(out[0].n, 2);
	assert_true(out[0].last == 0.5);
	assert_int_equal(out[2].skill, 5);
	assert_true(out[2].last == 0.8);
	assert_int_equal(learn_an_skills(s, 5, out, 2), -1);

	learn_an_params_default(&p);
	learn_an_pace(&p, 0.5, 0, 100 * DAY, 50 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_ON_TRACK);
	assert_int_equal(pc.days_left, 50);
	learn_an_pace(&p, 0.5, 0, 100 * DAY, 70 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_BEHIND);
	assert_true(fabs(pc.elapsed - 0.7) < 1e-12);
	learn_an_pace(&p, 0.8, 0, 100 * DAY, 50 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_AHEAD);
	learn_an_pace(&p, 0.95, 0, 100 * DAY, 200 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_ON_TRACK);
	assert_true(pc.elapsed == 1);
	assert_int_equal(pc.days_left, 0);
	learn_an_pace(&p, 0.5, 0, 120 * DAY, 200 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_BEHIND);
	learn_an_pace(&p, 0.5, 10, 0, 200 * DAY, &pc);
	assert_int_equal(pc.kind, LEARN_AN_PACE_UNKNOWN);
}

static const char *
name(void *arg, int kind, int64_t id)
{
	(void)arg;
	(void)kind;
	return id == 7 ? "sql" : NULL;
}

/* A learner with a 7-day streak ending today, improving scores, one weak
 * skill, a goal behind schedule, and most study on Monday evenings. */
static void
test_report_and_message(void **state)
{
	struct learn_an_params p;
	struct learn_an_input in;
	struct learn_an_report r;
	struct learn_an_skill work[8];
	struct learn_an_event ev[8];
	struct learn_an_score sc[6];
	struct learn_an_lesson ls[4] = {
		{ 1, MON + 1 * DAY, MON + 1 * DAY + H },
		{ 2, MON + 2 * DAY, MON + 3 * DAY },
		{ 3, MON + 5 * DAY, 0 },
		{ 4, MON - 60 * DAY, MON + 2 * DAY },	/* old start */
	};
	int64_t courses[] = { MON + 4 * DAY, MON + 2 * DAY };
	struct learn_an_mastery m[] = { { 9, 0.97 }, { 7, 0.3 }, { 3, 0.99 } };
	char buf[512];
	int i;

	(void)state;
	learn_an_params_default(&p);
	/* Mondays at 20:00 twice (day 0 and 7), other days at 09:00. */
	for (i = 0; i < 8; i++) {
		ev[i].at = MON + i * DAY + (i % 7 == 0 ? 20 : 9) * H;
		ev[i].secs = 1800;
	}
	/* Scores rise from 0.5 to 0.9; skill 7 stays weak. */
	for (i = 0; i < 6; i++) {
		sc[i].skill = i < 2 ? 7 : 5;
		sc[i].score = i < 2 ? 0.4 + 0.05 * i : 0.8 + 0.02 * i;
		sc[i].at = MON + i * DAY;
	}
	memset(&in, 0, sizeof(in));
	in.now = MON + 7 * DAY + 21 * H;
	in.events = ev;
	in.nevents = 8;
	in.scores = sc;
	in.nscores = 6;
	in.lessons = ls;
	in.nlessons = 4;
	in.courses_done = courses;
	in.ncourses_done = 2;
	in.mastery = m;
	in.nmastery = 3;
	in.goal_progress = 0.2;
	in.goal_start = MON - 10 * DAY;
	in.goal_deadline = MON + 10 * DAY;
	assert_int_equal(learn_an_report(&p, &in, work, &r), 0);

	assert_int_equal(r.summary.lessons_completed, 3);
	assert_int_equal(r.summary.lessons_started, 3);
	assert_true(fabs(r.summary.completion_rate - 2.0 / 3.0) < 1e-12);
	assert_int_equal(r.summary.current_streak, 8);
	assert_int_equal(r.summary.longest_streak, 8);
	assert_int_equal(r.summary.nsessions, 8);
	assert_true(fabs(r.summary.study_hours - 4.0) < 1e-12);
	assert_int_equal(r.summary.nscores, 6);
	assert_int_equal(r.trend.direction, LEARN_AN_IMPROVING);
	assert_int_equal(r.pace.kind, LEARN_AN_PACE_BEHIND);
	assert_int_equal(r.nstruggling, 1);
	assert_int_equal(r.struggling[0].skill, 7);
	assert_int_equal(r.nstrong, 1);
	assert_int_equal(r.strong[0].skill, 5);
	assert_int_equal(r.engagement.peak_hours[0], 9);
	assert_int_equal(r.engagement.weekdays[0], 0);
	/* First course (the earlier time), the streak badge, skills 3 and 9
	 * in skill order. */
	assert_int_equal(r.nachievements, 4);
	assert_int_equal(r.achievements[0].kind, LEARN_AN_FIRST_COURSE);
	assert_int_equal(r.achievements[0].at, MON + 2 * DAY);
	assert_int_equal(r.achievements[1].kind, LEARN_AN_STREAK);
	assert_int_equal(r.achievements[2].skill, 3);
	assert_int_equal(r.achievements[3].skill, 9);
	assert_true(r.strengths & LEARN_AN_F_IMPROVING);
	assert_true(r.strengths & LEARN_AN_F_DISCIPLINE);
	assert_false(r.improve & LEARN_AN_F_INACTIVE);

	struct learn_names names = { name, NULL };
	learn_an_message(&r, &names, buf, sizeof(buf));
	assert_non_null(strstr(buf, "Amazing 8-day streak!"));
	assert_non_null(strstr(buf, "improving (+"));
	assert_non_null(strstr(buf, "Focus on sql (43 %)"));
	assert_non_null(strstr(buf, "behind your goal"));
	assert_non_null(strstr(buf, "You learn best on Monday"));
	assert_non_null(strstr(buf, "around 09:00."));
	assert_true(buf[strlen(buf) - 1] == '.');
	/* Deterministic, and the length is reported when truncated. */
	{
		char small[16], again[512];
		int n = learn_an_message(&r, &names, small, sizeof(small));

		learn_an_message(&r, &names, again, sizeof(again));
		assert_string_equal(buf, again);
		assert_int_equal(n, (int)strlen(buf));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_day_and_weekday),
		cmocka_unit_test(test_trend),
		cmocka_unit_test(test_streak_timezone),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_engagement),
		cmocka_unit_test(test_skills_and_pace),
		cmocka_unit_test(test_report_and_message),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
