/*
 * fuzz_json.c - the summary.json check on any bytes, through a folder as
 * ladder, plot and diff call it: no crash, no read past the text.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "view/jsoncheck.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[4400], dir[64], path[96];
	/* An exact copy, with nothing after it: a read past the end is
	 * caught by the address sanitizer. */
	char *copy = malloc(size ? size : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	int rc = json_check(copy, size, err, sizeof err);
	FUZZ_CHECK(rc == 0 || strncmp(err, "line ", 5) == 0);
	free(copy);
	snprintf(dir, sizeof dir, "/tmp/synsim-fuzz-json-%ld", (long)getpid());
	mkdir(dir, 0777);
	snprintf(path, sizeof path, "%s/summary.json", dir);
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(data, 1, size, f);
		fclose(f);
		(void)json_check_summary(dir, 1, err, sizeof err);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}
