/*
 * cardmap: per-card state for the replay tools (fsrs, sm2), keyed by the
 * card_id text, so a review log may interleave its cards.  Open addressing
 * with linear probing; values are fixed-size blobs stored in the table, so
 * a returned pointer is valid only until the next cli_cardmap_get.
 */
#ifndef ADEPT_CLI_CARDMAP_H
#define ADEPT_CLI_CARDMAP_H

#include <stddef.h>
#include <stdio.h>

struct cli_cardmap {
	char	**keys;
	char	 *vals;
	size_t	  valsize;
	size_t	  cap;		/* power of two, or 0 */
	size_t	  n;
};

void	 cli_cardmap_init(struct cli_cardmap *, size_t valsize);
void	 cli_cardmap_free(struct cli_cardmap *);
/* The value slot of key; a new key gets a zeroed slot and *created = 1.
 * NULL on out of memory. */
void	*cli_cardmap_get(struct cli_cardmap *, const char *key, int *created);

/* Writes s as one CSV field, quoted only if it needs to be. */
void	 cli_put_field(FILE *, const char *s);

#endif
