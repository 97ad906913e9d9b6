/*
 * conns.h - per-connection records of a finished run (conns.c).
 */
#ifndef SYNSIM_CONNS_H
#define SYNSIM_CONNS_H

#include <stdio.h>

#include "../core/sim.h"

/* summary.json's "connections" array, with its key and a trailing
 * comma: every connection of every host in creation order. */
void conns_write_json(FILE *f, const struct sim *sim);
/* connections.csv: a header and the same records, one a row. */
void conns_write_csv(FILE *f, const struct sim *sim);
/* Without the records: "connection_count" and "outcomes", the number of
 * connections with each outcome ("closed", "ETIMEDOUT", ...). */
void conns_write_counts(FILE *f, const struct sim *sim);

#endif
