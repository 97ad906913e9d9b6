/*
 * check_ladder.c - the text sequence diagram: the exact ladder of
 * scenarios/lost-synack.lua in UTF-8 and ASCII (tests/golden/), how the
 * two CSV files merge into one event stream, how drops, duplicates,
 * host discards and unknown addresses are drawn (hand-made CSVs), hosts
 * named like addresses, the latest times, the locale choice of glyphs,
 * widths, and the error messages.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "trace/ladder.h"

/* Run lost-synack.lua once into dir. */
static void
lost_synack_run(const char *name)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", syn_dir, "--quiet"), 0);
}

/* Pin the locale variables the glyph choice reads. */
static void
locale(const char *all, const char *ctype, const char *lang)
{
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	const char *vals[] = { all, ctype, lang };
	for (int i = 0; i < 3; i++) {
		if (vals[i])
			setenv(names[i], vals[i], 1);
		else
			unsetenv(names[i]);
	}
}

/* ---- golden ladders of lost-synack.lua ---------------------------------- */

START_TEST(test_golden_utf8)
{
	lost_synack_run("ladder_golden_utf8");
	char *want = read_golden("lost-synack.ladder.txt");
	locale("C.UTF-8", NULL, NULL);
	ck_assert_int_eq(SYNSIM("ladder", syn_dir), 0);
	ck_assert_str_eq(syn_out, want);
	ck_assert_str_eq(syn_err, "");
	free(want);
}
END_TEST

START_TEST(test_golden_ascii)
{
	lost_synack_run("ladder_golden_ascii");
	char *want = read_golden("lost-synack.ladder-ascii.txt");
	locale("C.UTF-8", NULL, NULL);
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--ascii"), 0);
	ck_assert_str_eq(syn_out, want);
	/* Without UTF-8 in the locale, ASCII is the default. */
	locale("C", NULL, "C.UTF-8");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir), 0);
	ck_assert_str_eq(syn_out, want);
	free(want);
}
END_TEST

/* `run --ladder` prints the same ladder after the run, from its files. */
START_TEST(test_run_ladder)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("ladder_run"));
	char *want = read_golden("lost-synack.ladder.txt");
	locale(NULL, NULL, "en_US.UTF-8");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", syn_dir, "--quiet", "--ladder"), 0);
	ck_assert_str_eq(syn_out, want);
	free(want);
	want = read_golden("lost-synack.ladder-ascii.txt");
	ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
	                        "--out", syn_dir, "--ladder", "--ascii"), 0);
	/* The narration comes first, a blank line, then the ladder. */
	size_t n = strlen(syn_out), w = strlen(want);
	ck_assert_uint_gt(n, w + 1);
	ck_assert_str_eq(syn_out + n - w, want);
	ck_assert_int_eq(syn_out[n - w - 1], '\n');
	ck_assert_int_eq(syn_out[n - w - 2], '\n');
	ck_assert_msg(strncmp(syn_out, "# synsim run", 12) == 0, "%.40s", syn_out);
	free(want);
}
END_TEST

/* LC_ALL wins over LC_CTYPE over LANG; the first one set decides. */
START_TEST(test_locale_choice)
{
	lost_synack_run("ladder_locale");
	static const struct {
		const char *all, *ctype, *lang;
		bool utf8;
	} cases[] = {
		{ NULL, NULL, NULL, false },
		{ "C", NULL, "C.UTF-8", false },
		{ "", "en_GB.utf8", NULL, true },
		{ NULL, "POSIX", "C.UTF-8", false },
		{ NULL, NULL, "de_DE.UTF-8", true },
		{ NULL, NULL, "de_DE.ISO-8859-1", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		locale(cases[i].all, cases[i].ctype, cases[i].lang);
		ck_assert_int_eq(SYNSIM("ladder", syn_dir), 0);
		ck_assert_msg((strstr(syn_out, "│") != NULL) == cases[i].utf8,
		              "case %zu: %.200s", i, syn_out);
		ck_assert_msg((strstr(syn_out, "  |") != NULL) == !cases[i].utf8,
		              "case %zu", i);
	}
}
END_TEST

/* Every line fits the width asked for. */
START_TEST(test_widths)
{
	lost_synack_run("ladder_widths");
	struct ladder_run r;
	char msg[256];
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), 0);
	static const int widths[] = { 0, 40, 58, 120 };
	for (int w = 0; w < 4; w++) {
		for (int ascii = 0; ascii < 2; ascii++) {
			struct ladder l;
			struct ladder_opts o = { .ascii = ascii, .width = widths[w] };
			ck_assert_int_eq(ladder_draw(&r, &o, &l), 0);
			int max = widths[w] ? widths[w] : LADDER_WIDTH;
			ck_assert_int_eq(l.n, 31);	/* header + 30 lines */
			for (int i = 0; i < l.n; i++)
				ck_assert_msg(ladder_cells(l.line[i].text) <= max,
				              "width %d: %s", max, l.line[i].text);
			ladder_free(&l);
		}
	}
	ladder_run_free(&r);
}
END_TEST

/* ---- hand-made runs ----------------------------------------------------- */

static const char pkt_header[] =
	"t_ns,pkt_id,at,link,hop_to,from,to,event,flags,seq,ack,rel_seq,"
	"rel_ack,len,wnd,ttl,options,reason,rule,dup_of\n";
static const char state_header[] =
	"t_ns,host,conn,from_state,to_state,cause,rule\n";

static void
handmade(const char *name, const char *pkts, const char *states)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir(name));
	char *p = malloc(strlen(pkt_header) + strlen(pkts) + 1);
	char *s = malloc(strlen(state_header) + strlen(states) + 1);
	strcat(strcpy(p, pkt_header), pkts);
	strcat(strcpy(s, state_header), states);
	write_file(in_dir("packets.csv"), p);
	write_file(in_dir("states.csv"), s);
	free(p);
	free(s);
}

static char *
draw(bool ascii, int width)
{
	struct ladder_run r;
	struct ladder l;
	char msg[256];
	ck_assert_msg(ladder_load(&r, syn_dir, msg, sizeof msg) == 0, "%s", msg);
	struct ladder_opts o = { .ascii = ascii, .width = width };
	ck_assert_int_eq(ladder_draw(&r, &o, &l), 0);
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	ladder_print(f, &l);
	fclose(f);
	ladder_free(&l);
	ladder_run_free(&r);
	return buf;
}

/* A state change goes after the host's last arrival at that instant,
 * else before its first send, else after every packet of the instant. */
START_TEST(test_merge_order)
{
	handmade("ladder_merge",
	         "0,1,a,l,b,a,b,send,SYN,100,,0,,0,1000,64,,,,\n"
	         "10,1,b,l,b,a,b,recv,SYN,100,,0,,0,1000,64,,,,\n"
	         "10,2,b,l,a,b,a,send,SYN+ACK,500,101,0,1,0,1000,64,,,,\n"
	         "10,2,b,l,a,b,a,send,SYN+ACK,500,101,0,1,0,1000,64,,,,\n"
	         "20,3,a,l,b,a,b,send,RST,101,,1,,0,0,64,,,,\n",
	         "0,a,1,CLOSED,SYN-SENT,connect() called,\n"
	         "10,b,1,LISTEN,SYN-RECEIVED,SYN received,\n"
	         "10,a,1,SYN-SENT,CLOSED,timeout,\n"
	         "20,a,1,CLOSED,CLOSED,again,\n"
	         "30,b,1,SYN-RECEIVED,CLOSED,timeout,\n");
	struct ladder_run r;
	char msg[256];
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), 0);
	static const struct { enum ladder_kind k; int row; } want[] = {
		{ LADDER_STATE, 1 }, { LADDER_PKT, 1 }, { LADDER_PKT, 2 },
		{ LADDER_STATE, 2 }, { LADDER_PKT, 3 }, { LADDER_PKT, 4 },
		{ LADDER_STATE, 3 }, { LADDER_STATE, 4 }, { LADDER_PKT, 5 },
		{ LADDER_STATE, 5 },
	};
	ck_assert_int_eq(r.nev, 10);
	for (int i = 0; i < r.nev; i++) {
		ck_assert_msg(r.ev[i].kind == want[i].k && r.ev[i].row == want[i].row,
		              "event %d: kind %d row %d", i, r.ev[i].kind,
		              r.ev[i].row);
	}
	ck_assert_int_eq(r.ev[9].t, 30);
	ladder_run_free(&r);
}
END_TEST

/* A router drop later on the way (middle, a stub), a duplicate, a packet
 * the receiving host discards (✕ at its column), an address no host owns
 * (the "(others)" column), a send dropped at once (merged on one line). */
START_TEST(test_drops_and_duplicates)
{
	handmade("ladder_drops",
	         "0,1,alice,l1,r,alice,bob,send,SYN,0,,0,,0,1000,64,,,,\n"
	         "5,1,r,l2,bob,alice,bob,forward,SYN,0,,0,,0,1000,64,,,,\n"
	         "5,1,l2,l2,bob,alice,bob,drop,SYN,0,,0,,0,1000,64,,queue full,,\n"
	         "1000,2,alice,l1,r,alice,bob,send,SYN,0,,0,,0,1000,64,,"
	         "retransmission,,\n"
	         "1000,3,l1,l1,r,alice,bob,dup,SYN,0,,0,,0,1000,64,,dup,,2\n"
	         "1010,2,bob,l2,bob,alice,bob,recv,SYN,0,,0,,0,1000,64,,,,\n"
	         "1010,3,bob,l2,bob,alice,bob,drop,SYN,0,,0,,0,1000,64,,"
	         "listen queue full,,2\n"
	         "1020,4,bob,l2,r,bob,10.9.9.9,send,RST,7,,,,0,0,64,,,,\n"
	         "1020,4,bob,,,bob,10.9.9.9,drop,RST,7,,,,0,0,64,,no-route,,\n",
	         "");
	char *text = draw(true, 0);
	ck_assert_str_eq(text,
"                  alice                      bob                     (others)\n"
"   0.000000s        |----SYN 0----            |                          |\n"
"   0.000000s        |   --SYN 0--X queue full |                          |\n"
"   0.000001s        |----SYN 0---- retrans... |                          |\n"
"   0.000001s        |   --SYN 0--+ duplicated |                          |\n"
"   0.000001s        |            ---SYN 0---->|                          |\n"
"   0.000001s        | listen ... ---SYN 0----X|                          |\n"
"   0.000001s        |                         |---RST 7----X no-route    |\n");
	free(text);
	text = draw(false, 0);
	ck_assert_str_eq(text,
"                  alice                      bob                     (others)\n"
"   0.000000s        ├────SYN 0────            │                          │\n"
"   0.000000s        │   ──SYN 0──✕ queue full │                          │\n"
"   0.000001s        ├────SYN 0──── retransmi… │                          │\n"
"   0.000001s        │   ──SYN 0──+ duplicated │                          │\n"
"   0.000001s        │            ───SYN 0────▶│                          │\n"
"   0.000001s        │ listen qu… ───SYN 0────✕│                          │\n"
"   0.000001s        │                         ├───RST 7────✕ no-route    │\n");
	free(text);
}
END_TEST

/* Data labels carry the length; several connections number the states;
 * a name too long for its column is cut; right-to-left arrows. */
START_TEST(test_labels)
{
	handmade("ladder_labels",
	         "0,1,a-very-long-host-name-indeed,l,b,"
	         "a-very-long-host-name-indeed,b,send,PSH+ACK,1001,2001,1,1,"
	         "100,501,64,,,,\n"
	         "50,2,b,l,a,b,a-very-long-host-name-indeed,send,ACK,2001,1101,"
	         "1,101,0,501,64,,,,\n"
	         "100,2,a-very-long-host-name-indeed,l,a,b,"
	         "a-very-long-host-name-indeed,recv,ACK,2001,1101,1,101,0,501,"
	         "64,,,,\n",
	         "60,b,2,ESTABLISHED,CLOSE-WAIT,FIN received,\n");
	char *text = draw(true, 60);
	ck_assert_str_eq(text,
"              a-very-long-host-name-indeed           b\n"
"   0.000000s        |--PSH+ACK 1 ack 1 len 100--     |\n"
"   0.000000s        |               --ACK 1 ack 101--|\n"
"   0.000000s        |          (FIN received)  #2 CLOSE-WAIT\n"
"   0.000000s        |<-ACK 1 ack 101--               |\n");
	free(text);
	/* Narrower: names and labels cut, the cause left out. */
	text = draw(true, 40);
	ck_assert_str_eq(text,
"              a-very-lo...       b\n"
"   0.000000s        |-PSH+AC...- |\n"
"   0.000000s        | -ACK 1 ...-|\n"
"   0.000000s        |      #2 CLOSE-WAIT\n"
"   0.000000s        |<-ACK 1...- |\n");
	free(text);
}
END_TEST

/* A states.csv host is a host even when its name reads like an address
 * (a scenario may name one "123"): it gets its own column, and only
 * addresses no host owns go to "(others)". */
START_TEST(test_address_like_hosts)
{
	handmade("ladder_address_hosts",
	         "0,1,123,l,10.0.0.9,123,10.0.0.9,send,SYN,0,,0,,0,1000,64,,,,\n"
	         "10,1,10.0.0.9,l,10.0.0.9,123,10.0.0.9,recv,SYN,0,,0,,0,1000,64,"
	         ",,,\n"
	         "10,2,10.0.0.9,l,123,10.0.0.9,10.9.9.9,send,RST,7,,,,0,0,64,,,,\n",
	         "0,123,1,CLOSED,SYN-SENT,connect() called,\n"
	         "10,10.0.0.9,1,LISTEN,SYN-RECEIVED,SYN received,\n");
	char *text = draw(true, 0);
	ck_assert_str_eq(text,
"                   123                    10.0.0.9                   (others)\n"
"   0.000000s    SYN-SENT  (connect() called)  |                          |\n"
"   0.000000s        |----SYN 0----            |                          |\n"
"   0.000000s        |            ---SYN 0---->|                          |\n"
"   0.000000s        |                   SYN-RECEIVED  (SYN received)     |\n"
"   0.000000s        |                         |----RST 7----             |\n");
	free(text);
	/* With no "(others)" column at all (the state row read column -1). */
	handmade("ladder_address_hosts",
	         "0,1,a,l,b,a,b,send,SYN,0,,0,,0,1000,64,,,,\n",
	         "0,10.0.0.99,1,CLOSED,SYN-SENT,connect() called,\n");
	text = draw(true, 0);
	ck_assert_str_eq(text,
"                    a                         b                      10.0.0.99\n"
"   0.000000s        |----SYN 0----            |                          |\n"
"   0.000000s        |                         |  (connect() called)  SYN-SENT\n");
	free(text);
}
END_TEST

/* A state change without a host has no column to be drawn in (it was
 * read from before the columns): ladder and diff refuse the file. */
START_TEST(test_empty_host)
{
	handmade("ladder_empty_host",
	         "0,1,a,l,b,a,b,send,SYN,0,,0,,0,1000,64,,,,\n",
	         "0,a,1,CLOSED,SYN-SENT,connect() called,\n"
	         "0,,1,LISTEN,SYN-RECEIVED,SYN received,\n");
	struct ladder_run r;
	char msg[1300], want[1400];
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s row 2: empty host", in_dir("states.csv"));
	ck_assert_str_eq(msg, want);
	ck_assert_int_eq(SYNSIM("ladder", syn_dir), 2);
	snprintf(want, sizeof want, "synsim: %s row 2: empty host\n",
	         in_dir("states.csv"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
	ck_assert_int_eq(SYNSIM("diff", syn_dir, syn_dir), 2);
	snprintf(want, sizeof want, "synsim: diff: %s row 2: empty host\n",
	         in_dir("states.csv"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");
}
END_TEST

/* The latest time a file can hold: ladder prints it, diff names it, no
 * arithmetic overflows (the sanitizer build aborts on one). */
START_TEST(test_latest_time)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("ladder_latest"));
	char a[1200], b[1200];
	snprintf(a, sizeof a, "%s", in_dir("a"));
	snprintf(b, sizeof b, "%s", in_dir("b"));
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(SYNSIM("run", SOURCE_DIR "/scenarios/lost-synack.lua",
		                        "--out", i ? b : a, "--quiet"), 0);
	const char *path = in_dir("b/packets.csv");
	char *text = read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	char *last = strstr(text, "\n1263176873,10,");
	ck_assert_ptr_nonnull(last);
	size_t n = strlen(text) + 32;
	char *out = malloc(n);
	snprintf(out, n, "%.*s\n9223372036854775807%s", (int)(last - text), text,
	         last + strlen("\n1263176873"));
	write_file(path, out);
	free(out);
	free(text);

	locale("C", NULL, NULL);
	ck_assert_int_eq(SYNSIM("ladder", b), 0);
	ck_assert_str_eq(syn_err, "");
	ck_assert_msg(strstr(syn_out, "\n9223372036.854775s        |") != NULL,
	              "%s", syn_out);
	ck_assert_int_eq(SYNSIM("diff", a, b), 1);
	ck_assert_str_eq(syn_err, "");
	ck_assert_msg(strstr(syn_out, "the runs differ from event 29 of 31 | 31\n")
	              != NULL, "%s", syn_out);
	ck_assert_msg(strstr(syn_out, " 1263176873 ") != NULL &&
	              strstr(syn_out, " 9223372036854775807\n") != NULL, "%s",
	              syn_out);
}
END_TEST

/* ---- errors ------------------------------------------------------------- */

/* --hosts a,b: the spoofed SYN from x to b, and b's connection with it,
 * are left out (states.csv's peer column says whose a connection is). */
START_TEST(test_hosts)
{
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("ladder_hosts"));
	char *p = malloc(strlen(pkt_header) + 512);
	strcat(strcpy(p, pkt_header),
	       "0,1,a,l,b,a,b,send,SYN,100,,0,,0,1000,64,,,,\n"
	       "5000000,2,x,m,b,198.18.0.1,b,send,SYN,7,,0,,0,1000,64,,,,\n"
	       "10000000,1,b,l,b,a,b,recv,SYN,100,,0,,0,1000,64,,,,\n"
	       "10000000,3,b,l,a,b,a,send,SYN+ACK,500,101,0,1,0,1000,64,,,,\n"
	       "15000000,2,b,m,b,198.18.0.1,b,recv,SYN,7,,0,,0,1000,64,,,,\n"
	       "20000000,3,a,l,a,b,a,recv,SYN+ACK,500,101,0,1,0,1000,64,,,,\n");
	write_file(in_dir("packets.csv"), p);
	free(p);
	write_file(in_dir("states.csv"),
	           "t_ns,host,conn,from_state,to_state,cause,rule,peer\n"
	           "0,a,1,CLOSED,SYN-SENT,connect() called,,b\n"
	           "10000000,b,1,LISTEN,SYN-RECEIVED,SYN received,,a\n"
	           "15000000,b,2,LISTEN,SYN-RECEIVED,SYN received,,198.18.0.1\n"
	           "20000000,a,1,SYN-SENT,ESTABLISHED,SYN+ACK received,,b\n");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--ascii", "--hosts", "a,b"),
	                 0);
	ck_assert_str_eq(syn_err, "");
	ck_assert_str_eq(syn_out,
		"                    a                                                    b\n"
		"   0.000000s    SYN-SENT  (connect() called)                             |\n"
		"   0.000000s        |----------SYN 0-----------                          |\n"
		"   0.010000s        |                         ----------SYN 0----------->|\n"
		"   0.010000s        |                              (SYN received)  SYN-RECEIVED\n"
		"   0.010000s        |                          -----SYN+ACK 0 ack 1------|\n"
		"   0.020000s        |<-----SYN+ACK 0 ack 1------                         |\n"
		"   0.020000s   ESTABLISHED  (SYN+ACK received)                           |\n");
	/* x sent only with a spoofed address: it is in the run, though no
	 * packet has it for an end. */
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--hosts", "x"), 0);
	/* A peer not written down is not known, not "no peer": the
	 * connection stays. */
	write_file(in_dir("states.csv"),
	           "t_ns,host,conn,from_state,to_state,cause,rule,peer\n"
	           "0,a,1,CLOSED,SYN-SENT,connect() called,,\n");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--ascii", "--hosts", "a,b"),
	                 0);
	assert_has(syn_out, "SYN-SENT  (connect() called)");
	/* Without it, the spoofed SYN has its column. */
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--ascii"), 0);
	ck_assert_ptr_nonnull(strstr(syn_out, "(others)"));
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--hosts", "a,c"), 2);
	ck_assert_str_eq(syn_err, "synsim: --hosts: this run has no node c\n(synsim --help "
	                 "shows the usage)\n");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--hosts"), 2);
	ck_assert_str_eq(syn_err, "synsim: --hosts needs a value\n(synsim --help "
	                 "shows the usage)\n");
}
END_TEST

START_TEST(test_errors)
{
	struct ladder_run r;
	char msg[1300], want[1400];
	snprintf(syn_dir, sizeof syn_dir, "%s", test_dir("ladder_errors"));

	/* No such folder: the command says so and exits 2. */
	ck_assert_int_eq(SYNSIM("ladder", in_dir("nope")), 2);
	snprintf(want, sizeof want, "synsim: cannot open run folder %s: No such "
	         "file or directory\n", in_dir("nope"));
	ck_assert_str_eq(syn_err, want);
	ck_assert_str_eq(syn_out, "");

	/* A folder without the files. */
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "cannot read %s: No such file or directory",
	         in_dir("packets.csv"));
	ck_assert_str_eq(msg, want);

	/* A file that is not ours. */
	write_file(in_dir("packets.csv"), "t_ns,pkt_id\n1,2\n");
	write_file(in_dir("states.csv"), state_header);
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s: no column 'at' (not written by "
	         "synsim?)", in_dir("packets.csv"));
	ck_assert_str_eq(msg, want);

	/* Rows out of time order, and a ragged row. */
	handmade("ladder_errors", "", "5,a,1,CLOSED,SYN-SENT,x,\n"
	                              "4,a,1,SYN-SENT,CLOSED,y,\n");
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s: line 3: bad or out-of-order t_ns '4'",
	         in_dir("states.csv"));
	ck_assert_str_eq(msg, want);
	/* Values no run writes. */
	handmade("ladder_errors", "", "5,a,1,CLOSED,BOGUS,x,\n");
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s row 1: bad to_state 'BOGUS'",
	         in_dir("states.csv"));
	ck_assert_str_eq(msg, want);
	handmade("ladder_errors", "0,-1,a,l,b,a,b,send,SYN,1,,0,,0,1000,64,,,,\n",
	         "");
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s row 1: bad pkt_id '-1'",
	         in_dir("packets.csv"));
	ck_assert_str_eq(msg, want);
	handmade("ladder_errors", "", "5,a,1,CLOSED\n");
	ck_assert_int_eq(ladder_load(&r, syn_dir, msg, sizeof msg), -1);
	snprintf(want, sizeof want, "%s row 1: fewer fields than the header",
	         in_dir("states.csv"));
	ck_assert_str_eq(msg, want);
	ck_assert_int_eq(SYNSIM("ladder", syn_dir), 2);
	snprintf(want, sizeof want, "synsim: %s\n", msg);
	ck_assert_str_eq(syn_err, want);

	/* Usage. */
	ck_assert_int_eq(SYNSIM("ladder"), 2);
	ck_assert_str_eq(syn_err, "synsim: ladder: which run? (synsim ladder DIR)\n"
	                      "(synsim --help shows the usage)\n");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, "--frob"), 2);
	ck_assert_str_eq(syn_err, "synsim: unknown option --frob\n"
	                      "(synsim --help shows the usage)\n");
	ck_assert_int_eq(SYNSIM("ladder", syn_dir, syn_dir), 2);

	/* An empty run draws just the header line. */
	handmade("ladder_errors", "", "");
	char *text = draw(true, 0);
	ck_assert_str_eq(text, "\n");
	free(text);
}
END_TEST

static Suite *
ladder_suite(void)
{
	Suite *s = suite_create("ladder");
	TCase *tc = tcase_create("golden");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_golden_utf8);
	tcase_add_test(tc, test_golden_ascii);
	tcase_add_test(tc, test_run_ladder);
	tcase_add_test(tc, test_locale_choice);
	tcase_add_test(tc, test_widths);
	suite_add_tcase(s, tc);

	tc = tcase_create("handmade");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_merge_order);
	tcase_add_test(tc, test_drops_and_duplicates);
	tcase_add_test(tc, test_labels);
	tcase_add_test(tc, test_address_like_hosts);
	tcase_add_test(tc, test_empty_host);
	tcase_add_test(tc, test_latest_time);
	tcase_add_test(tc, test_hosts);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(ladder_suite());
}
