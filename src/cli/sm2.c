/*
 * adept sm2 replay: SM-2 as npm supermemo 2.0.23 (src/learn/sm2.h) over a
 * review log.
 *
 * Input (CSV, columns by name): card_id, review_index, grade (0..5).  A
 * card starts as {interval 0, repetition 0, efactor 2.5} at its first row;
 * its later rows must have larger review_index.  Cards may interleave.
 * Output, one row per input row in input order: card_id, review_index,
 * grade, interval, repetition, efactor (the item after the review;
 * efactor %.17g).  Output streams, so rows before a bad line have been
 * written when the tool stops with exit 2.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/csv.h"
#include "cli/cardmap.h"
#include "cli/cli.h"
#include "learn/sm2.h"

static const char usage_msg[] =
    "usage: adept sm2 replay [FILE]  (FILE or - = stdin)";

struct slot {
	struct learn_sm2_item	 item;
	int64_t			 last_index;
};

static int
replay(FILE *in)
{
	struct csv c;
	struct cli_cardmap map;
	struct slot *s;
	int cc, ci, cg, grade, created, ret = 2;
	int64_t idx;
	const char *id;

	cli_cardmap_init(&map, sizeof(struct slot));
	if (csv_open_file(&c, in) == -1)
		goto fail;
	if ((cc = csv_need(&c, "card_id")) < 0 ||
	    (ci = csv_need(&c, "review_index")) < 0 ||
	    (cg = csv_need(&c, "grade")) < 0)
		goto fail;
	printf("card_id,review_index,grade,interval,repetition,efactor\n");
	while ((ret = csv_next(&c)) == 1) {
		id = csv_str(&c, cc);
		if (*id == '\0') {
			csv_fail(&c, "column card_id: empty");
			goto fail;
		}
		if (csv_int64(&c, ci, &idx) == -1)
			goto fail;
		if (idx < 0) {
			csv_fail(&c, "column review_index: %lld is negative",
			    (long long)idx);
			goto fail;
		}
		if (csv_int(&c, cg, &grade) == -1 || grade < 0 || grade > 5) {
			csv_fail(&c, "column grade: unknown grade \"%.40s\" "
			    "(want 0..5)", csv_str(&c, cg));
			goto fail;
		}
		if ((s = cli_cardmap_get(&map, id, &created)) == NULL) {
			ret = cli_usage("sm2", "out of memory");
			goto out;
		}
		if (created) {
			learn_sm2_init(&s->item);
		} else if (idx <= s->last_index) {
			csv_fail(&c, "card %.40s: review_index %lld after "
			    "%lld (a card's rows must be in order)", id,
			    (long long)idx, (long long)s->last_index);
			goto fail;
		}
		if (learn_sm2_review(&s->item, grade) == -1) {
			csv_fail(&c, "card %.40s: interval would pass 2^53 "
			    "days", id);
			goto fail;
		}
		s->last_index = idx;
		cli_put_field(stdout, id);
		printf(",%lld,%d,%lld,%d,", (long long)idx, grade,
		    (long long)s->item.interval, s->item.repetition);
		csv_put_double(stdout, s->item.efactor);
		putchar('\n');
	}
	if (ret == -1)
		goto fail;
	ret = cli_flush("sm2");
	goto out;
fail:
	ret = cli_csv_fail("sm2", &c);
out:
	csv_close(&c);
	cli_cardmap_free(&map);
	return ret;
}

int
cmd_sm2(int argc, char **argv)
{
	const char *file = NULL;
	int i, ret;
	FILE *in = stdin;

	if (argc < 2 || strcmp(argv[1], "replay") != 0)
		return cli_usage("sm2", "%s", usage_msg);
	for (i = 2; i < argc; i++) {
		if (file == NULL &&
		    (argv[i][0] != '-' || strcmp(argv[i], "-") == 0))
			file = argv[i];
		else
			return cli_usage("sm2", "%s", usage_msg);
	}
	if (file != NULL && strcmp(file, "-") != 0 &&
	    (in = fopen(file, "r")) == NULL)
		return cli_usage("sm2", "%s: %s", file, strerror(errno));
	ret = replay(in);
	if (in != stdin)
		fclose(in);
	return ret;
}
