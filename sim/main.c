/*
 * main.c - the `synsim` command line.
 *
 *   synsim run SCENARIO|NAME [-D name=value]... [-K host.knob=value]...
 *                       [--answer id=value]... [--seed N] [--out DIR]
 *                       [--until T] [--max-events N] [--quiet] [-v]
 *                       [--ladder] [--ascii]
 *   synsim ladder DIR [--ascii] [--hosts LIST]
 *   synsim diff DIR_A DIR_B [--ascii] [--hosts LIST]
 *   synsim plot DIR [--format png|svg] [--from T] [--to T] [--hosts LIST]
 *   synsim pkt SCRIPT.pkt [--profile P] [--out DIR] (pkt/pktrun.c)
 *   synsim sweep | merge | explore ...   (sweep/sweep.h)
 *   synsim view DIR
 *   synsim --help | --version
 *
 * Exit status: 0 ok, 1 an expectation failed, 2 usage or scenario error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"
#include "library.h"
#include "core/outfile.h"
#include "core/simtime.h"
#include "pkt/pktrun.h"
#include "run.h"
#include "sweep/sweep.h"
#include "trace/diff.h"
#include "trace/hostsel.h"
#include "trace/ladder.h"
#include "view/plot.h"
#include "view/html.h"

#ifndef SYNSIM_VERSION
#define SYNSIM_VERSION "0.0.0"
#endif

static const char usage_text[] =
"usage: synsim run SCENARIO|NAME [options]\n"
"       synsim list\n"
"       synsim ladder DIR [--ascii] [--hosts A,B,...]\n"
"       synsim diff DIR_A DIR_B [--ascii] [--hosts A,B,...]\n"
"       synsim plot DIR [--format png|svg] [--from T] [--to T]\n"
"                       [--hosts A,B,...] [--conn HOST#N | --all]\n"
"       synsim pkt SCRIPT.pkt [--profile P] [--out DIR]  (synsim pkt --help)\n"
"       synsim sweep SCENARIO -P name=v1,v2,... [-P name=start:stop:step]...\n"
"                    [-D name=value]... [--reps N] [--seed S] [-j N]\n"
"                    [--until T] [--max-events N]\n"
"                    [--resume] [--shard I/N] [--emit-jobs FILE [--shards N]]\n"
"                    --out DIR\n"
"       synsim merge DIR... --out MERGED\n"
"       synsim explore SCENARIO --first K [-D name=value]... [--seed S]\n"
"       synsim view DIR\n"
"       synsim --help | --version\n"
"\n"
"Run a Lua scenario in a deterministic discrete-event simulation.\n"
"A NAME that is not a file is looked up in the scenario library, which\n"
"synsim list prints (name and what each one shows).\n"
"\n"
"options for run:\n"
"  -D name=value     set a scenario parameter read with sim.param()\n"
"  -K host.knob=V    set a TCP knob of one host (-K knob=V: every host),\n"
"                    over the scenario's own setting\n""  --answer id=V     your prediction for the scenario's question id: graded\n"
"                    after the run (a wrong one exits 1)\n"
"  --seed N          run seed (default 1); same seed, same outputs\n"
"  --out DIR         output folder (default out/<scenario name>)\n"
"  --until T         stop at simulated time T (e.g. 30s)\n"
"  --max-events N    stop after N events\n"
"  --max-memory SIZE     Lua memory cap (default 1GiB; none: no cap)\n"
"  --max-instructions N  Lua instructions over the whole run\n"
"                        (default 150000000, about a second; none)\n"
"  --max-instant-events N  events at one simulated instant\n"
"                        (default 1000000; none)\n"
"  --max-packets N       packets in flight at once (default 1000000; none)\n"
"  --quiet           do not narrate on stdout\n"
"  --explain         name the RFC rule or profile choice behind each decision\n"
"  --absolute        absolute sequence numbers (default: relative to the ISN)\n"
"  --timers          narrate every timer set and cancelled, not only expiries\n"
"  --outputs LIST    write only these of trace,csv,pcap,summary,connections,\n"
"                    explain (default all: summary.json with a record per\n"
"                    connection, explain.csv, no connections.csv)\n"
"  -v, --verbose     full Lua tracebacks on errors\n"
"  --ladder          after the run, print its sequence diagram as text\n"
"  --pkt HOST        write HOST's first connection as a packetdrill script,\n"
"                    DIR/HOST.pkt (replay it with synsim pkt)\n"
"  --ascii           draw with ASCII only (the default unless the locale\n"
"                    is UTF-8)\n"
"\n"
"ladder prints the sequence diagram of a finished run (its --out DIR);\n"
"diff finds the first event where two finished runs differ (exit 1, or\n"
"0 when they are identical).\n"
"plot draws a finished run with gnuplot: DIR/ladder.png (sequence diagram),\n"
"states.png (state timeline), handshake.png (2+ handshakes); --format svg,\n"
"--from T and --to T choose the format and a time window, --hosts only\n"
"the packets and connections between the hosts named, --conn one\n"
"connection (both sides); a run with more than a ladder holds is drawn\n"
"for its first active opens (the note says what was left out) unless --all.\n"
"\n"
"sweep runs the scenario at every point of the -P grid, --reps times each,\n"
"on -j workers (default: every core), into DIR/runs.csv, conns.csv and\n"
"summary.csv; plot DIR then draws DIR/sweep.png.  --resume finishes a\n"
"stopped sweep; --emit-jobs writes one command per shard (GNU parallel,\n"
"Slurm) and merge joins the shards.  explore runs every way of losing the\n"
"first K segments of the first connection and groups them by outcome.\n"
"view writes DIR/view.html, the run as one page to step through in a\n"
"browser (no network needed).\n"
"\n"
"exit status: 0 ok, 1 an expectation failed, 2 usage or scenario error\n";

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

/* "scenarios/lost-synack.lua" -> "out/lost-synack" */
static char *
default_outdir(const char *scenario)
{
	const char *base = strrchr(scenario, '/');
	base = base ? base + 1 : scenario;
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".lua") == 0)
		n -= 4;
	char *dir = malloc(n + 5);
	if (dir)
		snprintf(dir, n + 5, "out/%.*s", (int)n, base);
	return dir;
}

/* ASCII when asked for, or unless the locale says UTF-8 (LC_ALL, else
 * LC_CTYPE, else LANG: the first one set decides, as for setlocale). */
static bool
want_ascii(bool asked)
{
	if (asked)
		return true;
	const char *names[] = { "LC_ALL", "LC_CTYPE", "LANG" };
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(names[i]);
		if (v == NULL || *v == '\0')
			continue;
		return !(strstr(v, "UTF-8") || strstr(v, "utf-8") ||
		         strstr(v, "UTF8") || strstr(v, "utf8"));
	}
	return true;
}

static int
print_ladder(const char *dir, bool ascii, struct hostsel *hosts)
{
	struct ladder_run r;
	struct ladder l;
	char err[1200];
	if (ladder_load(&r, dir, err, sizeof err) < 0) {
		fprintf(stderr, "synsim: %s\n", err);
		return 2;
	}
	int st = 0;
	if (hosts) {
		ladder_select(&r, hosts);
		st = hostsel_check(hosts);
	}
	if (st) {
		ladder_run_free(&r);
		return st;
	}
	struct ladder_opts o = { .ascii = ascii };
	int rc = ladder_draw(&r, &o, &l);
	ladder_run_free(&r);
	if (rc < 0) {
		fputs("synsim: ladder: out of memory\n", stderr);
		return 2;
	}
	ladder_print(stdout, &l);
	ladder_free(&l);
	return 0;
}

/* synsim ladder DIR [--ascii] [--hosts LIST]  and
 * synsim diff DIR_A DIR_B [--ascii] [--hosts LIST] */
static int
cmd_ladder_diff(const char *cmd, int argc, char **argv)
{
	const char *dirs[2] = { NULL, NULL };
	int ndirs = 0, want = strcmp(cmd, "diff") == 0 ? 2 : 1, rc = 0;
	bool ascii = false;
	struct hostsel hosts = { 0 };
	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "--ascii") == 0)
			ascii = true;
		else if (strcmp(argv[i], "--hosts") == 0)
			rc = i + 1 < argc ? hostsel_parse(&hosts, argv[++i]) :
			     sim_usage_error("%s needs a value", argv[i]);
		else if (argv[i][0] == '-' && argv[i][1] != '\0')
			rc = sim_usage_error("unknown option %s", argv[i]);
		else if (ndirs < want)
			dirs[ndirs++] = argv[i];
		else
			rc = sim_usage_error("too many folders (also got %s)", argv[i]);
	}
	if (rc == 0 && ndirs < want)
		rc = sim_usage_error("%s", want == 2 ?
		                 "diff: which runs? (synsim diff DIR_A DIR_B)" :
		                 "ladder: which run? (synsim ladder DIR)");
	if (rc == 0) {
		ascii = want_ascii(ascii);
		rc = want == 1 ? print_ladder(dirs[0], ascii, &hosts) :
		     diff_runs(dirs[0], dirs[1], ascii, &hosts, stdout, stderr);
	}
	hostsel_free(&hosts);
	return rc;
}

/* The limits of a run (--max-memory, --max-instructions,
 * --max-instant-events, --max-packets): 1 when a is one of them (its
 * value read), 0 when it is not, 2 after a usage error. */
static int
limit_option(const char *a, const char *val, struct run_opts *o)
{
	static const char *const names[] = {
		"--max-memory", "--max-instructions", "--max-instant-events",
		"--max-packets",
	};
	uint64_t *dst[] = { &o->max_memory, &o->max_instructions,
	                    &o->max_instant_events, &o->max_packets };
	for (int i = 0; i < 4; i++) {
		if (strcmp(a, names[i]) != 0)
			continue;
		if (val == NULL)
			return sim_usage_error("%s needs a value", a);
		if (strcmp(val, "none") == 0) {
			*dst[i] = UINT64_MAX;
			return 1;
		}
		char err[UNITS_ERRLEN], msg[UNITS_ERRLEN + 300];
		if (i == 0 ? units_parse_size(val, dst[i], err) < 0 :
		    parse_u64(val, dst[i]) < 0 || *dst[i] == 0) {
			snprintf(msg, sizeof msg, "%s %.100s: expected %s, or none",
			         a, val, i == 0 ? "a size such as 512MiB" :
			         "a positive whole number");
			return sim_usage_error("%s", msg);
		}
		if (*dst[i] == 0) {
			snprintf(msg, sizeof msg, "%s %.100s: expected a size above "
			         "zero, or none", a, val);
			return sim_usage_error("%s", msg);
		}
		return 1;
	}
	return 0;
}

static int
cmd_run(int argc, char **argv)
{
	struct run_opts o = { .seed = 1, .until = SIMTIME_MAX };
	char **params = calloc((size_t)argc, sizeof *params);
	char **knobs = calloc((size_t)argc + 1, sizeof *knobs);
	char **answers = calloc((size_t)argc + 1, sizeof *answers);
	char found[4096];
	char *outdir = NULL;
	bool ladder = false, ascii = false;
	int rc = 2;
	if (params == NULL || knobs == NULL || answers == NULL) {
		free(params);
		free(knobs);
		free(answers);
		return 2;
	}

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool takes = strcmp(a, "-D") == 0 || strcmp(a, "-K") == 0 ||
		             strcmp(a, "--answer") == 0 ||
		             strcmp(a, "--seed") == 0 ||
		             strcmp(a, "--out") == 0 || strcmp(a, "--until") == 0 ||
		             strcmp(a, "--max-events") == 0 ||
		             strcmp(a, "--outputs") == 0 || strcmp(a, "--pkt") == 0;
		if (takes && val == NULL) {
			rc = sim_usage_error("%s needs a value", a);
			goto out;
		}
		/* "--out --quiet" is a forgotten value, not a folder named
		 * "--quiet". */
		if (takes && strncmp(val, "--", 2) == 0) {
			char what[300];
			snprintf(what, sizeof what, "%s needs a value (got the option "
			         "%.200s)", a, val);
			rc = sim_usage_error("%s", what);
			goto out;
		}
		int lim = takes ? 0 : limit_option(a, val, &o);
		if (lim == 2) {
			rc = 2;
			goto out;
		}
		if (lim == 1) {
			i++;
		} else if (strcmp(a, "-D") == 0) {
			params[o.nparams++] = argv[++i];
		} else if (strncmp(a, "-D", 2) == 0) {
			params[o.nparams++] = argv[i] + 2;
		} else if (strcmp(a, "--answer") == 0) {
			answers[o.nanswers++] = argv[++i];
		} else if (strcmp(a, "-K") == 0) {
			knobs[o.nknobs++] = argv[++i];
		} else if (strncmp(a, "-K", 2) == 0) {
			knobs[o.nknobs++] = argv[i] + 2;
		} else if (strcmp(a, "--seed") == 0) {
			if (parse_u64(val, &o.seed) < 0) {
				rc = sim_usage_error("--seed %s: expected a whole number", val);
				goto out;
			}
			i++;
		} else if (strcmp(a, "--out") == 0) {
			if (*val == '\0') {
				rc = sim_usage_error("%s", "--out: the folder name is empty");
				goto out;
			}
			o.outdir = argv[++i];
		} else if (strcmp(a, "--until") == 0) {
			char err[UNITS_ERRLEN];
			if (units_parse_duration(val, &o.until, err) < 0) {
				rc = sim_usage_error("--until: %s", err);
				goto out;
			}
			i++;
		} else if (strcmp(a, "--max-events") == 0) {
			if (parse_u64(val, &o.max_events) < 0 || o.max_events == 0) {
				rc = sim_usage_error("--max-events %s: expected a positive "
				                 "whole number", val);
				goto out;
			}
			i++;
		} else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
			o.quiet = true;
		} else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			o.verbose = true;
		} else if (strcmp(a, "--explain") == 0) {
			o.explain = true;
		} else if (strcmp(a, "--absolute") == 0) {
			o.absolute = true;
		} else if (strcmp(a, "--timers") == 0) {
			o.timers = true;
		} else if (strcmp(a, "--outputs") == 0) {
			char err[160];
			if (run_parse_outputs(val, &o.outputs, err, sizeof err) < 0) {
				rc = sim_usage_error("--outputs: %s", err);
				goto out;
			}
			i++;
		} else if (strcmp(a, "--pkt") == 0) {
			o.pkt_host = argv[++i];
		} else if (strcmp(a, "--ladder") == 0) {
			ladder = true;
		} else if (strcmp(a, "--ascii") == 0) {
			ascii = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			rc = sim_usage_error("unknown option %s", a);
			goto out;
		} else if (o.scenario == NULL) {
			o.scenario = a;
		} else {
			rc = sim_usage_error("one scenario at a time (also got %s)", a);
			goto out;
		}
	}
	if (o.scenario == NULL) {
		rc = sim_usage_error("%s", "run: which scenario? (synsim run FILE.lua)");
		goto out;
	}
	if (ladder && o.outputs && !(o.outputs & RUN_OUT_CSV)) {
		rc = sim_usage_error("%s", "--ladder draws from the CSV files: add csv "
		                 "to --outputs");
		goto out;
	}
	/* Not a file: a scenario of the library, by name. */
	if (access(o.scenario, F_OK) != 0 &&
	    library_find(o.scenario, found, sizeof found) == 0)
		o.scenario = found;
	if (o.outdir == NULL)
		o.outdir = outdir = default_outdir(o.scenario);
	o.params = params;
	o.knobs = knobs;
	o.answers = answers;
	rc = run_scenario(&o);
	/* The ladder is drawn from the files the run just wrote. */
	if (ladder && rc != 2) {
		if (!o.quiet)
			putchar('\n');	/* apart from the narration */
		fflush(stdout);
		int lrc = print_ladder(o.outdir, want_ascii(ascii), NULL);
		if (lrc != 0)
			rc = lrc;
	}
out:
	free(outdir);
	free(params);
	free(knobs);
	free(answers);
	return rc;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		return sim_usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("synsim %s\n", SYNSIM_VERSION);
		return 0;
	}
	outfile_catch_signals();
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	if (strcmp(cmd, "list") == 0)
		return argc > 2 ? sim_usage_error("list takes no arguments (got %s)",
		                                  argv[2]) : library_list(stdout);
	if (strcmp(cmd, "ladder") == 0 || strcmp(cmd, "diff") == 0)
		return cmd_ladder_diff(cmd, argc - 2, argv + 2);
	if (strcmp(cmd, "plot") == 0)
		return argc > 2 && sweep_is_dir(argv[2]) ?
		       sweep_plot_main(argc - 2, argv + 2) :
		       plot_main(argc - 2, argv + 2);
	if (strcmp(cmd, "sweep") == 0)
		return sweep_main(argc - 2, argv + 2);
	if (strcmp(cmd, "merge") == 0)
		return sweep_merge_main(argc - 2, argv + 2);
	if (strcmp(cmd, "explore") == 0)
		return sweep_explore_main(argc - 2, argv + 2);
	if (strcmp(cmd, "pkt") == 0)
		return pkr_main(argc - 2, argv + 2);
	if (strcmp(cmd, "view") == 0)
		return view_main(argc - 2, argv + 2);
	return sim_usage_error("unknown command '%s'", cmd);
}
