/*
 * check_docs.c - the README's pictures are the ones its commands draw:
 * for each line of docs/pictures.txt, the scenario is run, plotted with
 * the options given, and the file plot wrote must be byte for byte the
 * committed picture (gnuplot's renders are the same bytes every time);
 * and README.md shows each of them.  `make docs` redraws them.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

START_TEST(test_pictures_are_drawn)
{
	use_dir("docs");
	char *list = read_file(SOURCE_DIR "/docs/pictures.txt", NULL);
	char *readme = read_file(SOURCE_DIR "/README.md", NULL);
	ck_assert_ptr_nonnull(list);
	ck_assert_ptr_nonnull(readme);
	char done[8][256];
	int ndone = 0, npics = 0;
	char *save = NULL;
	for (char *line = strtok_r(list, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		char pic[256], scen[256], opts[256], file[64];
		ck_assert_msg(sscanf(line, "%255[^\t]\t%255[^\t]\t%255[^\t]\t%63s",
		                     pic, scen, opts, file) == 4,
		              "docs/pictures.txt: bad line '%s'", line);
		char run[1200], path[1400], src[1400];
		const char *base = strrchr(scen, '/') ? strrchr(scen, '/') + 1 : scen;
		snprintf(run, sizeof run, "%s", in_dir(base));
		int k = 0;
		while (k < ndone && strcmp(done[k], scen) != 0)
			k++;
		if (k == ndone) {
			snprintf(src, sizeof src, "%s/%s", SOURCE_DIR, scen);
			ck_assert_int_eq(SYNSIM("run", src, "-q", "--out", run), 0);
			ck_assert_int_lt(ndone, 8);
			snprintf(done[ndone++], sizeof done[0], "%s", scen);
		}
		if (strcmp(opts, "-") == 0)
			ck_assert_int_eq(SYNSIM("plot", run), 0);
		else
			ck_assert_int_eq(SYNSIM("plot", run, opts), 0);
		snprintf(path, sizeof path, "%s/%s", run, file);
		snprintf(src, sizeof src, "%s/%s", SOURCE_DIR, pic);
		size_t n1, n2;
		char *drawn = read_file(path, &n1);
		char *kept = read_file(src, &n2);
		ck_assert_msg(drawn != NULL, "plot drew no %s", path);
		ck_assert_msg(kept != NULL, "no %s (make docs draws it)", pic);
		ck_assert_msg(n1 == n2 && memcmp(drawn, kept, n1) == 0,
		              "%s is not what `synsim plot` draws now: make docs",
		              pic);
		free(drawn);
		free(kept);
		char ref[300];
		snprintf(ref, sizeof ref, "](%s)", pic);
		ck_assert_msg(strstr(readme, ref) != NULL, "README.md does not show "
		              "%s", pic);
		npics++;
	}
	ck_assert_int_ge(npics, 3);
	free(list);
	free(readme);
}
END_TEST

static Suite *
docs_suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_pictures_are_drawn);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(docs_suite());
}
