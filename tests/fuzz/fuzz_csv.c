/*
 * fuzz_csv.c - the readers of a finished run on any bytes: the CSV reader
 * (through a file, as ladder, plot and diff read it) and the summary.json
 * check.  No crash; a table read has rows of the header's width.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "trace/csvread.h"
#include "view/jsoncheck.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	(void)json_check((const char *)data, size, err, sizeof err);

	char path[64];
	snprintf(path, sizeof path, "/tmp/synsim-fuzz-csv-%ld", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct csvtab t;
	if (csv_read(path, &t) == 0) {
		for (int r = 0; r < t.nrows; r++)
			for (int c = 0; c < t.ncols; c++)
				FUZZ_CHECK(t.rows[r][c] != NULL);
		(void)csv_col(&t, "t_ns");
	} else {
		char buf[512];
		(void)csv_error(path, &t, buf, sizeof buf);
	}
	csv_tab_free(&t);
	unlink(path);
	return 0;
}
