/*
 * fuzz.h - what every fuzz target shares: its entry point (called by
 * libFuzzer, or by replay.c over a committed corpus in CTest) and the
 * invariant check, which aborts so that both report it.
 */
#ifndef SYNSIM_FUZZ_H
#define SYNSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
	do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
			        __FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

#endif
