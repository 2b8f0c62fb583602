/*
 * adept fsrs replay: FSRS-6 (src/learn/fsrs.h) over a review log.
 *
 * Input (CSV, columns by name): card_id, review_index, review_unix, rating
 * (1 Again, 2 Hard, 3 Good, 4 Easy).  A card starts new at its first row; its
 * later rows must have larger review_index and no earlier review_unix.
 * Cards may interleave (state is kept per card_id).  Output, one row per
 * input row in input order: card_id, review_index, state_before,
 * elapsed_days, r_at_review (empty for a new card), stability, difficulty,
 * state, learning_steps, scheduled_days, due_unix, reps, lapses; numbers
 * %.17g.  Output streams, so rows before a bad line have been written when
 * the tool stops with exit 2.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cardmap.h"
#include "cli/cli.h"
#include "learn/fsrs.h"

static const char header[] = "card_id,review_index,state_before,"
    "elapsed_days,r_at_review,stability,difficulty,state,learning_steps,"
    "scheduled_days,due_unix,reps,lapses";
static const char usage_msg[] = "usage: adept fsrs replay "
    "[--short-term on|off] [--retention R] [--max-interval D] [FILE]  "
    "(FILE or - = stdin)";

struct slot {
	struct learn_fsrs_card	 card;
	int64_t			 last_index;
};

static int
replay(FILE *in, const struct learn_fsrs_params *p)
{
	struct csv c;
	struct cli_cardmap map;
	struct learn_fsrs_info info;
	struct slot *s;
	int cc, ci, ct, cr, rating, created, ret = 2;
	int64_t idx, now;
	const char *id;

	cli_cardmap_init(&map, sizeof(struct slot));
	if (csv_open_file(&c, in) == -1)
		goto fail;
	if ((cc = csv_need(&c, "card_id")) < 0 ||
	    (ci = csv_need(&c, "review_index")) < 0 ||
	    (ct = csv_need(&c, "review_unix")) < 0 ||
	    (cr = csv_need(&c, "rating")) < 0)
		goto fail;
	printf("%s\n", header);
	while ((ret = csv_next(&c)) == 1) {
		id = csv_str(&c, cc);
		if (*id == '\0') {
			csv_fail(&c, "column card_id: empty");
			goto fail;
		}
		if (csv_int64(&c, ci, &idx) == -1 ||
		    csv_int64(&c, ct, &now) == -1)
			goto fail;
		if (csv_int(&c, cr, &rating) == -1 ||
		    rating < LEARN_FSRS_AGAIN || rating > LEARN_FSRS_EASY) {
			csv_fail(&c, "column rating: unknown rating \"%.40s\" "
			    "(want 1 Again, 2 Hard, 3 Good or 4 Easy)",
			    csv_str(&c, cr));
			goto fail;
		}
		if (idx < 0) {
			csv_fail(&c, "column review_index: %lld is negative",
			    (long long)idx);
			goto fail;
		}
		if (now < 0) {
			csv_fail(&c, "column review_unix: %lld is negative",
			    (long long)now);
			goto fail;
		}
		if (now > LEARN_FSRS_MAX_TIME) {
			csv_fail(&c, "column review_unix: %lld is past the "
			    "last time ts-fsrs can represent (%lld)",
			    (long long)now, (long long)LEARN_FSRS_MAX_TIME);
			goto fail;
		}
		if ((s = cli_cardmap_get(&map, id, &created)) == NULL) {
			ret = cli_usage("fsrs", "out of memory");
			goto out;
		}
		if (created) {
			learn_fsrs_card_init(&s->card, now);
		} else if (idx <= s->last_index) {
			csv_fail(&c, "card %.40s: review_index %lld after "
			    "%lld (a card's rows must be in order)", id,
			    (long long)idx, (long long)s->last_index);
			goto fail;
		} else if (now < s->card.last_review) {
			csv_fail(&c, "card %.40s: review_unix %lld is before "
			    "its previous review at %lld", id,
			    (long long)now, (long long)s->card.last_review);
			goto fail;
		}
		if (learn_fsrs_review(p, &s->card, now, rating, &info) == -1) {
			csv_fail(&c, "card %.40s: review refused", id);
			goto fail;
		}
		s->last_index = idx;

		cli_put_field(stdout, id);
		printf(",%lld,%d,%lld,", (long long)idx, info.state_before,
		    (long long)info.elapsed_days);
		csv_put_double(stdout, info.r);
		putchar(',');
		csv_put_double(stdout, s->card.stability);
		putchar(',');
		csv_put_double(stdout, s->card.difficulty);
		printf(",%d,%d,%lld,%lld,%d,%d\n", s->card.state, s->card.step,
		    (long long)s->card.scheduled_days,
		    (long long)s->card.due, s->card.reps, s->card.lapses);
	}
	if (ret == -1)
		goto fail;
	ret = cli_flush("fsrs");
	goto out;
fail:
	ret = cli_csv_fail("fsrs", &c);
out:
	csv_close(&c);
	cli_cardmap_free(&map);
	return ret;
}

int
cmd_fsrs(int argc, char **argv)
{
	struct learn_fsrs_params p;
	const char *file = NULL, *st = NULL, *rs = NULL, *ms = NULL;
	const char **opt;
	char *end;
	long long mi;
	int i, ret;
	size_t n;
	FILE *in = stdin;

	if (argc < 2 || strcmp(argv[1], "replay") != 0)
		return cli_usage("fsrs", "%s", usage_msg);
	for (i = 2; i < argc; i++) {
		opt = NULL;
		if (strncmp(argv[i], "--short-term", n = 12) == 0)
			opt = &st;
		else if (strncmp(argv[i], "--retention", n = 11) == 0)
			opt = &rs;
		else if (strncmp(argv[i], "--max-interval", n = 14) == 0)
			opt = &ms;
		if (opt != NULL && argv[i][n] == '=')
			*opt = argv[i] + n + 1;
		else if (opt != NULL && argv[i][n] == '\0' && i + 1 < argc)
			*opt = argv[++i];
		else if (opt == NULL && file == NULL &&
		    (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			file = argv[i];
		else
			return cli_usage("fsrs", "%s", usage_msg);
	}

	learn_fsrs_params_default(&p);
	if (st != NULL) {
		if (strcmp(st, "on") == 0)
			p.short_term = 1;
		else if (strcmp(st, "off") == 0)
			p.short_term = 0;
		else
			return cli_usage("fsrs", "--short-term \"%s\": want on "
			    "or off", st);
	}
	if (rs != NULL) {
		errno = 0;
		p.retention = strtod(rs, &end);
		if (*rs == '\0' || *end != '\0' || errno != 0 ||
		    !(p.retention > 0 && p.retention <= 1))
			return cli_usage("fsrs", "--retention \"%s\": want a "
			    "number in (0, 1]", rs);
	}
	if (ms != NULL) {
		errno = 0;
		mi = strtoll(ms, &end, 10);
		if (*ms == '\0' || *end != '\0' || errno != 0 || mi < 1 ||
		    mi > LEARN_FSRS_MAX_IVL)
			return cli_usage("fsrs", "--max-interval \"%s\": want "
			    "a whole number of days from 1 to %lld", ms,
			    (long long)LEARN_FSRS_MAX_IVL);
		p.max_interval = mi;
	}
	if (learn_fsrs_params_prepare(&p) == -1)
		return cli_usage("fsrs", "bad parameters");

	if (file != NULL && strcmp(file, "-") != 0 &&
	    (in = fopen(file, "r")) == NULL)
		return cli_usage("fsrs", "%s: %s", file, strerror(errno));
	ret = replay(in, &p);
	if (in != stdin)
		fclose(in);
	return ret;
}
