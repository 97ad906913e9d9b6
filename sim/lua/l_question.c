/*
 * l_question.c - exercises: a scenario asks questions whose answers the
 * run itself computes, and grades a student's predictions.
 *
 *   sim.question{ id = "rto", text = "When is the SYN sent again (ms)?",
 *                 answer = function() return first_retx_ms end,
 *                 tolerance = 0 }
 *
 * After the run each question is printed with its grade: the answer given
 * with `--answer rto=1000` is right or wrong, and only then is the correct
 * value shown; without an answer the question is shown alone.  A wrong
 * answer makes the exit status 1, as a failed expectation does.
 *
 * The answers are compared as numbers when the correct value is a number
 * (within `tolerance`, default exact), as words otherwise (case ignored).
 */
#define _POSIX_C_SOURCE 200809L
#include <lauxlib.h>
#include <lua.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime.h"

static char questions_key;	/* registry: array of question tables */

int
lquestion_new(lua_State *L)
{
	static const char *const keys[] = { "id", "text", "answer", "tolerance",
	                                    NULL };
	luaL_checktype(L, 1, LUA_TTABLE);
	lrt_checkkeys(L, 1, "sim.question", keys);
	lua_getfield(L, 1, "id");
	const char *id = lrt_checkstr(L, -1, "sim.question: id",
	                              "a name such as \"rto\"");
	if (id[0] == '\0' || strcspn(id, "= \t") != strlen(id))
		return luaL_error(L, "sim.question: id: a name without spaces or "
		                  "'=' (got \"%s\")", id);
	lua_getfield(L, 1, "text");
	lrt_checkstr(L, -1, "sim.question: text", "the question, as text");
	if (lua_getfield(L, 1, "answer") != LUA_TFUNCTION)
		return lrt_badvalue(L, -1, "sim.question: answer",
		                    "a function that returns the answer after "
		                    "the run");
	if (lua_getfield(L, 1, "tolerance") != LUA_TNIL &&
	    !(lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) >= 0))
		return lrt_badvalue(L, -1, "sim.question: tolerance",
		                    "a number of 0 or more");
	lua_pop(L, 4);
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &questions_key) == LUA_TNIL) {
		lua_pop(L, 1);
		lua_newtable(L);
		lua_pushvalue(L, -1);
		lua_rawsetp(L, LUA_REGISTRYINDEX, &questions_key);
	}
	lua_Integer n = luaL_len(L, -1);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, -1, i);
		lua_getfield(L, -1, "id");
		if (strcmp(lua_tostring(L, -1), id) == 0)
			return luaL_error(L, "sim.question: id \"%s\" is asked twice",
			                  id);
		lua_pop(L, 2);
	}
	/* A copy of the fields read: later changes to the table count not. */
	lua_createtable(L, 0, 4);
	for (int k = 0; k < 4; k++) {
		lua_getfield(L, 1, keys[k]);
		lua_setfield(L, -2, keys[k]);
	}
	lua_seti(L, -2, n + 1);
	lua_pop(L, 1);
	return 0;
}

int
lrt_set_answers(struct lrt *rt, char **answers, int n)
{
	rt->answers = calloc((size_t)n + 1, sizeof *rt->answers);
	if (rt->answers == NULL)
		return -1;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(answers[i], '=');
		if (eq == NULL || eq == answers[i]) {
			fprintf(stderr, "synsim: --answer %s: expected id=value\n",
			        answers[i]);
			return -1;
		}
		struct lrt_answer *a = &rt->answers[rt->nanswers++];
		a->id = strndup(answers[i], (size_t)(eq - answers[i]));
		a->value = strdup(eq + 1);
		if (a->id == NULL || a->value == NULL)
			return -1;
		for (int j = 0; j + 1 < rt->nanswers; j++)
			if (strcmp(rt->answers[j].id, a->id) == 0) {
				fprintf(stderr, "synsim: --answer %s given twice\n", a->id);
				return -1;
			}
	}
	return 0;
}

static struct lrt_answer *
given(struct lrt *rt, const char *id)
{
	for (int i = 0; i < rt->nanswers; i++)
		if (strcmp(rt->answers[i].id, id) == 0)
			return &rt->answers[i];
	return NULL;
}

/* Is the student's text the answer at the top of the stack? */
static bool
right(lua_State *L, const char *text, double tolerance)
{
	if (lua_type(L, -1) == LUA_TNUMBER) {
		char *end;
		double v = strtod(text, &end);
		if (end == text || *end != '\0')
			return false;
		return fabs(v - lua_tonumber(L, -1)) <= tolerance;
	}
	if (lua_type(L, -1) == LUA_TBOOLEAN) {
		bool yes = strcasecmp(text, "true") == 0 || strcasecmp(text, "yes") == 0;
		bool no = strcasecmp(text, "false") == 0 || strcasecmp(text, "no") == 0;
		return lua_toboolean(L, -1) ? yes : no;
	}
	const char *s = lua_tostring(L, -1);
	return s && strcasecmp(s, text) == 0;
}

void
lquestion_grade(struct lrt *rt)
{
	lua_State *L = rt->L;
	FILE *out = rt->grades ? rt->grades : stdout;
	int wrong = 0;
	if (lua_rawgetp(L, LUA_REGISTRYINDEX, &questions_key) == LUA_TNIL)
		lua_pop(L, 1), lua_newtable(L);
	int qs = lua_gettop(L);
	lua_Integer n = luaL_len(L, qs);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_geti(L, qs, i);
		int q = lua_gettop(L);
		lua_getfield(L, q, "id");
		lua_getfield(L, q, "text");
		lua_getfield(L, q, "tolerance");
		double tol = lua_isnil(L, -1) ? 1e-9 : lua_tonumber(L, -1);
		lua_pop(L, 1);
		const char *id = lua_tostring(L, q + 1);
		fprintf(out, "question %s: %s\n", id, lua_tostring(L, q + 2));
		lua_getfield(L, q, "answer");
		if (lrt_callr(rt, 0, 1) < 0)
			break;
		int t = lua_type(L, -1);
		if (t != LUA_TNUMBER && t != LUA_TSTRING && t != LUA_TBOOLEAN) {
			fprintf(stderr, "%s: sim.question %s: the answer function "
			        "returned %s, not a number, text or boolean\n",
			        rt->script, id, lua_typename(L, t));
			rt->status = RUN_ERROR;
			break;
		}
		/* Shown as the scenario's tostring shows it (integers without
		 * ".0"); a boolean as true/false. */
		const char *correct = t == LUA_TBOOLEAN ?
		                      (lua_toboolean(L, -1) ? "true" : "false") :
		                      luaL_tolstring(L, -1, NULL);
		if (t != LUA_TBOOLEAN)
			lua_insert(L, -2);	/* the value on top again */
		struct lrt_answer *a = given(rt, id);
		if (a == NULL) {
			fprintf(out, "  (predict it: --answer %s=VALUE)\n", id);
		} else {
			a->used = true;
			bool ok = right(L, a->value, tol);
			wrong += !ok;
			if (ok)
				fprintf(out, "  your answer %s: right\n", a->value);
			else
				fprintf(out, "  your answer %s: wrong; the answer is %s\n",
				        a->value, correct);
		}
		lua_settop(L, q - 1);
	}
	lua_settop(L, qs - 1);
	for (int i = 0; i < rt->nanswers && rt->status != RUN_ERROR; i++)
		if (!rt->answers[i].used) {
			fprintf(stderr, "%s: --answer %s: the scenario asks no question "
			        "%s\n", rt->script, rt->answers[i].id, rt->answers[i].id);
			rt->status = RUN_ERROR;
		}
	if (wrong && rt->status == RUN_OK)
		rt->status = RUN_EXPECT_FAILED;
	fflush(out);
}
