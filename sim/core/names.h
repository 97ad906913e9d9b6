/*
 * names.h - what a name of a node, link or metric may be.
 *
 * Names are written into traces, CSV and JSON, compared on the command
 * line (--hosts a,b) and, for links, become file names (link-a-b.pcap),
 * so one rule keeps them all readable and inside --out: 1 to 63 bytes of
 * printable UTF-8, none of space , " ' / \, no "..", not starting with '-'
 * (it would read as an option) and not a number ("-nan", "1e5").
 */
#ifndef SYNSIM_NAMES_H
#define SYNSIM_NAMES_H

#include <stdbool.h>
#include <stddef.h>

#define NAME_MAX_LEN 63

/* NULL when s (len bytes, which may hold a NUL) is a valid name, else
 * what is wrong with it, in words ("holds a '/'"). */
const char *name_problem(const char *s, size_t len);

/* Whether file name f (no folder) stays in its folder: not empty, no
 * '/', not "." or "..". */
bool name_file_safe(const char *f);

#endif
