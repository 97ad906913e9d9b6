/*
 * check_badcalls.c - a table of wrong calls to the scenario API and the
 * sandbox, each with the exact first line it must be reported with: the
 * scenario's "file:line:", the function by its own name, the argument
 * and what was given.  Every one exits 2 and leaves nothing in --out
 * (not even the folder).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

/* NET: the call comes on line 7, after a network with hosts a and b, a
 * link l between them, a listener ls on b and a connection c from a.
 * NONE: the call is line 1 of an empty scenario. */
/* AFTER: no prelude, and the error comes after a whole run, whose
 * outputs are kept (a scenario that fails after its run keeps them). */
enum prelude { NET, NONE, AFTER };

static const char net_prelude[] =
	"local net = sim.network{}\n"
	"local a = net:host 'a'\n"
	"local b = net:host 'b'\n"
	"local l = net:link(a, b, { delay = '10ms' })\n"
	"local ls = b:listen(80)\n"
	"local c = a:connect(b, 80)\n";

static const struct {
	enum prelude prelude;
	const char *call;	/* Lua source */
	const char *msg;	/* the first line of stderr after "s.lua:" */
} bad[] = {
	{ NET, "sim.at(-1, function() end)",
	  "7: sim.at: time: negative value -1" },
	{ NET, "sim.at('5ms\\0junk', function() end)",
	  "7: sim.at: time: \"5ms\\x00junk\" holds a NUL byte" },
	{ NET, "sim.at('5 parsecs', function() end)",
	  "7: sim.at: time: duration \"5 parsecs\": unknown unit \"parsecs\" (use ns, us, ms, s, min, h)" },
	{ NET, "sim.at('1s', 5)",
	  "7: bad argument #2 to 'sim.at' (function expected, got number)" },
	{ NET, "sim.at({}, function() end)",
	  "7: sim.at: time: expected a duration such as \"50ms\" (got table)" },
	{ NET, "sim.at(1.5, function() end)",
	  "7: sim.at: time: 1.5 is not a whole number; write it with a unit (e.g. a duration such as \"50ms\")" },
	{ NET, "sim.after('-1s', function() end)",
	  "7: sim.after: delay: duration \"-1s\" is negative" },
	{ NET, "sim.after(true, function() end)",
	  "7: sim.after: delay: expected a duration such as \"50ms\" (got true)" },
	{ NET, "sim.param()",
	  "7: sim.param: name: expected a name such as \"seed\" (got no value)" },
	{ NET, "sim.param(5)",
	  "7: sim.param: name: expected a name such as \"seed\" (got 5)" },
	{ NET, "sim.metric('', 1)",
	  "7: sim.metric: name \"\" is empty" },
	{ NET, "sim.metric('a\\0b', 1)",
	  "7: sim.metric: name: \"a\\x00b\" holds a NUL byte" },
	{ NET, "sim.metric('has space', 1)",
	  "7: sim.metric: name 'has space' may use only letters, digits, '_', '.', '-'" },
	{ NET, "sim.metric('m', 'x')",
	  "7: bad argument #2 to 'sim.metric' (number expected, got string)" },
	{ NET, "sim.metric('a..b', 1)",
	  "7: sim.metric: name \"a..b\" holds '..'" },
	{ NET, "sim.metric(string.rep('m', 64), 1)",
	  "7: sim.metric: name \"mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm\" is longer than 63 bytes" },
	{ NET, "sim.metric({}, 1)",
	  "7: sim.metric: name: expected a name such as \"handshake_ms\" (got table)" },
	{ NET, "sim.run{ ['until'] = 'soon' }",
	  "7: sim.run: until: duration \"soon\" does not start with a number" },
	{ NET, "sim.run{ unti = '1s' }",
	  "7: sim.run: unknown key 'unti' (known: until, until_)" },
	{ NET, "sim.run(5)",
	  "7: bad argument #1 to 'sim.run' (table expected, got number)" },
	{ NET, "sim.sorted(5)",
	  "7: bad argument #1 to 'sim.sorted' (table expected, got number)" },
	{ NET, "sim.sorted({ [{}] = 1 })",
	  "7: sim.sorted: keys must be numbers or strings (got a table key)" },
	{ NET, "net:host()",
	  "7: bad argument #1 to 'net:host' (string expected, got no value)" },
	{ NET, "net:host('')",
	  "7: net:host: name \"\" is empty" },
	{ NET, "net:host('-nan')",
	  "7: net:host: name \"-nan\" starts with '-'" },
	{ NET, "net:host('nan')",
	  "7: net:host: name \"nan\" reads as a number" },
	{ NET, "net:host('1e5')",
	  "7: net:host: name \"1e5\" reads as a number" },
	{ NET, "net:host('../x')",
	  "7: net:host: name \"../x\" holds a '/'" },
	{ NET, "net:host('a/b')",
	  "7: net:host: name \"a/b\" holds a '/'" },
	{ NET, "net:host('a\\\\b')",
	  "7: net:host: name \"a\\x5cb\" holds a '\\'" },
	{ NET, "net:host('x y')",
	  "7: net:host: name \"x y\" holds a space" },
	{ NET, "net:host('x,y')",
	  "7: net:host: name \"x,y\" holds a ','" },
	{ NET, "net:host(\"x'y\")",
	  "7: net:host: name \"x'y\" holds a quote" },
	{ NET, "net:host('x\\ty')",
	  "7: net:host: name \"x\\x09y\" holds a control character" },
	{ NET, "net:host('x\\0y')",
	  "7: net:host: name \"x\\x00y\" holds a NUL byte" },
	{ NET, "net:host(string.rep('h', 64))",
	  "7: net:host: name \"hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh\" is longer than 63 bytes" },
	{ NET, "net:host('caf\\xe9')",
	  "7: net:host: name \"caf\\xe9\" is not valid UTF-8" },
	{ NET, "net:host('10.0.0.9')",
	  "7: net:host: name '10.0.0.9' looks like an address; give the node a name with a letter in it" },
	{ NET, "net:host('a')",
	  "7: net:host: there is already a node named 'a'" },
	{ NET, "net:host('c', 5)",
	  "7: bad argument #2 to 'net:host' (table expected, got number)" },
	{ NET, "net:host('c', { addr = '300.1.1.1' })",
	  "7: net:host: '300.1.1.1' is not an IPv4 address" },
	{ NET, "net:host('c', { addr = 5 })",
	  "7: net:host: addr: expected an IPv4 address such as \"10.0.0.5\" (got 5)" },
	{ NET, "net:host('c', { addr = '10.0.0.1' })",
	  "7: net:host: address 10.0.0.1 is already taken" },
	{ NET, "net:host('c', { color = 'red' })",
	  "7: net:host: unknown key 'color' (known: addr, profile, tcp)" },
	{ NET, "net:host('c', { tcp = 5 })",
	  "7: net:host: expected a table of knobs such as { syn_retries = 3 } (got 5)" },
	{ NET, "net:host('c', { addr = {} })",
	  "7: net:host: addr: expected an IPv4 address such as \"10.0.0.5\" (got table)" },
	{ NET, "net:host('c', { profile = {} })",
	  "7: net:host: expected a profile name such as \"linux\" (got table)" },
	{ NET, "net:host('c', { profile = 'bsd' })",
	  "7: net:host: unknown profile 'bsd' (known: linux, linux-6.18, rfc)" },
	{ NET, "net:host('c', { tcp = { rto_max = '1ms', rto_min = '1s' } })",
	  "7: net:host: rto_min (1s) is above rto_max (1ms)" },
	{ NET, "net:router('')",
	  "7: net:router: name \"\" is empty" },
	{ NET, "net:router('r', { profile = 'linux' })",
	  "7: net:router: unknown key 'profile' (known: addr)" },
	{ NET, "net:link(a)",
	  "7: bad argument #2 to 'net:link' (synsim.Node expected, got no value)" },
	{ NET, "net:link(a, 5)",
	  "7: bad argument #2 to 'net:link' (synsim.Node expected, got number)" },
	{ NET, "net:link(a, a)",
	  "7: net:link: both ends are 'a'" },
	{ NET, "net:link(a, b, { delay = -1 })",
	  "7: net:link: delay: negative value -1" },
	{ NET, "net:link(a, b, { delay = '1 fortnight' })",
	  "7: net:link: delay: duration \"1 fortnight\": unknown unit \"fortnight\" (use ns, us, ms, s, min, h)" },
	{ NET, "net:link(a, b, { rate = 0 })",
	  "7: net:link: rate: a rate must be above zero (got 0)" },
	{ NET, "net:link(a, b, { rate = 'fast' })",
	  "7: net:link: rate: rate \"fast\" does not start with a number" },
	{ NET, "net:link(a, b, { loss = 2 })",
	  "7: net:link: loss: probability must be between 0 and 1 (got 2)" },
	{ NET, "net:link(a, b, { loss = 'some' })",
	  "7: net:link: loss: expected a probability or a table (got \"some\")" },
	{ NET, "net:link(a, b, { mtu = 10 })",
	  "7: net:link: mtu: MTU must be between 68 and 65535 bytes (got 10)" },
	{ NET, "net:link(a, b, { dealy = '1ms' })",
	  "7: net:link: unknown key 'dealy' (known: delay, rate, queue, queue_bytes, mtu, loss, jitter, reorder, dup, hold, hold_by, a->b, b->a)" },
	{ NET, "net:link(a, b, { '1ms' })",
	  "7: net:link: [1]: expected options by name, as in delay = \"50ms\" (got \"1ms\")" },
	{ NET, "net:link(a, b, { queue = -1 })",
	  "7: net:link: queue: expected a whole number of packets from 1 to 4294967295 (got -1)" },
	{ NET, "net:link(a, b, { hold = 0.5 })",
	  "7: net:link: hold = 0.5 needs hold_by, how long a packet is held back" },
	{ NET, "net:run{ ['until'] = -5 }",
	  "7: net:run: until: negative value -5" },
	{ NET, "net:run(5)",
	  "7: bad argument #1 to 'net:run' (table expected, got number)" },
	{ NET, "net:star{ center = 'r', hosts = { '7' } }",
	  "7: net:star: hosts[1]: name '7' looks like an address; give the node a name with a letter in it" },
	{ NET, "net:star{ center = 'r', hosts = { 'a b' } }",
	  "7: net:star: hosts[1]: name \"a b\" holds a space" },
	{ NET, "net:star{ center = 'r', hosts = 0 }",
	  "7: net:star: hosts: needs 1 to 1024 nodes (got 0)" },
	{ NET, "l:set('1s', {})",
	  "7: link:set: nothing to change (give options such as loss = 0.1)" },
	{ NET, "l:set('1s', { delay = 'x' })",
	  "7: link:set: delay: duration \"x\" does not start with a number" },
	{ NET, "l:set(-1, { delay = '1ms' })",
	  "7: link:set: negative value -1" },
	{ NET, "l:set('1s', 5)",
	  "7: link:set: expected a table of options (got 5)" },
	{ NET, "l:down(-1)",
	  "7: link:down: negative value -1" },
	{ NET, "l:up('never')",
	  "7: link:up: duration \"never\" does not start with a number" },
	{ NET, "l:drop{ from = 5 }",
	  "7: drop: from: expected a node (got 5)" },
	{ NET, "l:drop{ flags = 'SYN+FOO' }",
	  "7: drop: flags: unknown flags 'SYN+FOO' (use SYN, ACK, FIN, RST, PSH, URG joined by '+', e.g. \"SYN+ACK\")" },
	{ NET, "l:drop{ nth = 0 }",
	  "7: drop: nth: expected a whole number, at least 1 (got 0)" },
	{ NET, "l:drop{ nth = 'first' }",
	  "7: drop: nth: expected a whole number, at least 1 (got \"first\")" },
	{ NET, "l:drop{ colour = 1 }",
	  "7: drop: unknown key 'colour' (known: from, flags, has, payload, sport, dport, seq, conn, nth, first, prob, after, before, action, by)" },
	{ NET, "l:stats(5)",
	  "7: link:stats: expected a node (got 5)" },
	{ NET, "l:dir(a, a)",
	  "7: link:dir: give the two ends of link a-b, sender first" },
	{ NET, "b:listen(0)",
	  "7: listen: port: expected a port from 1 to 65535 (got 0)" },
	{ NET, "b:listen(70000)",
	  "7: listen: port: expected a port from 1 to 65535 (got 70000)" },
	{ NET, "b:listen('http')",
	  "7: listen: port: expected a port from 1 to 65535 (got \"http\")" },
	{ NET, "b:listen(80)",
	  "7: listen: b port 80: address already in use" },
	{ NET, "b:listen(81, { backlog = -1 })",
	  "7: listen: backlog: expected a whole number from 0 to 1048576 (got -1)" },
	{ NET, "b:listen(82, { backlog = 'many' })",
	  "7: listen: backlog: expected a whole number from 0 to 1048576 (got \"many\")" },
	{ NET, "b:listen(83, { close = 'sometimes' })",
	  "7: listen: close (never, after_send, on_eof or a delay): duration \"sometimes\" does not start with a number" },
	{ NET, "b:listen(84, { nope = 1 })",
	  "7: listen: unknown key 'nope' (known: backlog, accept, on_accept, on_data, on_eof, on_close, on_error, send, close)" },
	{ NET, "a:connect(b, 0)",
	  "7: connect: port: expected a port from 1 to 65535 (got 0)" },
	{ NET, "a:connect(b, 80, { at = -1 })",
	  "7: connect: at: negative value -1" },
	{ NET, "a:connect(b, 80, { at = 'later' })",
	  "7: connect: at: duration \"later\" does not start with a number" },
	{ NET, "a:connect(b, 80, { send = -5 })",
	  "7: connect: send: negative value -5" },
	{ NET, "a:connect(b, 80, { send = 'x', close = 'whenever' })",
	  "7: connect: close (never, after_send, on_eof or a delay): duration \"whenever\" does not start with a number" },
	{ NET, "a:connect(b, 80, { timeout = 'forever' })",
	  "7: connect: timeout: duration \"forever\" does not start with a number" },
	{ NET, "a:connect(b, 80, { isn = -1 })",
	  "7: connect: isn: expected a whole number from 0 to 4294967295 (got -1)" },
	{ NET, "a:connect(b, 80, { bogus = true })",
	  "7: connect: unknown key 'bogus' (known: at, timeout, lport, isn, send, close, on_connect, on_accept, on_data, on_eof, on_close, on_error)" },
	{ NET, "a:connect(5, 80)",
	  "7: bad argument #1 to 'node:connect' (synsim.Node expected, got number)" },
	{ NET, "a:connect(b, 80, 5)",
	  "7: bad argument #3 to 'node:connect' (table expected, got number)" },
	{ NET, "a:flood{ to = b, port = 'x' }",
	  "7: flood: port: expected a port number 1-65535 (got \"x\")" },
	{ NET, "a:flood{ to = b, rate = 'x' }",
	  "7: flood: rate: expected SYNs per second, a number above 0 and at most 1e9 (got \"x\")" },
	{ NET, "a:flood{ to = b, rate = 0 }",
	  "7: flood: rate must be between 0 and 1e9 SYNs per second (got 0)" },
	{ NET, "a:flood{ to = b, rate = 2e9 }",
	  "7: flood: rate must be between 0 and 1e9 SYNs per second (got 2000000000.0)" },
	{ NET, "a:flood{ to = b }",
	  "7: flood: give rate (SYNs per second) or interval" },
	{ NET, "a:flood{ to = b, interval = 10, start = '2s', stop = '1s' }",
	  "7: flood: stop (1s) is before start (2s): the flood would send nothing" },
	{ NET, "a:flood{ to = b, interval = 10, start = -1 }",
	  "7: flood: start: negative value -1" },
	{ NET, "a:flood{ port = 80, interval = 10 }",
	  "7: flood: 'to' (the target host) is required" },
	{ NET, "a:flood{ to = 5, interval = 10 }",
	  "7: flood: to: expected a node (got 5)" },
	{ NET, "a:flood(5)",
	  "7: bad argument #1 to 'node:flood' (table expected, got number)" },
	{ NET, "c:send(-1)",
	  "7: send: negative value -1" },
	{ NET, "c:send(true)",
	  "7: send: expected a size such as \"1500B\" (got true)" },
	{ NET, "c.state = 'CLOSED'",
	  "7: connection field 'state' is read-only" },
	{ NET, "net:on('nothing', function() end)",
	  "7: bad argument #1 to 'net:on' (invalid option 'nothing')" },
	{ NET, "net:on('packet', 5)",
	  "7: bad argument #2 to 'net:on' (function expected, got number)" },
	{ NET, "string.rep('', 1e15)",
	  "7: instruction budget of 150000000 exceeded (an endless loop?); raise it with --max-instructions" },
	{ NET, "string.match(string.rep('a', 30), string.rep('a*', 30) .. 'b')",
	  "7: string.match: pattern \"a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*...\" could backtrack beyond 1.8e19 steps on a subject of 30 bytes: refused (fewer repetitions such as * + - in it, or a shorter subject)" },
	{ NET, "string.format('%d', 'x')",
	  "7: bad argument #2 to 'string.format' (number expected, got string)" },
	{ NET, "table.sort({ 3, 'a', 1 })",
	  "7: attempt to compare string with number" },
	{ NET, "table.concat({}, ',', 1, 1e12)",
	  "7: instruction budget of 150000000 exceeded (an endless loop?); raise it with --max-instructions" },
	{ NET, "setmetatable({}, { __gc = function() end })",
	  "7: setmetatable: __gc (a finalizer) is not available in scenarios: it would run at a time the garbage collector picks, outside the instruction budget" },
	{ NET, "getmetatable(a).__gc = print",
	  "7: the metatable of a node cannot be changed" },
	{ NET, "io.open('x')",
	  "7: 'io.open' is not available: scenarios run in a sandbox without files, processes or clocks (use sim.now() for time, sim.log() for output)" },
	{ NET, "os.time()",
	  "7: 'os.time' is not available: scenarios run in a sandbox without files, processes or clocks (use sim.now() for time, sim.log() for output)" },
	{ NET, "load('return 1')",
	  "7: 'load' is not available: scenarios run in a sandbox (dofile and require read files of the scenario's folder)" },
	{ NET, "loadfile('x.lua')",
	  "7: 'loadfile' is not available: scenarios run in a sandbox (dofile and require read files of the scenario's folder)" },
	{ NET, "dofile('/etc/passwd')",
	  "7: dofile: '/etc/passwd' is outside the scenario folder" },
	{ NET, "require('../x')",
	  "7: require: '../x' is outside the scenario folder" },
	{ NET, "local t = {} t[{}] = 1 for k in pairs(t) do end",
	  "7: pairs: a table keyed by a table has no fixed order (its address differs run to run); key it by a name or a number, or keep a list" },
	{ NET, "local t = {} t[print] = 1 for k in next, t do end",
	  "7: next: a table keyed by a function has no fixed order (its address differs run to run); key it by a name or a number, or keep a list" },
	{ NET, "math.randomseed()",
	  "7: bad argument #1 to 'math.randomseed' (number expected, got no value)" },
	{ NONE, "sim.network{ profile = 'bsd' }",
	  "1: sim.network: profile: unknown profile 'bsd' (known: linux, linux-6.18, rfc)" },
	{ NONE, "sim.network{ profile = 5 }",
	  "1: sim.network: profile: expected a profile name such as \"linux\" (got 5)" },
	{ NONE, "sim.network{ seed = 1 }",
	  "1: sim.network: unknown key 'seed' (known: profile, tcp, keep_closed)" },
	{ NONE, "sim.network{ tcp = { rto_min = '5s', rto_max = '1s' } }",
	  "1: sim.network: tcp: rto_min (5s) is above rto_max (1s)" },
	{ NONE, "sim.network{ tcp = { rto_min = 'fast' } }",
	  "1: sim.network: tcp: rto_min: duration \"fast\" does not start with a number" },
	{ NONE, "sim.network{ tcp = { nope = 1 } }",
	  "1: sim.network: tcp: unknown key 'nope' (known: abort_on_data, abort_on_overflow, abort_rst_ack, ack_by_bytes, backlog, backlog_plus_one, challenge_ack_limit, connect_timeout, data_retries, delack, embryonic_rst, fin_ack_delayed, fin_wait_2_timeout, hz, icmp_hard_syn_sent, invalid_ratelimit, isn, msl, mss, opt_sack, opt_ts, opt_wscale, quickacks, rack, rcv_wnd, rfc1337, rto_initial, rto_max, rto_min, rto_var_min, somaxconn, syn_linear_timeouts, syn_retries, synack_prune, synack_retries, syncookies, time_wait, time_wait_restart, timer_wheel, tlp, tlp_delack_max, tlp_slack, tw_reuse, unsent_ack_silent, wnd_align, wnd_round_mss, wscale)" },
	{ NONE, "sim.network{ tcp = { syn_retries = 'x' } }",
	  "1: sim.network: tcp: syn_retries: expected a whole number (got \"x\")" },
	{ NONE, "sim.network{ tcp = { syn_retries = 1e9 } }",
	  "1: sim.network: tcp: syn_retries: 1000000000.0 is out of range [0, 255]" },
	{ NONE, "sim.network{ tcp = { isn = 'guess' } }",
	  "1: sim.network: tcp: isn: unknown policy 'guess' (hash, clock, random, zero)" },
	{ NONE, "sim.network{ tcp = { sack = 1 } }",
	  "1: sim.network: tcp: unknown key 'sack' (known: abort_on_data, abort_on_overflow, abort_rst_ack, ack_by_bytes, backlog, backlog_plus_one, challenge_ack_limit, connect_timeout, data_retries, delack, embryonic_rst, fin_ack_delayed, fin_wait_2_timeout, hz, icmp_hard_syn_sent, invalid_ratelimit, isn, msl, mss, opt_sack, opt_ts, opt_wscale, quickacks, rack, rcv_wnd, rfc1337, rto_initial, rto_max, rto_min, rto_var_min, somaxconn, syn_linear_timeouts, syn_retries, synack_prune, synack_retries, syncookies, time_wait, time_wait_restart, timer_wheel, tlp, tlp_delack_max, tlp_slack, tw_reuse, unsent_ack_silent, wnd_align, wnd_round_mss, wscale)" },
	{ NONE, "sim.network(5)",
	  "1: bad argument #1 to 'sim.network' (table expected, got number)" },
	{ NONE, "sim.network{ tcp = 5 }",
	  "1: sim.network: tcp: expected a table of knobs such as { syn_retries = 3 } (got 5)" },
	{ NONE, "sim.network{ profile = {} }",
	  "1: sim.network: profile: expected a profile name such as \"linux\" (got table)" },
	{ NONE, "net = nil; sim.network{}; sim.network{}",
	  "1: sim.network: a scenario has one network" },
	{ NONE, "sim.log(setmetatable({}, { __tostring = function() return {} end }))",
	  "1: '__tostring' must return a string" },
	{ NONE, "sim.after('1s')",
	  "1: bad argument #2 to 'sim.after' (function expected, got no value)" },
	{ AFTER, "sim.run{ ['until'] = '1s' }; sim.param('late')",
	  "1: sim.param('late'): parameters are read before the simulation runs (at the top of the scenario)" },
};

START_TEST(test_bad_call)
{
	char name[32];
	snprintf(name, sizeof name, "bad%03d", _i);
	use_dir(name);
	char text[4096];
	snprintf(text, sizeof text, "%s%s\n",
	         bad[_i].prelude == NET ? net_prelude : "", bad[_i].call);
	write_file(in_dir("s.lua"), text);
	int rc = SYNSIM("run", in_dir("s.lua"), "--quiet", "--out",
	                in_dir("out"));
	ck_assert_msg(rc == 2, "%s: exit %d: %s", bad[_i].call, rc, syn_err);
	char want[4096];
	snprintf(want, sizeof want, "%s:%s\n", in_dir("s.lua"), bad[_i].msg);
	ck_assert_msg(strncmp(syn_err, want, strlen(want)) == 0,
	              "%s:\nwanted %sgot    %s", bad[_i].call, want, syn_err);
	char *list = dir_listing(syn_dir, "");
	if (bad[_i].prelude == AFTER) {
		ck_assert_msg(access(in_dir("out/summary.json"), F_OK) == 0,
		              "%s: the run's outputs were not kept", bad[_i].call);
		ck_assert_str_eq(list, "out\ns.lua\n");
	} else {
		ck_assert_msg(access(in_dir("out"), F_OK) != 0,
		              "%s: out/ was created", bad[_i].call);
		ck_assert_str_eq(list, "s.lua\n");
	}
	free(list);
}
END_TEST

START_TEST(test_table_size)
{
	/* The table is the promise: at least a hundred wrong calls. */
	ck_assert_uint_ge(sizeof bad / sizeof bad[0], 100);
}
END_TEST

static Suite *
badcalls_suite(void)
{
	Suite *s = suite_create("badcalls");
	TCase *tc = tcase_create("table");
	tcase_add_checked_fixture(tc, NULL, synsim_reset);
	tcase_add_test(tc, test_table_size);
	tcase_add_loop_test(tc, test_bad_call, 0,
	                    (int)(sizeof bad / sizeof bad[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(badcalls_suite());
}
