/*
 * library.h - the scenario library: scenarios/ and scenarios/exercises/,
 * found by name (`synsim run lost-syn`) and listed (`synsim list`).
 */
#ifndef SYNSIM_LIBRARY_H
#define SYNSIM_LIBRARY_H

#include <stddef.h>
#include <stdio.h>

/* The library's folder: $SYNSIM_SCENARIOS, else the one built in. */
const char *library_dir(void);
/* The path of library scenario name ("lost-syn", "lost-syn.lua",
 * "exercises/rto") into buf; 0, or -1 if there is none. */
int library_find(const char *name, char *buf, size_t len);
/* "name  what it shows" per scenario, exercises after; 0, or 2 when the
 * folder cannot be read. */
int library_list(FILE *out);

#endif
