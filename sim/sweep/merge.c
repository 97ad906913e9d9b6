/*
 * merge.c - `synsim merge DIR... --out MERGED`: the shards of one sweep
 * (folders written with --shard I/N, by GNU parallel, a Slurm array or
 * by hand) joined into the folder the sweep would have written on one
 * machine: the same runs.csv, conns.csv and summary.csv, byte for byte,
 * since the files are a function of the runs alone (table.h).
 */
#define _POSIX_C_SOURCE 200809L
#include "sweep.h"
#include "sweep_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/error.h"
#include "../core/outfile.h"

int
sweep_merge_main(int argc, char **argv)
{
	const char *out = NULL;
	const char **dirs = calloc((size_t)argc + 1, sizeof *dirs);
	int ndirs = 0, rc = 0;
	if (dirs == NULL)
		return 2;
	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--out") == 0) {
			if (i + 1 >= argc)
				rc = sim_usage_error("%s", "--out needs a value");
			else
				out = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			rc = sim_usage_error("unknown option %s", argv[i]);
		} else {
			dirs[ndirs++] = argv[i];
		}
	}
	if (rc == 0 && (ndirs == 0 || out == NULL))
		rc = sim_usage_error("%s", "merge: which folders, and where to? "
		                     "(synsim merge DIR... --out MERGED)");
	if (rc) {
		free(dirs);
		return rc;
	}
	struct sweep sw = { 0 };
	struct sw_table t = { 0 };
	char *want = NULL, err[600] = "";
	rc = 2;
	if (sweep_load_args(dirs[0], &sw) != 0)
		goto done;
	want = sweep_args_text(&sw, false);
	if (want == NULL || table_init(&t, &sw.grid, sw.reps) < 0) {
		fputs("synsim: out of memory\n", stderr);
		goto done;
	}
	for (int i = 0; i < ndirs; i++) {
		struct sweep other;
		if (i > 0) {
			if (sweep_load_args(dirs[i], &other) != 0)
				goto done;
			char *text = sweep_args_text(&other, false);
			bool same = text && strcmp(text, want) == 0;
			free(text);
			sweep_free(&other);
			if (!same) {
				fprintf(stderr, "synsim: %s is a shard of another sweep than "
				        "%s (their sweep.args differ)\n", dirs[i], dirs[0]);
				goto done;
			}
		}
		if (table_load(&t, dirs[i], err, sizeof err) < 0) {
			fprintf(stderr, "synsim: %s\n", err);
			goto done;
		}
	}
	long missing = 0, first = -1;
	for (long r = 0; r < t.nruns; r++)
		if (!t.runs[r].done && missing++ == 0)
			first = r;
	if (missing) {
		fprintf(stderr, "synsim: the folders hold %ld of the sweep's %ld "
		        "runs: %ld missing, the first run %ld", t.nruns - missing,
		        t.nruns, missing, first);
		if (sw.nshards)
			fprintf(stderr, " (of shard %ld/%d)",
			        first % sw.nshards + 1, sw.nshards);
		fputs("; finish a shard with synsim sweep --resume --out "
		      "SHARD\n", stderr);
		goto done;
	}
	if (outfile_mkdirs(out) < 0) {
		fprintf(stderr, "synsim: cannot create %s: %s\n", out,
		        strerror(errno));
		goto done;
	}
	if (sweep_write_args(&sw, out, false) < 0 ||
	    table_write_conns(&t, out, NULL) < 0 ||
	    table_write_runs(&t, out, NULL) < 0 ||
	    table_write_summary(&t, out) < 0)
		goto done;
	rc = sweep_report(&t);
	printf("%s: %ld runs from %d folders in runs.csv, conns.csv, "
	       "summary.csv\n", out, t.nruns, ndirs);
done:
	free(want);
	table_free(&t);
	sweep_free(&sw);
	free(dirs);
	return rc;
}
