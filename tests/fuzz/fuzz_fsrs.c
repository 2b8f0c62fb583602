/*
 * fuzz_fsrs: FSRS-6 and SM-2 (src/learn/fsrs.c, sm2.c) driven by arbitrary
 * bytes: parameters (including raw, possibly non-finite weights), review
 * times, ratings and deliberately corrupted cards.  Besides memory errors
 * and undefined behaviour (ASan/UBSan) it checks the promises of fsrs.h and
 * sm2.h: bad input is refused and leaves the card untouched; an accepted
 * review leaves S in [S_MIN, S_MAX], D in [1, 10], R in [0, 1], a due time
 * not before the review, and counters that only grow.
 */
// SOURCES: src/learn/fsrs.c src/learn/sm2.c
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learn/fsrs.h"
#include "learn/sm2.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: %s\n",	\
    __FILE__, __LINE__, #cond); abort(); } } while (0)

struct in {
	const uint8_t	*p;
	size_t		 n;
};

static uint64_t
take(struct in *in, int bytes)
{
	uint64_t v = 0;

	while (bytes-- > 0 && in->n > 0) {
		v = v << 8 | *in->p++;
		in->n--;
	}
	return v;
}

static double
take_double(struct in *in)
{
	uint64_t bits = take(in, 8);
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

static void
check_card(const struct learn_fsrs_params *p, const struct learn_fsrs_card *c,
    int64_t now)
{
	CHECK(c->state >= LEARN_FSRS_LEARNING &&
	    c->state <= LEARN_FSRS_RELEARNING);
	CHECK(c->stability >= LEARN_FSRS_S_MIN &&
	    c->stability <= LEARN_FSRS_S_MAX);
	CHECK(c->difficulty >= 1 && c->difficulty <= 10);
	CHECK(c->due >= now);
	CHECK(c->last_review == now);
	CHECK(c->scheduled_days >= 0 && c->step >= 0);
	if (c->state == LEARN_FSRS_REVIEW && c->scheduled_days > 0 &&
	    c->due == now + c->scheduled_days * 86400)
		CHECK(c->scheduled_days <= p->max_interval + 3);
}

static void
fsrs_run(struct in *in)
{
	struct learn_fsrs_params p;
	struct learn_fsrs_card c, before;
	struct learn_fsrs_info info;
	uint64_t mode = take(in, 1);
	int64_t now, t;
	int i, g, rc, reps, lapses;
	double r, r2, x;

	learn_fsrs_params_default(&p);
	p.short_term = mode & 1;
	if (mode & 2)
		p.retention = (double)(take(in, 2) % 1001) / 1000;
	if (mode & 4)
		p.max_interval = (int64_t)(take(in, 6) %
		    (LEARN_FSRS_MAX_IVL + 2));
	if (mode & 8) {
		p.n_learning_steps = (int)(take(in, 1) % 5);
		p.n_relearning_steps = (int)(take(in, 1) % 5);
		for (i = 0; i < 4; i++) {
			p.learning_steps[i] = (int)(take(in, 2) % 3000);
			p.relearning_steps[i] = (int)(take(in, 2) % 3000);
		}
	}
	if (mode & 16)
		for (i = 0; i < 3; i++)
			p.w[take(in, 1) % LEARN_FSRS_NW] = take_double(in);
	if (learn_fsrs_params_prepare(&p) == -1) {
		CHECK(!p.prepared);
		learn_fsrs_card_init(&c, 0);
		CHECK(learn_fsrs_review(&p, &c, 0, 3, NULL) == -1);
		return;
	}
	CHECK(p.prepared);

	now = (int64_t)take(in, 5);
	learn_fsrs_card_init(&c, now);
	while (in->n > 0) {
		uint64_t op = take(in, 1);

		t = (int64_t)take(in, 1 + (op >> 6));
		if (op & 32)
			t = -t;
		g = (int)(op & 7);
		if ((op & 24) == 24) {
			/* corrupt one field of the card */
			switch (take(in, 1) % 4) {
			case 0: c.stability = take_double(in); break;
			case 1: c.difficulty = take_double(in); break;
			case 2: c.state = (int)(int8_t)take(in, 1); break;
			default: c.step = (int)(int8_t)take(in, 1); break;
			}
			before = c;
			rc = learn_fsrs_review(&p, &c, now + t, g, &info);
			if (rc == -1) {
				CHECK(memcmp(&c, &before, sizeof(c)) == 0);
				return;
			}
			check_card(&p, &c, now + t);
			now += t;
			continue;
		}
		before = c;
		reps = c.reps;
		lapses = c.lapses;
		rc = learn_fsrs_review(&p, &c, now + t, g, &info);
		if (g < 1 || g > 4 || now + t < 0 ||
		    now + t > LEARN_FSRS_MAX_TIME ||
		    (before.state != LEARN_FSRS_NEW &&
		    now + t < before.last_review)) {
			CHECK(rc == -1);
			CHECK(memcmp(&c, &before, sizeof(c)) == 0);
			continue;
		}
		CHECK(rc == 0);
		now += t;
		check_card(&p, &c, now);
		CHECK(c.reps == reps + 1);
		CHECK(c.lapses == lapses || c.lapses == lapses + 1);
		CHECK(info.state_before == before.state);
		CHECK(info.elapsed_days >= 0);
		if (before.state == LEARN_FSRS_NEW)
			CHECK(isnan(info.r));
		else
			CHECK(info.r >= 0 && info.r <= 1);

		x = (double)(op % 97) / 3;
		r = learn_fsrs_retrievability(&p, c.stability, x);
		r2 = learn_fsrs_retrievability(&p, c.stability, x + 0.5);
		CHECK(r >= 0 && r <= 1 && r2 <= r);
		CHECK(learn_fsrs_next_interval(&p, c.stability, p.retention) >=
		    1);
	}
}

static void
sm2_run(struct in *in)
{
	struct learn_sm2_item it, before;
	int g, rc;

	learn_sm2_init(&it);
	while (in->n > 0) {
		g = (int)(int8_t)take(in, 1) % 8;
		before = it;
		rc = learn_sm2_review(&it, g);
		if (g < 0 || g > 5) {
			CHECK(rc == -1);
			CHECK(memcmp(&it, &before, sizeof(it)) == 0);
			continue;
		}
		if (rc == -1) {
			CHECK(memcmp(&it, &before, sizeof(it)) == 0);
			return;	/* interval past 2^53 */
		}
		CHECK(it.efactor >= 1.3 && isfinite(it.efactor));
		CHECK(it.interval >= 1);
		CHECK(g >= 3 ? it.repetition == before.repetition + 1 :
		    it.repetition == 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in in = { data, size };

	if (size == 0)
		return 0;
	if (take(&in, 1) & 1)
		sm2_run(&in);
	else
		fsrs_run(&in);
	return 0;
}
