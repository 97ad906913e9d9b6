/*
 * check_labels.c - the ladder's labels keep out of each other's way and
 * off what they name, checked from ladder.dat alone: the data gnuplot is
 * given, with the page it is drawn on (its "# page" and "# xrange"
 * lines) and the label sizes of view/textbox.c.  Every library scenario
 * is run and drawn; no two label boxes may meet, and none may cover a
 * cross, an arrow's head or a state change's dot (the labels of the
 * timers' brackets among them).  Also: packets sent
 * together are drawn apart, and a crowded run says how many labels it
 * left out.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "view/textbox.h"

/* The marks as drawn (plots/ladder.gp), in pixels: a cross is about 15
 * across, an arrow head 11 long, a dot 6. */
#define CROSS 15.0
#define HEAD 9.0
#define DOT 6.0

struct rect {
	double x0, x1, y0, y1;
	char what[160];
};

struct page {
	double px, py, w, h, xlo, xhi, ylo, yhi;
};

static double
to_px(const struct page *g, double x)
{
	return (x - g->xlo) / (g->xhi - g->xlo) * g->w;
}

static double
to_py(const struct page *g, double y)
{
	return (y - g->ylo) / (g->yhi - g->ylo) * g->h;
}

static struct rect
label_rect(const struct page *g, double x, double y, const char *text,
           int align, double pt)
{
	double w = textbox_box_w(text, pt), h = textbox_box_h(pt);
	double cx = to_px(g, x), cy = to_py(g, y);
	double left = align == 0 ? cx - w / 2 : align > 0 ? cx : cx - w;
	struct rect r = { left, left + w, cy - h / 2, cy + h / 2, "" };
	snprintf(r.what, sizeof r.what, "label '%s'", text);
	return r;
}

static struct rect
mark_rect(const struct page *g, double x, double y, double side,
          const char *what)
{
	double cx = to_px(g, x), cy = to_py(g, y);
	struct rect r = { cx - side / 2, cx + side / 2, cy - side / 2,
	                  cy + side / 2, "" };
	snprintf(r.what, sizeof r.what, "%s", what);
	return r;
}

/* Overlap by more than the data's rounding (six decimals of an axis
 * unit, a thousandth of a pixel or less): boxes that only touch, as
 * stacked rows do, are apart. */
#define EPS 0.01
static bool
meet(const struct rect *a, const struct rect *b)
{
	return a->x0 + EPS < b->x1 && b->x0 + EPS < a->x1 &&
	       a->y0 + EPS < b->y1 && b->y0 + EPS < a->y1;
}

/* Split line at tabs into f (at most 16 fields); returns the count. */
static int
fields(char *line, char **f)
{
	int n = 0;
	for (char *s = line; n < 16;) {
		f[n++] = s;
		char *tab = strchr(s, '\t');
		if (tab == NULL)
			break;
		*tab = '\0';
		s = tab + 1;
	}
	return n;
}

/* The labels and marks of a ladder.dat; returns how many labels. */
static int
read_ladder(const char *path, struct rect **labels, struct rect **marks,
            int *nmarks)
{
	char *text = read_file(path, NULL);
	ck_assert_msg(text != NULL, "no %s", path);
	struct page g = { 0 };
	bool has_page = false, has_x = false;
	int nl = 0, nm = 0, cap = 0;
	for (char *l = text; *l; l++)
		cap += *l == '\n';
	*labels = calloc((size_t)cap + 1, sizeof **labels);
	*marks = calloc(2 * (size_t)cap + 1, sizeof **marks);
	int block = -1;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "# block %d", &block) == 1)
			continue;
		if (sscanf(line, "# page\t%lf\t%lf\t%lf\t%lf\t%lf\t%lf", &g.px, &g.py,
		           &g.w, &g.h, &g.ylo, &g.yhi) == 6) {
			has_page = true;
			continue;
		}
		if (sscanf(line, "# xrange\t%lf\t%lf", &g.xlo, &g.xhi) == 2) {
			has_x = true;
			continue;
		}
		if (line[0] == '#')
			continue;
		ck_assert_msg(block < 3 || (has_page && has_x),
		              "%s: no page before the marks", path);
		char *f[16];
		int n = fields(line, f);
		if (block == 3 && n >= 15 && strcmp(f[0], "none") != 0) {
			double x1 = atof(f[3]), y1 = atof(f[4]);
			bool arrow = strcmp(f[0], "arrow") == 0;
			char what[160];
			snprintf(what, sizeof what, "%s of '%s' at %s ms",
			         arrow ? "arrow head" : "cross", f[10], f[8]);
			(*marks)[nm++] = mark_rect(&g, x1, y1, arrow ? HEAD : CROSS, what);
			if (strcmp(f[14], " ") != 0)	/* the label drawn */
				(*labels)[nl++] = label_rect(&g, atof(f[6]), atof(f[7]),
				                             f[14], 0, 9);
		} else if (block == 4 && n >= 8 && strcmp(f[0], "mark") == 0) {
			char what[160];
			snprintf(what, sizeof what, "state dot at %s ms", f[6]);
			(*marks)[nm++] = mark_rect(&g, atof(f[1]), atof(f[2]), DOT, what);
		} else if (block == 4 && n >= 8 && strcmp(f[0], "state") == 0) {
			(*labels)[nl++] = label_rect(&g, atof(f[3]), atof(f[4]), f[7],
			                             atoi(f[5]), 10);
		} else if (block == 5 && n >= 5 && strcmp(f[0], "bandlabel") == 0) {
			(*labels)[nl++] = label_rect(&g, atof(f[1]), atof(f[2]), f[4],
			                             atoi(f[3]), 9);
		} else if (block == 6 && n >= 7 && strcmp(f[0], "bracket") == 0 &&
		           strcmp(f[6], " ") != 0) {
			(*labels)[nl++] = label_rect(&g, atof(f[4]), atof(f[5]), f[6],
			                             0, 9);
		}
	}
	free(text);
	*nmarks = nm;
	return nl;
}

/* No two label boxes meet; no label covers a mark. */
static void
assert_apart(const char *path)
{
	struct rect *lab, *mk;
	int nm, nl = read_ladder(path, &lab, &mk, &nm);
	for (int i = 0; i < nl; i++) {
		for (int j = i + 1; j < nl; j++)
			ck_assert_msg(!meet(&lab[i], &lab[j]), "%s: %s meets %s", path,
			              lab[i].what, lab[j].what);
		for (int k = 0; k < nm; k++)
			ck_assert_msg(!meet(&lab[i], &mk[k]), "%s: %s covers the %s",
			              path, lab[i].what, mk[k].what);
	}
	free(lab);
	free(mk);
}

static const char *const scenarios[] = {
	"bursty-loss", "dumbbell", "handshake", "lost-final-ack", "lost-syn",
	"lost-synack", "outage", "simultaneous", "syn-flood", "time-wait",
};

/* Every library scenario (timers.lua sends no packet: no ladder). */
START_TEST(test_library_apart)
{
	const char *name = scenarios[_i];
	char scen[1200], run[1200];
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	snprintf(run, sizeof run, "%s", in_dir("run"));
	snprintf(scen, sizeof scen, "%s/scenarios/%s.lua", SOURCE_DIR, name);
	ck_assert_int_eq(SYNSIM("run", scen, "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	ck_assert_str_eq(syn_err, "");
	assert_apart(in_dir("run/ladder.dat"));
}
END_TEST

/* The check catches what it is for: two labels put on top of each
 * other, and a label put on a cross, fail it (in a child, as check
 * runs each test). */
START_TEST(test_check_bites)
{
	use_dir("bites");
	const char *dat = in_dir("l.dat");
	write_file(dat, "# xrange\t-1\t2\n# page\t84\t104\t1098\t636\t0\t100\n"
	                "# block 3\n"
	                "lost\t1\t10\t0.5\t20\t0\t0.5\t20\t10\t10\tSYN 0 lost\t"
	                "0\t0\ttip\tSYN 0 lost\n");
	struct rect *lab, *mk;
	int nm, nl = read_ladder(dat, &lab, &mk, &nm);
	ck_assert_int_eq(nl, 1);
	ck_assert_int_eq(nm, 1);
	ck_assert(meet(&lab[0], &mk[0]));	/* the label is on its cross */
	free(lab);
	free(mk);
	write_file(dat, "# xrange\t-1\t2\n# page\t84\t104\t1098\t636\t0\t100\n"
	                "# block 4\n"
	                "state\t0\t10\t0.02\t10\t1\t10\tSYN-SENT\n"
	                "state\t0\t12\t0.1\t12\t1\t12\tESTABLISHED\n");
	nl = read_ladder(dat, &lab, &mk, &nm);
	ck_assert_int_eq(nl, 2);
	ck_assert(meet(&lab[0], &lab[1]));
	free(lab);
	free(mk);
}
END_TEST

/* The labels of the timer brackets in run/ladder.dat of the test's
 * folder, one a line. */
static void
bracket_labels(char *got, size_t size)
{
	char *text = read_file(in_dir("run/ladder.dat"), NULL);
	ck_assert_ptr_nonnull(text);
	got[0] = '\0';
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[16];
		if (strncmp(line, "bracket\t", 8) == 0 && fields(line, f) >= 7 &&
		    strlen(got) + strlen(f[6]) + 2 <= size) {
			strcat(got, f[6]);
			strcat(got, "\n");
		}
	}
	free(text);
}

/* lost-synack's timers, from its data: the client's SYN sent again
 * after an RTO of 1 s, and the client's TIME-WAIT of 60 s, each as long
 * as it ran on the client's timer wheel (0 to 1.012792873 s; 1.213135 to
 * 62.580792873 s: tests/golden/lost-synack.trace.txt).  The server's
 * SYN-ACK timer never fires: the repeated SYN restarts it.  With the
 * wheel off, the three timers of the nanosecond. */
START_TEST(test_timer_brackets)
{
	const char *run = run_scenario_into("brackets", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char got[400];
	bracket_labels(got, sizeof got);
	ck_assert_str_eq(got, "RTO 1.01 s\nTIME-WAIT 61.4 s\n");

	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", run, "-q", "-K", "timer_wheel=false"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	bracket_labels(got, sizeof got);
	ck_assert_str_eq(got, "RTO 1 s\nRTO 1 s\nTIME-WAIT 60 s\n");
}
END_TEST

/* connect() with a timeout of 5 s, every SYN dropped: the SYN's RTOs
 * of 1 and 2 s on the client's timer wheel (tests/tcp_fixture.h: to
 * 1.012792873 s, then to 3.028792873 s), and the application's timeout
 * from connect() to CLOSED, on the nanosecond. */
START_TEST(test_connect_timeout_bracket)
{
	use_dir("connect_timeout");
	write_file(in_dir("s.lua"),
	           "local net = sim.network{ profile = 'linux' }\n"
	           "local c, s = net:host 'client', net:host 'server'\n"
	           "local l = net:link(c, s, { delay = '10ms' })\n"
	           "l:drop{ from = c, flags = 'SYN' }\n"
	           "s:listen(80)\n"
	           "c:connect(s, 80, { timeout = '5s' })\n");
	char run[1200];
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", in_dir("s.lua"), "--out", run, "-q"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char got[400];
	bracket_labels(got, sizeof got);
	ck_assert_str_eq(got, "RTO 1.01 s\nRTO 2.02 s\nconnect timeout 5 s\n");
	assert_apart(in_dir("run/ladder.dat"));
}
END_TEST

/* outage.lua: the link's drops "link-down" shade it between its ends,
 * from the first (1.000096 s) to the last (1.100096 s). */
START_TEST(test_outage_shaded)
{
	const char *run = run_scenario_into("outage", "outage.lua");
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char *text = read_file(in_dir("run/ladder.dat"), NULL);
	ck_assert_ptr_nonnull(text);
	assert_has(text, "\noutage\t0\t1\t1000.096000\t1100.096000\t"
	           "client-server\n");
	free(text);
}
END_TEST

/* A run made with --explain: each delivered packet's hover in the SVG
 * ends with the rule its arrival was decided by (from trace.txt). */
/* Each arrival's rule in its tooltip: from explain.csv, which a run
 * writes by default, or, for a run without it, from a narration made
 * with --explain. */
static void
check_svg_rules(const char *name, const char *opts[])
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	char run[1200];	/* in_dir's buffers rotate */
	snprintf(run, sizeof run, "%s", in_dir("run"));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", run, "-q", opts[0], opts[1], opts[2]), 0);
	ck_assert_int_eq(SYNSIM("plot", run, "--format", "svg"), 0);
	char *svg = read_file(in_dir("run/ladder.svg"), NULL);
	ck_assert_ptr_nonnull(svg);
	assert_has(svg, "showHypertext(evt,'client > server SYN seq 0 (");
	assert_has(svg, " | 0 ms to 50.048 ms | RFC 9293 3.10.7.2, LISTEN, "
	           "third check: SYN, a new connection')");
	assert_has(svg, "| 1012.792873 ms to 1062.840873 ms | linux: tcp_check_req: the "
	           "SYN again, answered with the SYN-ACK again')");
	/* the lost SYN-ACK arrived nowhere: no rule */
	assert_has(svg, "dropped by rule #1 | 50.048 ms to 50.048 ms')");
	free(svg);
}

START_TEST(test_svg_rules)
{
	check_svg_rules("svg_rules", (const char *[]){ NULL, NULL, NULL });
	check_svg_rules("svg_rules_trace", (const char *[]){
		"--explain", "--outputs", "trace,csv,summary" });
}
END_TEST

/* lost-synack with the timers on the nanosecond: the server answers the
 * retransmitted SYN and its own timer in the same nanosecond; the two
 * SYN-ACKs are drawn apart. */
START_TEST(test_same_instant_apart)
{
	const char *run = run_scenario_into("same_instant", "lost-synack.lua");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", run, "-q", "-K", "timer_wheel=false"), 0);
	ck_assert_int_eq(SYNSIM("plot", run), 0);
	char *text = read_file(in_dir("run/ladder.dat"), NULL);
	ck_assert_ptr_nonnull(text);
	double y0[4];
	int n = 0;
	char *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line && n < 4;
	     line = strtok_r(NULL, "\n", &save)) {
		char *f[16];
		if (strncmp(line, "arrow\t", 6) == 0 && fields(line, f) >= 11 &&
		    strcmp(f[8], "1050.048") == 0 && strncmp(f[10], "SYN+ACK", 7) == 0)
			y0[n++] = atof(f[2]);
	}
	free(text);
	ck_assert_int_eq(n, 2);
	/* DUP_PX (7 px) apart on the 636-pixel axis: more than a pixel */
	ck_assert_msg(y0[1] - y0[0] > 0.5, "%g %g", y0[0], y0[1]);
}
END_TEST

static Suite *
labels_suite(void)
{
	Suite *s = suite_create("labels");
	TCase *tc = tcase_create("library");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_library_apart, 0,
	                    (int)(sizeof scenarios / sizeof scenarios[0]));
	tcase_add_test(tc, test_same_instant_apart);
	tcase_add_test(tc, test_timer_brackets);
	tcase_add_test(tc, test_outage_shaded);
	tcase_add_test(tc, test_svg_rules);
	tcase_add_test(tc, test_connect_timeout_bracket);
	suite_add_tcase(s, tc);
	tc = tcase_create("check");
	tcase_add_test(tc, test_check_bites);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(labels_suite());
}
