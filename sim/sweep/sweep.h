/*
 * sweep.h - the commands on parameter sweeps:
 *
 *   synsim sweep SCENARIO -P name=v1,v2,... [-P name=start:stop:step]...
 *                [-D name=value]... [--reps N] [--seed S] [-j N]
 *                [--until T] [--max-events N]
 *                [--shard I/N] [--resume] [--emit-jobs FILE [--shards N]]
 *                --out DIR
 *   synsim merge DIR... --out MERGED
 *   synsim plot DIR          (DIR a sweep folder: sweep.png/.svg)
 *   synsim explore SCENARIO --first K [-D name=value]... [--seed S]
 *
 * A sweep folder holds sweep.args (the sweep's arguments, one per line:
 * what --resume and merge read back), runs.csv, conns.csv and
 * summary.csv (table.h).
 */
#ifndef SYNSIM_SWEEP_H
#define SYNSIM_SWEEP_H

#include <stdbool.h>

int sweep_main(int argc, char **argv);
int sweep_merge_main(int argc, char **argv);
int sweep_explore_main(int argc, char **argv);

/* DIR holds a sweep (its sweep.args), so `synsim plot DIR` means
 * sweep_plot_main. */
bool sweep_is_dir(const char *dir);
int sweep_plot_main(int argc, char **argv);

#endif
