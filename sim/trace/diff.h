/*
 * diff.h - `synsim diff DIR_A DIR_B`: where two finished runs part ways.
 *
 * Two runs are compared event by event over the stream ladder.h defines
 * (packets.csv and states.csv merged in time order), field by field.
 * The report names the first event that differs, the fields that differ,
 * what differs in the run parameters (summary.json), and shows both
 * ladders side by side around that event.
 */
#ifndef SYNSIM_DIFF_H
#define SYNSIM_DIFF_H

#include <stdbool.h>
#include <stdio.h>

#define DIFF_BEFORE 10		/* ladder lines shown before the divergence */
#define DIFF_AFTER 20		/* and after it */
#define DIFF_LADDER_WIDTH 58	/* each of the two ladders */

/* Compare the runs in dir_a and dir_b; the report goes to out, errors to
 * err.  Returns 0 identical, 1 different, 2 an error (a missing folder or
 * file, named in the message). */
struct hostsel;
/* hosts: compare only the events of the hosts it selects (hostsel.h). */
int diff_runs(const char *dir_a, const char *dir_b, bool ascii,
              struct hostsel *hosts, FILE *out, FILE *err);

#endif
