/*
 * jsoncheck.h - is a run's summary.json what synsim wrote: well-formed
 * JSON (RFC 8259) whose top level is an object with the keys every
 * summary has.  ladder, plot and diff check it before they read a run,
 * so a file cut short or edited into garbage is reported, not half-read.
 */
#ifndef SYNSIM_JSONCHECK_H
#define SYNSIM_JSONCHECK_H

#include <stddef.h>

/* 0 when text (len bytes) is JSON text whose top level is an object;
 * else -1 with "line N: what" in err. */
int json_check(const char *text, size_t len, char *err, size_t errlen);

/* DIR/summary.json, when there is one, checked as above and for the keys
 * "synsim" and "seed": 0 (also when there is none and !required), or -1
 * with "DIR/summary.json: ..." in err. */
int json_check_summary(const char *dir, int required, char *err,
                       size_t errlen);

#endif
