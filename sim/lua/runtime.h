/*
 * runtime.h - one Lua state per run: the sandbox, the call wrapper with
 * tracebacks, scenario parameters, and the glue between Lua callbacks and
 * the scheduler.
 *
 * Exit status of a run: 0 fine, 1 an expectation failed, 2 a usage or
 * scenario error.  A scenario error is reported as "file:line: what is
 * wrong" on stderr with a short traceback.
 */
#ifndef SYNSIM_LUA_RUNTIME_H
#define SYNSIM_LUA_RUNTIME_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include <lua.h>

#include "../core/sim.h"

enum { RUN_OK = 0, RUN_EXPECT_FAILED = 1, RUN_ERROR = 2 };

struct lrt_param {
	char *name, *value;
	bool used;
};

/* A knob given on the command line: -K host.knob=value, or -K
 * knob=value for every host (host NULL). */
struct lrt_knob {
	char *host, *name, *value;
	bool used;		/* a host it names was made */
};

struct lrt_timer;
struct lhooks;

/* Lua blocks up to LRT_POOL_CLASSES * 16 bytes come from pools. */
#define LRT_POOL_CLASSES 16

struct lrt {
	lua_State *L;
	struct sim *sim;
	char *script;		/* scenario path as given */
	char *dir;		/* its folder: dofile/require stay inside */
	struct lrt_param *params;
	int nparams;
	char **known;		/* names read through sim.param, in call order */
	int nknown;
	struct lrt_timer *timers;	/* pending sim.at callbacks */
	struct lrt_timer *spare;	/* fired ones, for the next sim.at */
	simtime until;		/* --until; SIMTIME_MAX if none */
	uint64_t max_events;	/* --max-events; 0 if none */
	int status;		/* RUN_* so far */
	int expect_failed;	/* count of failed sim.expect */
	bool running;		/* inside sched_run */
	bool ran;		/* the scenario ran the scheduler itself */
	bool run_failed;	/* the scheduler's run ended in an error */
	bool after_run_error;	/* the scenario failed after a whole run:
				 * its outputs are complete, kept */
	bool verbose;		/* full tracebacks */
	bool forget_closed;	/* sim.network{ keep_closed = false } */
	struct lhooks *hooks;	/* net:on subscriptions, or NULL */
	/* Limits (lrt_set_limits), each reported as "file:line: ..." with
	 * the option that raises it; a limit once reached cannot be caught
	 * by the scenario's own pcall. */
	uint64_t insns;		/* Lua instructions run so far, whole run */
	uint64_t max_insns;
	int hook_step;		/* instructions between two counts */
	lua_Integer objects;	/* synsim objects made so far (serials) */
	size_t mem, max_mem;	/* bytes the Lua state holds, its cap */
	/* Small blocks of the Lua state by size class (lrt_alloc): free
	 * lists, and the slabs they are cut from. */
	void *pool_free[LRT_POOL_CLASSES];
	struct lrt_slab *slabs;
	size_t slab_used;	/* bytes cut from the newest slab */
	/* Slots of the Conn tables (l_tcp.c): the next never used, and
	 * those given back by collected Conns. */
	int conn_next;
	int *conn_free;
	int nconn_free, capconn_free;
	uint64_t max_instant;	/* events at one simulated instant */
	uint64_t max_packets;	/* packets alive at once */
	bool fatal;		/* a limit was reached: the run is over */
	bool mem_hit;		/* ... the memory cap, at mem_where */
	char mem_where[320];
	struct lrt_knob *knobs;	/* -K, in command-line order */
	int nknobs;
	struct lrt_answer {	/* --answer id=value */
		char *id, *value;
		bool used;
	} *answers;
	int nanswers;
	FILE *grades;		/* where the questions are graded (stdout) */
};

/* Defaults of the limits, what --max-memory, --max-instructions,
 * --max-instant-events and --max-packets override. */
#define LRT_MAX_MEMORY ((uint64_t)1 << 30)	/* 1 GiB */
#define LRT_MAX_INSNS UINT64_C(150000000)	/* about a second */
#define LRT_MAX_INSTANT UINT64_C(1000000)
#define LRT_MAX_PACKETS UINT64_C(1000000)

/* Count steps a C function is about to take against the instruction
 * budget (the count hook sees only Lua instructions); raises the budget
 * error at the caller's line when they do not fit. */
void lrt_charge(lua_State *L, uint64_t steps);
/* Instructions left of the budget. */
uint64_t lrt_budget_left(lua_State *L);
/* Replace the string and table functions whose C loops the budget
 * cannot see with ones that count them first (l_guard.c). */
void lguard_open(lua_State *L);

/* Set the limits; 0 leaves a default. */
void lrt_set_limits(struct lrt *rt, uint64_t memory, uint64_t insns,
                    uint64_t instant_events, uint64_t packets);

/* Take the --answer settings ("id=value"); 0, or -1 after a message. */
int lrt_set_answers(struct lrt *rt, char **answers, int n);
/* l_question.c: sim.question, and after the run each question graded
 * against its --answer (a wrong one makes the status 1). */
int lquestion_new(lua_State *L);
void lquestion_grade(struct lrt *rt);

/* Take the -K settings ("host.knob=value" or "knob=value"); the knob
 * names are checked now, values when a host is made (l_net.c).  0, or -1
 * after a message on stderr. */
int lrt_set_knobs(struct lrt *rt, char **knobs, int n);

/* Create the sandboxed state.  params are "name=value" strings. */
int lrt_open(struct lrt *rt, struct sim *sim, const char *script,
             char **params, int nparams);
void lrt_close(struct lrt *rt);
/* Drop the net:on subscriptions (l_trace.c). */
void ltrace_close(struct lrt *rt);

/* Load and run the scenario, then run the scheduler if the scenario did
 * not.  Returns the run status. */
int lrt_run(struct lrt *rt);

/* Run the scheduler to min(until, --until); used by sim.run / net:run.
 * Raises a Lua error if the scenario already failed inside a callback. */
void lrt_run_sched(struct lrt *rt, lua_State *L, simtime until);

/* Schedule the function in argument 2 to be called at time at. */
int lrt_schedule(lua_State *L, simtime at);

/* Call the function below nargs arguments on the stack with a traceback
 * handler and the instruction budget; on error report it, set status 2
 * and stop the scheduler.  Returns 0 or -1. */
int lrt_call(struct lrt *rt, int nargs);
/* The same, keeping nresults results on the stack when it succeeds. */
int lrt_callr(struct lrt *rt, int nargs, int nresults);

/* The runtime of a state (stored in its registry). */
struct lrt *lrt_get(lua_State *L);

/* Read the value at idx as a duration string ("50ms") or an integer count
 * of nanoseconds; rates ("10Mbps" or bits/s) and sizes ("64KiB" or bytes)
 * likewise.  Anything else raises "what: why (got X)" at the caller's
 * line. */
simtime lrt_checktime(lua_State *L, int idx, const char *what);
uint64_t lrt_checkrate(lua_State *L, int idx, const char *what);
uint64_t lrt_checksize(lua_State *L, int idx, const char *what);
/* Probability in [0, 1]. */
double lrt_checkprob(lua_State *L, int idx, const char *what);

/* Raise "what: expected <expect> (got X)", X as the scenario wrote it (a
 * string in quotes, a number or boolean as such, else its type). */
int lrt_badvalue(lua_State *L, int idx, const char *what, const char *expect);
/* A whole number in [min, max], a boolean, a string (not a number), each
 * reported through lrt_badvalue with expect in words. */
lua_Integer lrt_checkint(lua_State *L, int idx, const char *what,
                         lua_Integer min, lua_Integer max, const char *expect);
bool lrt_checkbool(lua_State *L, int idx, const char *what);
const char *lrt_checkstr(lua_State *L, int idx, const char *what,
                         const char *expect);

/* Error "unknown key 'x' in <what> (known: a, b, c)" if table at idx has a
 * string key not in the NULL-terminated list.  Keys are sorted first, so
 * the message does not depend on hash order.  Returns which of the known
 * keys the table has (bit i: known[i], for the first 64), so that a
 * caller reads only those instead of looking up every name. */
uint64_t lrt_checkkeys(lua_State *L, int idx, const char *what,
                       const char *const *known);

/* Push s (len bytes) as a message can show it: control bytes, NUL and
 * backslash as \xNN, cut after 64 bytes with "...". */
const char *lrt_printable(lua_State *L, const char *s, size_t len);

/* Push "scenario.lua:12: " of the Lua code calling the current C
 * function, the file named in full however deep its folder. */
const char *lrt_where(lua_State *L);

int luaopen_sim(lua_State *L);
/* Push a new object: a zeroed userdata of size bytes with the metatable
 * tname, noting the order it was made in, by which pairs() visits
 * objects used as keys. */
void *lsim_new_object(lua_State *L, size_t size, const char *tname);
/* pairs() in a fixed order, tostring() without addresses. */
void lsim_stable_base(lua_State *L);

#endif
