/*
 * standalone_main: runs a libFuzzer harness without libFuzzer, so `make
 * test` can replay a seed corpus under gcc's ASan/UBSan.  Each argument is a
 * file, or a directory whose regular files are all fed (sorted by name), one
 * call of LLVMFuzzerTestOneInput per file.  With no argument it feeds one
 * empty input.  Exit 0 when every input ran; a sanitizer or a harness
 * check aborts the process.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
run_file(const char *path)
{
	FILE *fp;
	long len;
	uint8_t *buf;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		perror(path);
		fclose(fp);
		return -1;
	}
	/* Exactly len bytes, so ASan sees any read past the input. */
	if ((buf = malloc(len > 0 ? (size_t)len : 1)) == NULL) {
		fclose(fp);
		return -1;
	}
	n = fread(buf, 1, (size_t)len, fp);
	fclose(fp);
	if (n != (size_t)len) {
		fprintf(stderr, "%s: short read\n", path);
		free(buf);
		return -1;
	}
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_dir(const char *dir, int *count)
{
	DIR *d;
	struct dirent *e;
	struct stat st;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i;
	int ret = 0;

	if ((d = opendir(dir)) == NULL) {
		perror(dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((names = realloc(names, cap * sizeof(*names))) ==
			    NULL)
				abort();
		}
		if ((names[n++] = strdup(e->d_name)) == NULL)
			abort();
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) == -1)
				ret = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, count = 0, ret = 0;

	if (argc < 2) {
		LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
		printf("ran 1 empty input\n");
		return 0;
	}
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == -1) {
			perror(argv[i]);
			ret = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &count) == -1)
				ret = 1;
		} else if (run_file(argv[i]) == -1)
			ret = 1;
		else
			count++;
	}
	printf("ran %d input%s\n", count, count == 1 ? "" : "s");
	return ret;
}
