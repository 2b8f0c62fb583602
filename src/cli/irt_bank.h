/*
 * irt_bank: the item-bank file shared by `adept irt ability` and
 * `adept cat replay`: CSV with columns item_id, a, b, c and an optional d
 * (upper asymptote, 1 when absent), found by name.  Ids are looked up by
 * binary search over a sorted index, so banks of any size load in
 * O(n log n).
 */
#ifndef ADEPT_CLI_IRT_BANK_H
#define ADEPT_CLI_IRT_BANK_H

#include <stddef.h>
#include <stdio.h>

#include "learn/irt.h"

struct cli_irt_bank {
	size_t			 n;
	char			**id;		/* file order */
	struct learn_irt_item	*item;		/* file order */
	size_t			*sorted;	/* indices by id */
};

/*
 * Loads the bank at path.  Returns 0, or 2 after printing
 * "adept: <tool>: bank <path>: line N: ..." (unreadable file, missing
 * column, bad number, a <= 0, not 0 <= c < d <= 1, duplicate id, no items).
 */
int	cli_irt_bank_load(const char *tool, const char *path,
	    struct cli_irt_bank *);
/* Index of the item with this id, or -1. */
long	cli_irt_bank_find(const struct cli_irt_bank *, const char *id);
void	cli_irt_bank_free(struct cli_irt_bank *);

/* Parses "--bank FILE --method eap|mle" from argv[first..argc). Returns 0,
 * or 2 after a usage message. */
int	cli_irt_args(const char *tool, int argc, char **argv, int first,
	    const char **bank, enum learn_irt_method *);

/* Writes a CSV field, quoted when it holds a comma, quote or newline. */
void	cli_irt_put_field(FILE *, const char *);

#endif
