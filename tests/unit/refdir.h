/*
 * Where the reference vectors live: $ADEPT_REF_DIR, set by
 * tests/unit/run.sh to ../shared/reference/algorithms beside the checkout.
 */
#ifndef ADEPT_TEST_REFDIR_H
#define ADEPT_TEST_REFDIR_H

#include <stdio.h>
#include <stdlib.h>

static inline FILE *
ref_open(const char *name)
{
	char path[1024];
	const char *dir = getenv("ADEPT_REF_DIR");
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s",
	    dir ? dir : "../shared/reference/algorithms", name);
	if ((fp = fopen(path, "r")) == NULL) {
		fprintf(stderr, "cannot open reference file %s\n", path);
		abort();
	}
	return fp;
}

#endif
