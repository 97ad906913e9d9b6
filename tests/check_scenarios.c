/*
 * check_scenarios.c - the scenario library as a regression test: every
 * file in scenarios/ runs with its default parameters and must exit 0
 * (all its sim.expect checks hold), and a second run must write the same
 * files, byte for byte.  The list is explicit and must match the folder,
 * so a new scenario needs a line here.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Sorted by name, as the folder listing is. */
static const char *const scenarios[] = {
	"abort-rst.lua",
	"accept-queue.lua",
	"bursty-loss.lua",
	"connect-timeout.lua",
	"dumbbell.lua",
	"half-close.lua",
	"handshake.lua",
	"high-latency.lua",
	"isn-injection.lua",
	"lossy-wifi.lua",
	"lost-final-ack.lua",
	"lost-syn.lua",
	"lost-synack.lua",
	"old-duplicate-syn.lua",
	"outage.lua",
	"refused-timeout-unreachable.lua",
	"reuse.lua",
	"silent-peer.lua",
	"simultaneous.lua",
	"sweep-loss.lua",
	"sweep-syn-flood.lua",
	"syn-flood-cookies.lua",
	"syn-flood.lua",
	"time-wait.lua",
	"timers.lua",
};
#define NSCENARIOS ((int)(sizeof scenarios / sizeof scenarios[0]))

START_TEST(test_list_matches_folder)
{
	size_t len = 1;
	for (int i = 0; i < NSCENARIOS; i++)
		len += strlen(scenarios[i]) + 1;
	char *want = malloc(len);
	want[0] = '\0';
	for (int i = 0; i < NSCENARIOS; i++) {
		strcat(want, scenarios[i]);
		strcat(want, "\n");
	}
	char *got = dir_listing(SOURCE_DIR "/scenarios", ".lua");
	ck_assert_msg(strcmp(got, want) == 0,
	              "scenarios/ holds:\n%s\nbut the test lists:\n%s", got, want);
	free(got);
	free(want);
}
END_TEST

/* Run scenario i into dir/out; it must succeed quietly. */
static void
run_into(int i, const char *out)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/scenarios/%s", SOURCE_DIR, scenarios[i]);
	char *err = NULL;
	int rc = run_synsim(NULL, &err, "run", path, "--quiet", "--out", out,
	                    NULL);
	ck_assert_msg(rc == 0, "%s: exit %d:\n%s", scenarios[i], rc, err);
	ck_assert_msg(err && err[0] == '\0', "%s: stderr:\n%s", scenarios[i],
	              err);
	free(err);
}

START_TEST(test_scenario_passes_and_repeats)
{
	char name[128], a[1100], b[1100];
	snprintf(name, sizeof name, "scenario-%s", scenarios[_i]);
	const char *dir = test_dir(name);
	snprintf(a, sizeof a, "%s/a", dir);
	snprintf(b, sizeof b, "%s/b", dir);
	run_into(_i, a);
	run_into(_i, b);

	char *fa = dir_listing(a, ""), *fb = dir_listing(b, "");
	ck_assert_msg(strstr(fa, "summary.json\n") && strstr(fa, "trace.txt\n"),
	              "%s: outputs:\n%s", scenarios[_i], fa);
	ck_assert_str_eq(fa, fb);
	for (char *f = fa, *nl; (nl = strchr(f, '\n')); f = nl + 1) {
		*nl = '\0';
		char pa[1400], pb[1400];
		snprintf(pa, sizeof pa, "%s/%s", a, f);
		snprintf(pb, sizeof pb, "%s/%s", b, f);
		size_t la, lb;
		char *ca = read_file(pa, &la), *cb = read_file(pb, &lb);
		ck_assert_msg(ca && cb, "%s: cannot read %s", scenarios[_i], f);
		ck_assert_msg(la == lb && memcmp(ca, cb, la) == 0,
		              "%s: %s differs between two runs", scenarios[_i], f);
		free(ca);
		free(cb);
	}
	free(fa);
	free(fb);
}
END_TEST

/* Variants a scenario's header suggests, where it pins their numbers
 * too: each must meet its own expectations. */
static const struct { const char *scenario, *param; } variants[] = {
	{ "syn-flood.lua", "syncookies=1" },
	{ "syn-flood.lua", "syncookies=2" },
	{ "syn-flood.lua", "prune=false" },
};
#define NVARIANTS ((int)(sizeof variants / sizeof variants[0]))

START_TEST(test_variant_passes)
{
	char path[1024], name[128];
	snprintf(path, sizeof path, "%s/scenarios/%s", SOURCE_DIR,
	         variants[_i].scenario);
	snprintf(name, sizeof name, "variant-%d", _i);
	char out[1100];
	snprintf(out, sizeof out, "%s/out", test_dir(name));
	char *err = NULL;
	int rc = run_synsim(NULL, &err, "run", path, "-D", variants[_i].param,
	                    "--quiet", "--out", out, NULL);
	ck_assert_msg(rc == 0, "%s -D %s: exit %d:\n%s", variants[_i].scenario,
	              variants[_i].param, rc, err);
	free(err);
}
END_TEST

/* The scenario README shows under "Writing scenarios" runs as shown and
 * meets its expectation: the documentation cannot drift from the API. */
START_TEST(test_readme_example)
{
	char *readme = read_file(SOURCE_DIR "/README.md", NULL);
	ck_assert_ptr_nonnull(readme);
	const char *sec = strstr(readme, "\n## Writing scenarios\n");
	ck_assert_ptr_nonnull(sec);
	const char *start = strstr(sec, "```lua\n");
	ck_assert_ptr_nonnull(start);
	start += 7;
	const char *end = strstr(start, "```");
	ck_assert_ptr_nonnull(end);
	const char *dir = test_dir("readme-example");
	char path[1100], out[1100];
	snprintf(path, sizeof path, "%s/example.lua", dir);
	snprintf(out, sizeof out, "%s/out", dir);
	char *text = strndup(start, (size_t)(end - start));
	write_file(path, text);
	free(text);
	free(readme);
	char *err = NULL;
	int rc = run_synsim(NULL, &err, "run", path, "--quiet", "--out", out, NULL);
	ck_assert_msg(rc == 0, "README example: exit %d:\n%s", rc, err);
	ck_assert_str_eq(err, "");
	free(err);
}
END_TEST

static Suite *
scenarios_suite(void)
{
	Suite *s = suite_create("scenarios");
	TCase *tc = tcase_create("library");
	/* Generous: each test runs a scenario twice under the sanitizers. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_list_matches_folder);
	tcase_add_test(tc, test_readme_example);
	tcase_add_loop_test(tc, test_scenario_passes_and_repeats, 0, NSCENARIOS);
	tcase_add_loop_test(tc, test_variant_passes, 0, NVARIANTS);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(scenarios_suite());
}
