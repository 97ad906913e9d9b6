/*
 * check_api_doc.c - README's Lua API reference names every function the
 * bindings register.
 *
 * The registered names are read from the binding sources (sim/lua/l_*.c):
 * each luaL_Reg table's entries, and each function set by hand with
 * lua_pushcfunction(L, f); lua_setfield(L, -2, "name") (metamethods,
 * "__x", are not API).  Each must appear in README's "Writing scenarios"
 * part as a call: ".name" or ":name" followed by "(", "{", " " or a
 * quote (sim.param(...), net:host "c", node:flood{...}).
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define MAX_NAMES 256
static char *names[MAX_NAMES], *where[MAX_NAMES];
static int nnames;

static void
add_name(const char *name, size_t len, const char *file)
{
	if (len == 0 || (len >= 2 && name[0] == '_' && name[1] == '_'))
		return;
	for (int i = 0; i < nnames; i++)
		if (strlen(names[i]) == len && strncmp(names[i], name, len) == 0)
			return;
	ck_assert_int_lt(nnames, MAX_NAMES);
	names[nnames] = strndup(name, len);
	where[nnames] = strdup(file);
	nnames++;
}

/* The names a binding source registers. */
static void
scan_source(const char *file, const char *text)
{
	/* luaL_Reg tables: from "luaL_Reg" ... "= {" to "};" */
	for (const char *p = strstr(text, "luaL_Reg"); p;
	     p = strstr(p + 1, "luaL_Reg")) {
		const char *open = strstr(p, "= {");
		const char *semi = strchr(p, ';');
		if (open == NULL || (semi && semi < open))
			continue;	/* a parameter or a pointer, not a table */
		const char *end = strstr(open, "};");
		for (const char *e = strstr(open, "{ \""); e && e < end;
		     e = strstr(e + 1, "{ \"")) {
			const char *q = strchr(e + 3, '"');
			add_name(e + 3, (size_t)(q - e - 3), file);
		}
	}
	/* lua_pushcfunction(L, f); lua_setfield(L, -2, "name"); */
	for (const char *p = strstr(text, "lua_pushcfunction("); p;
	     p = strstr(p + 1, "lua_pushcfunction(")) {
		const char *nl = strchr(p, '\n');
		const char *s = nl ? nl + 1 : NULL;
		while (s && (*s == '\t' || *s == ' '))
			s++;
		const char *set = "lua_setfield(L, -2, \"";
		if (s && strncmp(s, set, strlen(set)) == 0) {
			const char *n = s + strlen(set);
			add_name(n, strcspn(n, "\""), file);
		}
	}
}

static char *
api_section(void)
{
	char *readme = read_file(SOURCE_DIR "/README.md", NULL);
	ck_assert_ptr_nonnull(readme);
	char *start = strstr(readme, "\n## Writing scenarios");
	ck_assert_ptr_nonnull(start);
	char *end = strstr(start + 1, "\n## ");
	if (end)
		*end = '\0';
	char *copy = strdup(start);
	free(readme);
	return copy;
}

static bool
documented(const char *doc, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = strstr(doc, name); p; p = strstr(p + 1, name)) {
		if (p == doc || (p[-1] != '.' && p[-1] != ':'))
			continue;
		char after = p[len];
		if (after == '(' || after == '{' || after == ' ' || after == '"')
			return true;
	}
	return false;
}

START_TEST(test_every_binding_documented)
{
	DIR *d = opendir(SOURCE_DIR "/sim/lua");
	ck_assert_ptr_nonnull(d);
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "l_", 2) != 0 ||
		    strcmp(e->d_name + strlen(e->d_name) - 2, ".c") != 0)
			continue;
		char path[1024];
		snprintf(path, sizeof path, "%s/sim/lua/%s", SOURCE_DIR, e->d_name);
		char *text = read_file(path, NULL);
		scan_source(e->d_name, text);
		free(text);
	}
	closedir(d);
	/* The scan itself must see the API (a scan that finds nothing
	 * would pass any README). */
	ck_assert_int_gt(nnames, 30);
	char *doc = api_section();
	char missing[4096] = "";
	for (int i = 0; i < nnames; i++)
		if (!documented(doc, names[i])) {
			size_t n = strlen(missing);
			snprintf(missing + n, sizeof missing - n, " %s (%s)", names[i],
			         where[i]);
		}
	ck_assert_msg(missing[0] == '\0', "README's Lua API reference lacks:%s",
	              missing);
	free(doc);
}
END_TEST

/* The scan finds what it should: names from a luaL_Reg table and from a
 * hand-set field, and no metamethod. */
START_TEST(test_scan_finds_registrations)
{
	scan_source("x.c",
	            "static const luaL_Reg m[] = {\n"
	            "\t{ \"alpha\", f },\n\t{ \"beta\", g },\n\t{ NULL, NULL },\n};\n"
	            "void f(const luaL_Reg *l);\n"
	            "\tlua_pushcfunction(L, h);\n\tlua_setfield(L, -2, \"gamma\");\n"
	            "\tlua_pushcfunction(L, k);\n\tlua_setfield(L, -2, \"__gc\");\n");
	ck_assert_int_eq(nnames, 3);
	ck_assert_str_eq(names[0], "alpha");
	ck_assert_str_eq(names[2], "gamma");
	ck_assert(documented("use `net:alpha{ }` or sim.beta(1)", "alpha"));
	ck_assert(documented("use `net:alpha{ }` or sim.beta(1)", "beta"));
	ck_assert(!documented("gamma is a word, not a call", "gamma"));
}
END_TEST

static Suite *
api_doc_suite(void)
{
	Suite *s = suite_create("api_doc");
	TCase *tc = tcase_create("readme");
	tcase_add_test(tc, test_every_binding_documented);
	tcase_add_test(tc, test_scan_finds_registrations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(api_doc_suite());
}
