/*
 * fuzz_lua.c - the scenario loader on any text: a whole run (sandbox,
 * API, scheduler) with small limits and no output folder.  No crash, no
 * leak, no hang (the limits end every run), and an exit status of 0, 1
 * or 2.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "run.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	snprintf(path, sizeof path, "/tmp/synsim-fuzz-%ld.lua", (long)getpid());
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	struct run_opts o = {
		.scenario = path,
		.seed = 1,
		.until = 60 * SIMTIME_S,
		.quiet = true,
		.max_memory = 64u << 20,
		.max_instructions = 2000000,
		.max_instant_events = 10000,
		.max_packets = 10000,
		.max_events = 100000,
	};
	/* Scenario errors are the expected outcome: keep stderr quiet. */
	fflush(stderr);
	int saved = dup(2);
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0)
		dup2(null, 2);
	int st = run_scenario(&o);
	fflush(stderr);
	if (saved >= 0)
		dup2(saved, 2);
	if (null >= 0)
		close(null);
	if (saved >= 0)
		close(saved);
	FUZZ_CHECK(st == 0 || st == 1 || st == 2);
	unlink(path);
	return 0;
}
