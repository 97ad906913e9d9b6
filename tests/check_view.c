/*
 * check_view.c - `synsim view DIR`: the page it writes, and that page in
 * a real browser.
 *
 * Without a browser: the command's errors, that a failed view leaves no
 * file, that the page needs no network and that no text of the run can
 * end its <script>.  With headless Chromium (Debian's `chromium`; these
 * tests are skipped, with a message, when it is missing): the page
 * renders without a console message, draws one packet element per row of
 * packets.csv, steps through every event highlighting each in turn and
 * saying each state change with its cause, shows a packet's fields, its
 * pcapng comment and its --explain rule, and stays windowed on a SYN
 * flood.  Screenshots are left in the build tree (test-tmp/view/).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static char chromium[700];

/* chromium on PATH, else Debian's place for it; "" when missing. */
static void
find_chromium(void)
{
	const char *path = getenv("PATH");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s:/usr/bin", path ? path : "");
	for (char *d = strtok(buf, ":"); d; d = strtok(NULL, ":")) {
		char p[600];
		snprintf(p, sizeof p, "%s/chromium", d);
		if (access(p, X_OK) == 0) {
			snprintf(chromium, sizeof chromium, "%s", p);
			return;
		}
	}
	chromium[0] = '\0';
}

static bool
exists(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

/* Occurrences of needle in text. */
static int
count(const char *text, const char *needle)
{
	int n = 0;
	for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Fail unless page has want; the page itself is too long to print. */
static void
has(const char *page, const char *want)
{
	ck_assert_msg(page && strstr(page, want), "not in the page: %s", want);
}

/* Rows of a CSV file, its header not counted. */
static int
csv_rows(const char *path)
{
	char *t = read_file(path, NULL);
	ck_assert_msg(t != NULL, "no %s", path);
	int n = count(t, "\n") - 1;
	free(t);
	return n;
}

/* The value of attribute attr in the first tag of text that starts
 * with tag (e.g. "<p id=\"status\""), into buf. */
static const char *
attr(const char *text, const char *tag, const char *attr_name, char *buf,
     size_t len)
{
	const char *p = strstr(text, tag);
	ck_assert_msg(p != NULL, "no %s in the page", tag);
	const char *end = strchr(p, '>');
	char pat[64];
	snprintf(pat, sizeof pat, " %s=\"", attr_name);
	const char *a = strstr(p, pat);
	ck_assert_msg(a != NULL && a < end, "%s has no %s", tag, attr_name);
	a += strlen(pat);
	size_t n = strcspn(a, "\"");
	snprintf(buf, len, "%.*s", (int)n, a);
	return buf;
}

/* A run of scenario (with -D param unless NULL) into the test's folder,
 * and its page; returns the run's folder. */
static const char *
run_and_view(const char *name, const char *scenario, const char *param)
{
	static char run[1200];
	use_dir(name);
	snprintf(run, sizeof run, "%s", in_dir("run"));
	char path[1200];
	snprintf(path, sizeof path, SOURCE_DIR "/scenarios/%s", scenario);
	int rc = param ? SYNSIM("run", path, "--out", run, "-q", "-D", param) :
	         SYNSIM("run", path, "--out", run, "-q");
	ck_assert_msg(rc == 0, "run %s: %d: %s", scenario, rc, syn_err);
	ck_assert_int_eq(SYNSIM("view", run), 0);
	ck_assert_str_eq(syn_err, "");
	char want[1300];
	snprintf(want, sizeof want, "%s/view.html\n", run);
	ck_assert_str_eq(syn_out, want);
	return run;
}

/*
 * Open file://page#frag in headless Chromium: the DOM after the page's
 * script ran (dump != NULL) or a screenshot (shot != NULL).  The browser's
 * log is returned in *log.  Each call gets a fresh profile, so no state
 * carries over.  A browser that has not finished in two minutes (a loaded
 * machine may take seconds to start one) is killed and the test fails.
 */
static void
browse(const char *page, const char *frag, char **dump, const char *shot,
       char **log)
{
	char profile[1200], url[2400], shotarg[1300];
	snprintf(profile, sizeof profile, "%s/profile-XXXXXX", syn_dir);
	ck_assert_msg(mkdtemp(profile) != NULL, "mkdtemp: %s", strerror(errno));
	snprintf(url, sizeof url, "file://%s%s%s", page, frag ? "#" : "",
	         frag ? frag : "");
	char udd[1300];
	snprintf(udd, sizeof udd, "--user-data-dir=%s", profile);
	if (shot)
		snprintf(shotarg, sizeof shotarg, "--screenshot=%s", shot);
	char outp[] = "/tmp/synsim-view-out-XXXXXX";
	char errp[] = "/tmp/synsim-view-err-XXXXXX";
	int fo = mkstemp(outp), fe = mkstemp(errp);
	ck_assert(fo >= 0 && fe >= 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		setpgid(0, 0);	/* its helpers die with it on a timeout */
		execl(chromium, chromium, "--headless", "--no-sandbox",
		      "--disable-gpu", "--disable-background-networking",
		      "--disable-component-update", "--disable-sync",
		      "--no-first-run", udd, "--enable-logging=stderr", "--v=0",
		      "--window-size=1400,900", shot ? shotarg : "--dump-dom",
		      url, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	struct timespec nap = { 0, 50 * 1000 * 1000 };
	int waited = 0;
	pid_t w;
	while ((w = waitpid(pid, &st, WNOHANG)) == 0 && waited < 120 * 20) {
		nanosleep(&nap, NULL);
		waited++;
	}
	if (w == 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	close(fo);
	close(fe);
	char *out = read_file(outp, NULL), *err = read_file(errp, NULL);
	unlink(outp);
	unlink(errp);
	ck_assert_msg(w != 0, "chromium took more than 120 s on %s", url);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	              "chromium failed on %s: %s", url, err);
	if (dump)
		*dump = out;
	else
		free(out);
	*log = err;
}

/* The page ran without a console message (it writes none unless
 * something went wrong) and said no error. */
static void
assert_clean(const char *dom, const char *log)
{
	ck_assert_msg(strstr(log, ":CONSOLE") == NULL,
	              "the page wrote to the console: %s", log);
	ck_assert_msg(strstr(dom, "data-ready=\"true\"") != NULL,
	              "the page's script did not finish");
	ck_assert_msg(strstr(dom, "<p id=\"error\" role=\"alert\" hidden=\"\">") != NULL,
	              "the page shows an error");
}

static char *
view_dom(const char *run, const char *frag)
{
	char page[1300], *dom, *log;
	snprintf(page, sizeof page, "%s/view.html", run);
	browse(page, frag, &dom, NULL, &log);
	assert_clean(dom, log);
	free(log);
	return dom;
}

/* A screenshot of the run's page at #frag, kept in the test's folder
 * as name for people to look at; no console message while taking it. */
static void
screenshot(const char *run, const char *frag, const char *name)
{
	char page[1300], shot[1300], *log;
	snprintf(page, sizeof page, "%s/view.html", run);
	snprintf(shot, sizeof shot, "%s/%s", syn_dir, name);
	browse(page, frag, NULL, shot, &log);
	ck_assert_msg(strstr(log, ":CONSOLE") == NULL, "console: %s", log);
	free(log);
	size_t len;
	unsigned char *png = (unsigned char *)read_file(shot, &len);
	ck_assert_msg(png && len > 10000, "no screenshot %s", shot);
	ck_assert_mem_eq(png, "\x89PNG\r\n\x1a\n", 8);
	free(png);
}

/* ---- the page, without a browser ------------------------------------------ */

START_TEST(test_usage_errors)
{
	ck_assert_int_eq(SYNSIM("view"), 2);
	assert_has(syn_err, "view: which run? (synsim view DIR)");
	ck_assert_int_eq(SYNSIM("view", "a", "b"), 2);
	assert_has(syn_err, "view: one run at a time (also got b)");
	ck_assert_int_eq(SYNSIM("view", "--frobnicate"), 2);
	assert_has(syn_err, "unknown option --frobnicate");
	use_dir("view_missing");
	ck_assert_int_eq(SYNSIM("view", syn_dir), 2);
	char want[1400];
	snprintf(want, sizeof want, "synsim: cannot read %s/packets.csv: No "
	         "such file or directory\n", syn_dir);
	ck_assert_str_eq(syn_err, want);
}
END_TEST

/* A damaged states.csv: exit 2 naming it, and no page (nor a temporary)
 * left behind. */
START_TEST(test_damaged_leaves_nothing)
{
	const char *run = run_and_view("view_damaged", "lost-synack.lua", NULL);
	char path[1300];
	snprintf(path, sizeof path, "%s/view.html", run);
	ck_assert_int_eq(unlink(path), 0);
	write_file(in_dir("run/states.csv"), "t_ns,host\n1,a,b\n");
	ck_assert_int_eq(SYNSIM("view", run), 2);
	assert_has(syn_err, "states.csv row 1: more fields than the header");
	ck_assert(!exists(path));
	char *left = dir_listing(run, ".tmp");
	ck_assert_str_eq(left, "");
	free(left);
}
END_TEST

/* A capture that is not pcapng is an error naming it; one cut short
 * gives the records before the cut (the rest of the page is the CSV's). */
START_TEST(test_bad_capture)
{
	const char *run = run_and_view("view_capture", "lost-synack.lua", NULL);
	char path[1300], page[1300];
	snprintf(path, sizeof path, "%s/trace.pcapng", run);
	snprintf(page, sizeof page, "%s/view.html", run);
	size_t len;
	char *cap = read_file(path, &len);
	write_file(path, "not a capture\n");
	ck_assert_int_eq(SYNSIM("view", run), 2);
	char want[1400];
	snprintf(want, sizeof want, "synsim: %s: not a pcapng file\n", path);
	ck_assert_str_eq(syn_err, want);
	/* Cut in the middle of the fifth packet record. */
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	const unsigned char *b = (const unsigned char *)cap;
	size_t o = 0;
	int epb = 0;
	while (o + 8 <= len) {
		uint32_t type = b[o] | b[o + 1] << 8 | b[o + 2] << 16 |
		                (uint32_t)b[o + 3] << 24;
		uint32_t blen = b[o + 4] | b[o + 5] << 8 | b[o + 6] << 16 |
		                (uint32_t)b[o + 7] << 24;
		if (type == 6 && ++epb == 5)
			break;
		o += blen;
	}
	ck_assert_int_eq(epb, 5);
	fwrite(cap, 1, o + 20, f);
	fclose(f);
	free(cap);
	ck_assert_int_eq(SYNSIM("view", run), 0);
	char *text = read_file(page, NULL);
	/* Four records: the fourth comment is there, the fifth is not
	 * (tests/golden/lost-synack.trace.txt: the fourth packet is the
	 * SYN-ACK that answers the repeated SYN, the fifth the ACK). */
	has(text, "sent by server: retransmitted SYN received: SYN-ACK again "
	          "(linux: tcp_check_req); received by client; client #1 "
	          "SYN-SENT → ESTABLISHED");
	ck_assert_ptr_null(strstr(text, "received by server; server #1 "
	                                "SYN-RECEIVED → ESTABLISHED"));
	free(text);
}
END_TEST

/* Nothing is fetched: no script, style or picture comes from elsewhere;
 * and the page of a run is always the same bytes. */
START_TEST(test_self_contained)
{
	const char *run = run_and_view("view_alone", "lost-synack.lua", NULL);
	char path[1300];
	snprintf(path, sizeof path, "%s/view.html", run);
	char *page = read_file(path, NULL);
	const char *bad[] = { "src=", "href=", "@import", "url(", "<link",
	                      "fetch(", "XMLHttpRequest", "<iframe" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(strstr(page, bad[i]) == NULL, "the page has %s",
		              bad[i]);
	/* The run is in it: the reproduce line, every packet row. */
	has(page, "lost-synack.lua --seed 1");
	has(page, "rule #1: 1st SYN+ACK from server");
	/* Same run, same page, byte for byte. */
	ck_assert_int_eq(SYNSIM("view", run), 0);
	size_t n2;
	char *again = read_file(path, &n2);
	ck_assert_uint_eq(n2, strlen(page));
	ck_assert_str_eq(again, page);
	free(again);
	free(page);
}
END_TEST

/* A parameter that reads "</script>" stays text: the page has its own two
 * script elements' ends and no other. */
START_TEST(test_script_end_escaped)
{
	char *err = NULL;
	int rc = lua_run("view_escape", "",
	                 "local note = sim.param(\"note\", \"\")\n"
	                 "local net = sim.network{}\n"
	                 "local c, s = net:host \"client\", net:host \"server\"\n"
	                 "net:link(c, s, { delay = \"10ms\" })\n"
	                 "s:listen(80)\n"
	                 "c:connect(s, 80, {})\n"
	                 "net:run{ [\"until\"] = \"1s\" }\n"
	                 "sim.log(note)\n",
	                 "note=</script><b>x</b>", NULL, &err);
	ck_assert_msg(rc == 0, "%s", err);
	free(err);
	char run[1300], path[1400];
	snprintf(run, sizeof run, "%s/view_escape/out", TEST_TMP);
	ck_assert_int_eq(SYNSIM("view", run), 0);
	snprintf(path, sizeof path, "%s/view.html", run);
	char *page = read_file(path, NULL);
	ck_assert_int_eq(count(page, "</script"), 2);
	ck_assert_int_eq(count(page, "<b>x</b>"), 0);
	has(page, "\\u003c/script>\\u003cb>x\\u003c/b>");
	free(page);
}
END_TEST

/* A new run into the folder removes the page of the old one. */
START_TEST(test_new_run_removes_page)
{
	const char *run = run_and_view("view_stale", "lost-synack.lua", NULL);
	char path[1300];
	snprintf(path, sizeof path, "%s/view.html", run);
	ck_assert(exists(path));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/handshake.lua",
	                        "--out", run, "-q"), 0);
	ck_assert(!exists(path));
}
END_TEST

/* ---- in the browser ----------------------------------------------------------- */

/* The demo run: one packet element per row of packets.csv, the first
 * event highlighted, and a screenshot to look at. */
START_TEST(test_demo_renders)
{
	const char *run = run_and_view("view_demo", "lost-synack.lua", NULL);
	char csv[1300], buf[64];
	snprintf(csv, sizeof csv, "%s/packets.csv", run);
	int rows = csv_rows(csv);
	ck_assert_int_eq(rows, 20);
	char *dom = view_dom(run, NULL);
	ck_assert_int_eq(count(dom, "<g class=\"pkt "), rows);
	/* Every row once, by its number. */
	for (int r = 0; r < rows; r++) {
		char want[64];
		snprintf(want, sizeof want, "data-row=\"%d\" data-step=", r);
		ck_assert_msg(count(dom, want) == 1, "row %d drawn %d times", r,
		              count(dom, want));
	}
	ck_assert_str_eq(attr(dom, "<p id=\"status\"", "data-step", buf,
	                      sizeof buf), "0");
	has(dom, "0.000000 s · client #1 CLOSED → SYN-SENT (connect() "
	                "called)");
	has(dom, "synsim view — lost-synack.lua (seed 1)");
	has(dom, "<code id=\"fingerprint\">");
	/* The drop, with what took it. */
	has(dom, ">✕</text>");
	has(dom, ">rule #1</text>");
	/* Cut idle stretches: to the client's SYN timer (1.012792873 s on
	 * its timer wheel) and its TIME-WAIT (to 62.580792873 s). */
	has(dom, ">963 ms idle</text>");
	has(dom, ">61.3 s idle</text>");
	free(dom);

	screenshot(run, "step=7", "lost-synack.png");
}
END_TEST

/* #step=N opens at event N: another element is highlighted. */
START_TEST(test_step_moves_highlight)
{
	const char *run = run_and_view("view_step", "lost-synack.lua", NULL);
	char buf[64];
	/* Steps go by event_no: step 5 is event 6, packets.csv row 3
	 * (0-based), the SYN-ACK's drop. */
	char *dom = view_dom(run, "step=5");
	ck_assert_str_eq(attr(dom, "<p id=\"status\"", "data-step", buf,
	                      sizeof buf), "5");
	ck_assert_str_eq(attr(dom, "<p id=\"status\"", "data-kind", buf,
	                      sizeof buf), "packet");
	ck_assert_str_eq(attr(dom, "<p id=\"status\"", "data-row", buf,
	                      sizeof buf), "3");
	ck_assert_int_eq(count(dom, " cur\""), 1);
	has(dom, "<g class=\"pkt ev-drop cur\" data-row=\"3\" data-step=\"5\" tabindex=\"0\"");
	has(dom, "client-server drops SYN+ACK 0 ack 1 server→client: "
	                "rule #1: 1st SYN+ACK from server");
	free(dom);
	dom = view_dom(run, "step=6");
	ck_assert_int_eq(count(dom, " cur\""), 1);
	has(dom, "<g class=\"pkt ev-send retx cur\" data-row=\"4\" data-step=\"6\"");
	free(dom);
}
END_TEST

/* Right-arrow stepping from the first event to the last: each step
 * highlights its own event, and each state change of states.csv is
 * said with its cause and rule, in order. */
START_TEST(test_walk_every_state_change)
{
	const char *run = run_and_view("view_walk", "lost-synack.lua", NULL);
	char *dom = view_dom(run, "walk");
	ck_assert_int_eq(count(dom, "<li data-step="), 31);
	for (int k = 0; k < 31; k++) {
		char want[80];
		snprintf(want, sizeof want, "<li data-step=\"%d\" data-cur=\"%d\"",
		         k, k);
		ck_assert_msg(strstr(dom, want) != NULL, "step %d: highlight "
		              "elsewhere", k);
	}
	static const char *const changes[] = {
		"client #1 CLOSED → SYN-SENT (connect() called) | Because: "
		"connect() called[RFC 9293 3.10.1, OPEN call, CLOSED state]",
		"server #1 LISTEN → SYN-RECEIVED (SYN received) | Because: SYN "
		"received[RFC 9293 3.10.7.2, LISTEN state, third check]",
		"client #1 SYN-SENT → ESTABLISHED (SYN+ACK received) | Because: "
		"SYN+ACK received[RFC 9293 3.10.7.3, SYN-SENT, fourth check]",
		"client #1 ESTABLISHED → FIN-WAIT-1 (application closed)",
		"server #1 SYN-RECEIVED → ESTABLISHED (ACK of our SYN received)",
		"server #1 ESTABLISHED → CLOSE-WAIT (FIN received)",
		"server #1 CLOSE-WAIT → LAST-ACK (application closed)",
		"client #1 FIN-WAIT-1 → FIN-WAIT-2 (ACK of our FIN received)",
		"client #1 FIN-WAIT-2 → TIME-WAIT (FIN received)",
		"server #1 LAST-ACK → CLOSED (ACK of our FIN received)",
		"client #1 TIME-WAIT → CLOSED (TIME-WAIT timer expired) | "
		"Because: TIME-WAIT timer expired[RFC 9293 3.10.8, time-wait "
		"timeout: delete the TCB]",
	};
	const char *p = dom;
	for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
		const char *q = strstr(p, changes[i]);
		ck_assert_msg(q != NULL, "not said (in order): %s", changes[i]);
		p = q;
	}
	/* Arrivals say the rule that decided them. */
	has(dom, "server receives SYN 0 client→server | [RFC 9293 "
	                "3.10.7.2, LISTEN, third check: SYN, a new connection]");
	free(dom);
}
END_TEST

/* Page Down goes from state change to state change: from the first
 * event (itself one) through all eleven, in order, and no further. */
START_TEST(test_walk_states)
{
	const char *run = run_and_view("view_walk_states", "lost-synack.lua",
	                               NULL);
	char *dom = view_dom(run, "walk=states");
	ck_assert_int_eq(count(dom, "<li data-step="), 11);
	/* Steps by event_no - 1: the states.csv rows' event numbers. */
	static const int at[] = { 0, 3, 10, 13, 16, 20, 21, 25, 26, 29, 30 };
	for (int i = 0; i < 11; i++) {
		char want[80];
		snprintf(want, sizeof want, "<li data-step=\"%d\" data-cur=\"%d\" "
		         "data-kind=\"state\"", at[i], at[i]);
		has(dom, want);
	}
	free(dom);
}
END_TEST

/* A packet's fields, its pcapng comment and its --explain rule; the
 * connection's variables and timers at that instant. */
START_TEST(test_packet_details)
{
	const char *run = run_and_view("view_packet", "lost-synack.lua", NULL);
	/* Row 1: the server receives the first SYN. */
	char *dom = view_dom(run, "step=2&packet=1");
	has(dom, "<div id=\"packet\" data-row=\"1\">");
	has(dom, "<dt>pkt_id</dt><dd>1</dd>");
	has(dom, "<dt>options</dt><dd>mss=1460;wscale=7;sackOK;"
	                "ts=3373505969/0</dd>");
	has(dom, "<dt>addresses</dt><dd>10.0.0.1:35655 → "
	                "10.0.0.2:80</dd>");
	has(dom, "<h3>pcapng comment</h3><p>sent by client; received "
	                "by server; server #1 LISTEN → SYN-RECEIVED</p>");
	has(dom, "server: [RFC 9293 3.10.7.2, LISTEN, third check: "
	                "SYN, a new connection]");
	free(dom);
	/* Step 5, the SYN-ACK lost: both sides' variables and timers. */
	dom = view_dom(run, "step=5");
	has(dom, "<th scope=\"row\" title=\"next sequence number to "
	                "send (relative)\">SND.NXT</th><td class=\"num\">1</td>"
	                "<td class=\"num\">1</td>");
	has(dom, "<th scope=\"row\" title=\"next sequence number "
	                "expected (relative)\">RCV.NXT</th><td class=\"num\">-"
	                "</td><td class=\"num\">1</td>");
	/* each on its host's timer wheel (tests/tcp_fixture.h) */
	has(dom, "SYN-RTO at 1.012792873 s (in 963 ms)");
	has(dom, "SYN-ACK-RTO at 1.069807652 s (in 1.02 s)");
	free(dom);
}
END_TEST

/* A SYN flood: thousands of rows, only the window on screen drawn. */
START_TEST(test_flood_windowed)
{
	const char *run = run_and_view("view_flood", "syn-flood.lua", NULL);
	char csv[1300], buf[64];
	snprintf(csv, sizeof csv, "%s/packets.csv", run);
	int rows = csv_rows(csv);
	ck_assert_int_gt(rows, 10000);
	char *dom = view_dom(run, "step=6000");
	int drawn = count(dom, "<g class=\"pkt ");
	ck_assert_int_gt(drawn, 10);
	ck_assert_int_lt(drawn, rows / 10);
	ck_assert_str_eq(attr(dom, "<p id=\"status\"", "data-step", buf,
	                      sizeof buf), "6000");
	ck_assert_int_eq(count(dom, " cur\""), 1);
	char want[64];
	snprintf(want, sizeof want, "%d packet events", rows);
	has(dom, want);
	free(dom);

	screenshot(run, "step=6000", "syn-flood.png");
}
END_TEST

static Suite *
view_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("page");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_usage_errors);
	tcase_add_test(tc, test_damaged_leaves_nothing);
	tcase_add_test(tc, test_bad_capture);
	tcase_add_test(tc, test_self_contained);
	tcase_add_test(tc, test_script_end_escaped);
	tcase_add_test(tc, test_new_run_removes_page);
	suite_add_tcase(s, tc);

	find_chromium();
	if (chromium[0] == '\0') {
		printf("check_view: chromium not found: the browser tests are "
		       "skipped (apt-get install chromium)\n");
		return s;
	}
	tc = tcase_create("browser");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	/* Generous: a loaded 2-core machine may take many seconds to start
	 * a browser, and the sanitizers slow synsim down. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_demo_renders);
	tcase_add_test(tc, test_step_moves_highlight);
	tcase_add_test(tc, test_walk_every_state_change);
	tcase_add_test(tc, test_walk_states);
	tcase_add_test(tc, test_packet_details);
	tcase_add_test(tc, test_flood_windowed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(view_suite());
}
