/*
 * replay.c - a fuzz target run over a committed corpus, with the normal
 * compiler: `replay_NAME DIR...` feeds every file of each DIR to the target
 * once.
 * It is what CTest runs, so each corpus stays a regression test.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int
cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file of folder dir, in name order, to the target; the count, or
 * -1 when the folder cannot be read. */
static long
replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char **v = realloc(names, (n + 1) * sizeof *v);
		if (v == NULL || (v[n] = strdup(e->d_name)) == NULL)
			abort();
		names = v;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp);	/* the same order each time */
	for (size_t i = 0; i < n; i++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		FILE *f = fopen(path, "rb");
		if (f == NULL) {
			perror(path);
			return -1;
		}
		size_t cap = 1 << 16, len = 0;
		unsigned char *buf = malloc(cap);
		while (buf) {
			len += fread(buf + len, 1, cap - len, f);
			if (len < cap)
				break;
			unsigned char *b = realloc(buf, cap *= 2);
			if (b == NULL)
				free(buf);
			buf = b;
		}
		fclose(f);
		if (buf == NULL)
			abort();
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
		free(names[i]);
	}
	free(names);
	return (long)n;
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR...\n", argv[0]);
		return 2;
	}
	long total = 0;
	for (int i = 1; i < argc; i++) {
		long n = replay_dir(argv[i]);
		if (n < 0)
			return 2;
		printf("%ld inputs replayed from %s\n", n, argv[i]);
		total += n;
	}
	return total > 0 ? 0 : 1;
}
