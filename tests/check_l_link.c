/*
 * check_l_link.c - the link API of scenarios (sim/lua/l_link.c): the
 * one-line ways of reproducing an accident, their effect on TCP end to
 * end, and the errors for values out of range.  Each scenario states its
 * expectations with sim.expect: exit 0 and an empty stderr mean they held.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

/* Two hosts, a 50 ms link without rate limit: one-way trips take exactly
 * 50 ms. */
/* The timers on the nanosecond (the knob timer_wheel off): these tests
 * are about the scenario API and name events by their exact times; when
 * Linux's timer wheel fires each timer is pinned in check_tcp and
 * check_tcp_timer. */
static const char *prelude =
	"local net = sim.network{ profile = sim.param('profile', 'linux'), "
	"tcp = { timer_wheel = false } }\n"
	"local client = net:host 'client'\n"
	"local server = net:host 'server'\n"
	"local link = net:link(client, server, { delay = '50ms' })\n"
	"server:listen(80)\n";

#define run_lua(name, body, param, err) \
	lua_run(name, prelude, body, param, NULL, err)
#define expect_ok(name, body, param) lua_expect_ok(name, prelude, body, param)
#define expect_error(name, body, msg) \
	lua_expect_error(name, prelude, body, "s.lua:6: ", msg)
/* The whole line of the error, from the position to its end. */
#define expect_exact(name, body, msg) \
	lua_expect_error(name, prelude, body, "s.lua:6: " msg "\n", msg)

/* "Drop the 2nd SYN-ACK" next to "drop the 1st": after the first is
 * lost, the client's SYN at 1 s meets the server's RTO at 1.05 s, so two
 * SYN-ACKs leave together; rule 2 takes the first of them and the other
 * completes the handshake at 1.1 s. */
START_TEST(test_nth_selector_end_to_end)
{
	expect_ok("nth",
	          "link:drop{ from = server, flags = 'SYN+ACK', nth = 1 }\n"
	          "link:drop{ from = server, flags = 'SYN+ACK', nth = 2 }\n"
	          "local c = client:connect(server, 80)\n"
	          "net:run{ ['until'] = '10s' }\n"
	          "sim.expect(link:rule(1).applied == 1, 'rule 1 once')\n"
	          "sim.expect(link:rule(2).matched == 3, 'rule 2 saw 3 SYN-ACKs')\n"
	          "sim.expect(link:rule(2).applied == 1, 'rule 2 once')\n"
	          "sim.expect(link:rule(2).desc == 'rule #2: 2nd SYN+ACK from server', link:rule(2).desc)\n"
	          "sim.expect(c.established_at == 1100000000, 'established at 1.1 s: ' .. c.established_at)\n"
	          "sim.expect(link:stats(server).dropped == 2, 'two lost')\n",
	          NULL);
}
END_TEST

/* "30% loss between 1 s and 3 s" in one line: a steady stream of SYNs
 * (1 per ms for 4 s) meets it; every loss falls inside the window and
 * their count is within 4 standard deviations of 600 (2000 x 0.3). */
START_TEST(test_window_probability_one_liner)
{
	const char *body =
		"link:drop{ from = client, prob = 0.3, after = '1s', before = '3s' }\n"
		"client:flood{ to = server, port = 81, interval = '1ms', stop = '4s', spoof = false }\n"
		"local n, early, late = 0, 0, 0\n"
		"net:on('drop', function(ev)\n"
		"  n = n + 1\n"
		"  if ev.t < 1000000000 then early = early + 1 end\n"
		"  if ev.t >= 3000000000 then late = late + 1 end\n"
		"end)\n"
		"net:run{ ['until'] = '5s' }\n"
		"sim.expect(early == 0 and late == 0, 'losses inside the window')\n"
		"sim.expect(link:rule(1).matched == 2000, 'matched ' .. link:rule(1).matched)\n"
		"sim.expect(n == link:rule(1).applied, 'every loss seen')\n"
		"sim.expect(n >= 518 and n <= 682, 'lost ' .. n)\n"
		"print('lost', n)\n";
	expect_ok("window1", body, NULL);
	expect_ok("window2", body, NULL);
	char *a = read_file(TEST_TMP "/window1/out/summary.json", NULL);
	char *b = read_file(TEST_TMP "/window2/out/summary.json", NULL);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	/* Same seed, same losses: the fingerprints agree. */
	ck_assert_ptr_nonnull(strstr(a, "\"fingerprint\""));
	ck_assert_str_eq(strstr(a, "\"fingerprint\""), strstr(b, "\"fingerprint\""));
	free(a);
	free(b);
}
END_TEST

/* A link that duplicates the SYN: the server, in SYN-RECEIVED, answers
 * the copy with its SYN-ACK again (in both profiles), the client answers
 * the second SYN-ACK, now outside its window, with an ACK (RFC 5961 4.2),
 * and there is still one connection. */
START_TEST(test_duplicated_syn)
{
	static const char *const profiles[] = { "profile=linux", "profile=rfc" };
	for (int i = 0; i < 2; i++)
		expect_ok(i ? "dupsyn_rfc" : "dupsyn_linux",
		          "link:drop{ flags = 'SYN', nth = 1, action = 'dup' }\n"
		          "local c = client:connect(server, 80)\n"
		          "net:run{ ['until'] = '1s' }\n"
		          "sim.expect(server:nconns() == 1, 'one connection')\n"
		          "sim.expect(link:stats(client).duplicated == 1, 'one copy')\n"
		          "sim.expect(link:stats(client).sent == 3, 'SYN, ACK, ACK')\n"
		          "sim.expect(link:stats(server).sent == 2, 'two SYN-ACKs')\n"
		          "sim.expect(server:conn(1).state == 'ESTABLISHED', server:conn(1).state)\n"
		          "sim.expect(server:conn(1).established_at == 150000000, 'at 150 ms')\n"
		          "sim.expect(c.established_at == 100000000, 'at 100 ms')\n",
		          profiles[i]);
}
END_TEST

/* An outage from 0 to 1.5 s: the SYN at 0 and its retransmission at 1 s
 * are lost with reason link-down; the one at 3 s gets through. */
START_TEST(test_outage_then_recovery)
{
	expect_ok("outage",
	          "link:down('0s')\n"
	          "link:up('1.5s')\n"
	          "local why = {}\n"
	          "net:on('drop', function(ev) why[#why + 1] = ev.t .. ' ' .. ev.reason end)\n"
	          "local c = client:connect(server, 80)\n"
	          "net:run{ ['until'] = '10s' }\n"
	          "sim.expect(table.concat(why, ',') == '0 link-down,1000000000 link-down', table.concat(why, ','))\n"
	          "sim.expect(c.established_at == 3100000000, 'at 3.1 s')\n"
	          "sim.expect(c.retransmits == 2, 'two SYN retransmissions')\n",
	          NULL);
}
END_TEST

/* link:set at a time: loss 0 -> 1 at 1 s in the server's direction
 * only.  The handshake at 0 is clean; the data at 1.2 s is acked, since
 * only the server's packets are lost, but never acknowledged. */
START_TEST(test_scheduled_change_one_direction)
{
	expect_ok("set",
	          "link:set('1s', { ['server->client'] = { loss = 1 } })\n"
	          "local c = client:connect(server, 80)\n"
	          "sim.at('1.2s', function() c:send(100) end)\n"
	          "local lost = 0\n"
	          "net:on('drop', function(ev)\n"
	          "  sim.expect(ev.from == 'server' and ev.reason == 'loss', ev.reason)\n"
	          "  lost = lost + 1\n"
	          "end)\n"
	          "net:run{ ['until'] = '3s' }\n"
	          "sim.expect(c.state == 'ESTABLISHED', c.state)\n"
	          "sim.expect(server:conn(1).bytes_received == 100, 'data arrived')\n"
	          "sim.expect(c.bytes_acked == 0, 'no ACK came back')\n"
	          "sim.expect(lost >= 1, 'the ACKs were lost')\n"
	          "sim.expect(link:stats(client).dropped == 0, 'client side clean')\n",
	          NULL);
}
END_TEST

/* Two connections between the same hosts; rules taking conn = c2 see
 * only c2's packets, both ways.  The SYNs are out when the rules are
 * made.  Rule 1 takes c2's next two packets: its SYN-ACK at 50 ms (from
 * the server) and the client's SYN retransmitted at 1 s; the server's
 * SYN-ACK retransmitted at 1.05 s gets through, so c2 opens at 1.1 s with
 * one retransmission a side.  Rules 2 and 3 only count (prob = 0): c1's
 * SYN-ACK and ACK; c2's packets from the client, the SYN at 1 s and the
 * ACK at 1.1 s. */
START_TEST(test_conn_selector)
{
	expect_ok("conn",
	          "local c1 = client:connect(server, 80)\n"
	          "local c2 = client:connect(server, 80)\n"
	          "sim.expect(c1.lport ~= c2.lport, 'two local ports')\n"
	          "link:drop{ conn = c2, first = 2 }\n"
	          "link:drop{ conn = c1, prob = 0 }\n"
	          "link:drop{ conn = c2, from = client, prob = 0 }\n"
	          "local why = {}\n"
	          "net:on('drop', function(ev) why[#why + 1] = ev.t .. ' ' .. ev.from end)\n"
	          "net:run{ ['until'] = '10s' }\n"
	          "local r1, r2, r3 = link:rule(1), link:rule(2), link:rule(3)\n"
	          "sim.expect(r1.matched == 4 and r1.applied == 2, r1.matched, r1.applied)\n"
	          "sim.expect(r2.matched == 2 and r2.applied == 0, r2.matched, r2.applied)\n"
	          "sim.expect(r3.matched == 2 and r3.applied == 0, r3.matched, r3.applied)\n"
	          "local got = table.concat(why, ',')\n"
	          "sim.expect(got == '50000000 server,1000000000 client', got)\n"
	          "sim.expect(c1.retransmits == 0 and c1.established_at == 100000000)\n"
	          "sim.expect(c2.retransmits == 1 and c2.established_at == 1100000000)\n"
	          "sim.expect(server:conn(1).retransmits == 0, 'c1 server side')\n"
	          "sim.expect(server:conn(2).retransmits == 1, 'c2 server side')\n"
	          "sim.expect(server:conn(2).rport == c2.lport)\n"
	          "local want = 'rule #1: first 2 packets of client:' .. c2.lport .. '-server:80'\n"
	          "sim.expect(r1.desc == want, r1.desc)\n"
	          "want = 'rule #3: 0% of packets of client:' .. c2.lport .. '-server:80 from client'\n"
	          "sim.expect(r3.desc == want, r3.desc)\n",
	          NULL);
}
END_TEST

/* A rule's description cuts a long name between characters: 21 check
 * marks (63 bytes) keep 13 of them (39 bytes, within 40). */
START_TEST(test_conn_selector_utf8_name)
{
	expect_ok("conn_utf8",
	          "local name = string.rep('\xe2\x9c\x93', 21)\n"
	          "local a = net:host(name)\n"
	          "local l = net:link(a, server, { delay = '10ms' })\n"
	          "local c = a:connect(server, 80)\n"
	          "local r = l:drop{ conn = c, first = 1 }\n"
	          "local why\n"
	          "net:on('drop', function(ev) why = ev.reason end)\n"
	          "net:run{ ['until'] = '3s' }\n"
	          "sim.expect(utf8.len(why), why)\n"
	          "local want = 'rule #1: 1st packet of ' ..\n"
	          "  string.rep('\xe2\x9c\x93', 13) .. ':' .. c.lport .. '-server:80'\n"
	          "sim.expect(why == want, why)\n",
	          NULL);
}
END_TEST

/* The accepted side's object names the same connection with its ends
 * swapped; a rule made with it at 0.5 s takes the client's data. */
START_TEST(test_conn_selector_accepted_side)
{
	expect_ok("conn_accepted",
	          "local c1 = client:connect(server, 80)\n"
	          "local c2 = client:connect(server, 80)\n"
	          "sim.at('0.5s', function()\n"
	          "  link:drop{ conn = server:conn(2), from = client, payload = true, nth = 1 }\n"
	          "  c1:send(100)\n"
	          "  c2:send(100)\n"
	          "end)\n"
	          "net:run{ ['until'] = '10s' }\n"
	          "sim.expect(link:rule(1).matched == 2 and link:rule(1).applied == 1)\n"
	          "sim.expect(c1.retransmits == 0, c1.retransmits)\n"
	          "sim.expect(c2.retransmits == 1, c2.retransmits)\n"
	          "sim.expect(server:conn(1).bytes_received == 100)\n"
	          "sim.expect(server:conn(2).bytes_received == 100)\n"
	          "local want = 'rule #1: 1st packet of server:80-client:' .. c2.lport .. ' from client'\n"
	          "sim.expect(link:rule(1).desc == want, link:rule(1).desc)\n",
	          NULL);
}
END_TEST

/* link:set changes the keys it is given and nothing else, in the
 * directions it names.  The client's direction holds every packet back
 * (hold = 1), the server's does not; a change of hold_by for both at 1 s
 * and of reorder at 2 s leave hold as each direction has it.  At 3 s the
 * SYN takes 50 + 30 ms and the SYN-ACK 50 ms. */
START_TEST(test_set_changes_only_keys_given)
{
	expect_ok("set_keys",
	          "link:set('0s', { ['client->server'] = { hold = 1, hold_by = '20ms' } })\n"
	          "link:set('1s', { hold_by = '30ms' })\n"
	          "link:set('2s', { reorder = true })\n"
	          "local c\n"
	          "sim.at('3s', function() c = client:connect(server, 80) end)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(c.established_at == 3130000000, 'at ' .. c.established_at)\n"
	          "sim.expect(server:conn(1).established_at == 3210000000,\n"
	          "  'server at ' .. server:conn(1).established_at)\n",
	          NULL);
	/* A later change of another key does not undo an earlier one: hold
	 * set at 1 s survives the change of hold_by at 2 s, both ways. */
	expect_ok("set_later",
	          "link:set('1s', { hold = 1, hold_by = '20ms' })\n"
	          "link:set('2s', { hold_by = '30ms' })\n"
	          "local c\n"
	          "sim.at('3s', function() c = client:connect(server, 80) end)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(c.established_at == 3160000000, 'at ' .. c.established_at)\n",
	          NULL);
}
END_TEST

/* Two links between the same nodes: the second is "client-server#2",
 * and each writes its own capture (beside each host's). */
START_TEST(test_parallel_link_captures)
{
	expect_ok("parallel",
	          "local l2 = net:link(server, client, { delay = '10ms' })\n"
	          "sim.expect(l2.name == 'server-client#2', l2.name)\n"
	          "sim.expect(link.name == 'client-server', link.name)\n"
	          "net:route(client, server, l2)\n"
	          "local c = client:connect(server, 80)\n"
	          "net:run{ ['until'] = '1s' }\n"
	          "sim.expect(c.established_at == 60000000, 'at ' .. c.established_at)\n",
	          NULL);
	char *got = dir_listing(TEST_TMP "/parallel/out", ".pcap");
	ck_assert_str_eq(got, "host-client.pcap\nhost-server.pcap\n"
	                      "link-client-server.pcap\n"
	                      "link-server-client#2.pcap\n"
	                      "trace.pcap\n");
	free(got);
}
END_TEST

/* A packet delayed by a rule is overtaken only with reorder = true.
 * Two SYNs leave together; the first is delayed 100 ms.  FIFO: the
 * second waits behind it and both connections open at 200 ms.  With
 * reordering the second arrives at 50 ms and opens at 100 ms. */
START_TEST(test_delay_overtaken_only_with_reorder)
{
	static const char *const setup[] = { "", "link:set('0s', { reorder = true })\n" };
	static const char *const want[] = {
		"sim.expect(c2.established_at == 200000000, 'c2 at ' .. c2.established_at)\n",
		"sim.expect(c2.established_at == 100000000, 'c2 at ' .. c2.established_at)\n",
	};
	char body[1024];
	for (int i = 0; i < 2; i++) {
		snprintf(body, sizeof body,
		         "%s"
		         "link:drop{ flags = 'SYN', nth = 1, action = 'delay', by = '100ms' }\n"
		         "local c1 = client:connect(server, 80)\n"
		         "local c2 = client:connect(server, 80)\n"
		         "net:run{ ['until'] = '1s' }\n"
		         "sim.expect(c1.established_at == 200000000, 'c1 at ' .. c1.established_at)\n"
		         "%s",
		         setup[i], want[i]);
		expect_ok(i ? "delay_reorder" : "delay_fifo", body, NULL);
	}
}
END_TEST

START_TEST(test_errors)
{
	expect_error("connlater",
	             "link:drop{ conn = client:connect(server, 80, { at = '1s' }) }\n",
	             "drop: conn: the connection has not started yet (its ports "
	             "are not chosen)");
	expect_error("conntype", "link:drop{ conn = client }\n",
	             "drop: conn: expected a connection (got userdata)");
	expect_error("negdelay", "net:link(client, net:host 'c2', { delay = '-5ms' })\n",
	             "delay: duration \"-5ms\" is negative");
	expect_error("loss", "net:link(client, net:host 'c2', { loss = 1.5 })\n",
	             "loss: probability must be between 0 and 1 (got 1.5)");
	expect_error("rate", "net:link(client, net:host 'c2', { rate = '0Mbps' })\n",
	             "rate: a rate must be above zero (got 0Mbps)");
	expect_error("huge", "net:link(client, net:host 'c2', { delay = 2^62 })\n",
	             "delay: at most 1000000s (got 4.6116860184274e+18)");
	expect_error("hugeby", "link:drop{ action = 'delay', by = '2000000s' }\n",
	             "drop: by: at most 1000000s (got 2000000s)");
	expect_error("key", "net:link(client, net:host 'c2', { dealy = '5ms' })\n",
	             "unknown key 'dealy'");
	expect_error("unit", "net:link(client, net:host 'c2', { delay = '5' })\n",
	             "duration \"5\" needs a unit");
	expect_error("flags", "link:drop{ flags = 'SYN+AKC' }\n", "SYN+AKC");
	expect_exact("nth0", "link:drop{ nth = 0 }\n",
	             "drop: nth: expected a whole number, at least 1 (got 0)");
	expect_error("both", "link:drop{ nth = 1, first = 2 }\n",
	             "give nth or first, not both");
	expect_error("window", "link:drop{ after = '3s', before = '1s' }\n",
	             "the window is empty");
	expect_error("dropkey", "link:drop{ flag = 'SYN' }\n", "unknown key 'flag'");
	expect_error("by", "link:drop{ action = 'delay' }\n", "needs by = T");
	expect_error("setkey", "link:set('1s', { lost = 1 })\n", "unknown key 'lost'");
	expect_error("norule", "link:rule(3)\n", "has no rule #3");
}
END_TEST

/* A value of the wrong kind names its key and the value given. */
START_TEST(test_errors_name_key_and_value)
{
	static const struct {
		const char *body, *msg;
	} cases[] = {
		{ "net:link(client, net:host 'c2', { queue = 'x' })\n",
		  "net:link: queue: expected a whole number of packets from 1 to "
		  "4294967295 (got \"x\")" },
		{ "net:link(client, net:host 'c2', { queue = 1.5 })\n",
		  "net:link: queue: expected a whole number of packets from 1 to "
		  "4294967295 (got 1.5)" },
		{ "net:link(client, net:host 'c2', { queue = 0 })\n",
		  "net:link: queue: expected a whole number of packets from 1 to "
		  "4294967295 (got 0)" },
		{ "net:link(client, net:host 'c2', { loss = { every = 1.5 } })\n",
		  "net:link: loss: every: expected a whole number from 1 to "
		  "4294967295 (got 1.5)" },
		{ "net:link(client, net:host 'c2', { loss = { gilbert = 5 } })\n",
		  "net:link: loss: gilbert: expected a table { p =, r =, good =, "
		  "bad = } (got 5)" },
		{ "net:link(client, net:host 'c2', { loss = { gilbert = { p = 2 } } })\n",
		  "net:link: loss: gilbert: p: probability must be between 0 and 1 "
		  "(got 2)" },
		{ "net:link(client, net:host 'c2', { loss = '2%' })\n",
		  "net:link: loss: expected a probability or a table (got \"2%\")" },
		{ "net:link(client, net:host 'c2', { reorder = 'yes' })\n",
		  "net:link: reorder: expected true or false (got \"yes\")" },
		{ "net:link(client, net:host 'c2', { ['client->c2'] = { reorder = 1 } })\n",
		  "net:link: client->c2: reorder: expected true or false (got 1)" },
		{ "link:set('1s', { ['server->client'] = { queue = {} } })\n",
		  "link:set: server->client: queue: expected a whole number of "
		  "packets from 1 to 4294967295 (got table)" },
		{ "link:drop{ payload = 'yes' }\n",
		  "drop: payload: expected true or false (got \"yes\")" },
		{ "link:drop{ nth = 1.5 }\n",
		  "drop: nth: expected a whole number, at least 1 (got 1.5)" },
		{ "link:drop{ first = -1 }\n",
		  "drop: first: expected a whole number, at least 1 (got -1)" },
		{ "link:drop{ sport = 'http' }\n",
		  "drop: sport: expected a port number from 1 to 65535 (got \"http\")" },
		{ "link:drop{ dport = 70000 }\n",
		  "drop: dport: expected a port number from 1 to 65535 (got 70000)" },
		{ "link:drop{ seq = -1 }\n",
		  "drop: seq: expected a sequence number from 0 to 4294967295 "
		  "(got -1)" },
		{ "link:drop{ action = true }\n",
		  "drop: action: expected \"drop\", \"delay\" or \"dup\" (got true)" },
		{ "link:drop{ action = 'zap' }\n",
		  "drop: action: expected \"drop\", \"delay\" or \"dup\" (got \"zap\")" },
		{ "link:drop{ flags = 2 }\n",
		  "drop: flags: expected flags such as \"SYN+ACK\" (got 2)" },
		{ "link:drop{ from = 'server' }\n",
		  "drop: from: expected a node (got \"server\")" },
		{ "link:set('1s')\n",
		  "link:set: expected a table of options (got no value)" },
		/* Conflicting or empty combinations. */
		{ "net:link(client, net:host 'c2', { jitter = { uniform = '1ms', normal = '2ms' } })\n",
		  "net:link: jitter: give uniform or normal, not both" },
		{ "net:link(client, net:host 'c2', { loss = { every = 3, gilbert = { p = 0.1 } } })\n",
		  "net:link: loss: give every or gilbert, not both" },
		{ "net:link(client, net:host 'c2', { loss = {} })\n",
		  "net:link: loss: give every = n or gilbert = { p =, r =, good =, "
		  "bad = }" },
		{ "net:link(client, net:host 'c2', { hold = 0.5 })\n",
		  "net:link: hold = 0.5 needs hold_by, how long a packet is held back" },
		{ "net:link(client, net:host 'c2', { ['c2->client'] = { hold = 0.5 } })\n",
		  "net:link: c2->client: hold = 0.5 needs hold_by, how long a packet "
		  "is held back" },
		{ "link:set('1s', { hold = 1 })\n",
		  "link:set: hold = 1 needs hold_by, how long a packet is held back" },
		{ "link:dir(client, server):set('1s', { hold = 1 })\n",
		  "dir:set: hold = 1 needs hold_by, how long a packet is held back" },
		{ "link:set('1s', {})\n",
		  "link:set: nothing to change (give options such as loss = 0.1)" },
		/* Options go by name. */
		{ "net:link(client, net:host 'c2', { '50ms' })\n",
		  "net:link: [1]: expected options by name, as in delay = \"50ms\" "
		  "(got \"50ms\")" },
		{ "net:link(client, net:host 'c2', { ['client->c2'] = { [3] = 1, [2] = true } })\n",
		  "net:link: client->c2: [2]: expected options by name, as in delay "
		  "= \"50ms\" (got true)" },
		{ "link:drop{ 'SYN' }\n",
		  "drop: [1]: expected options by name, as in delay = \"50ms\" "
		  "(got \"SYN\")" },
		{ "net:link(client, net:host 'c2', { jitter = { '5ms' } })\n",
		  "net:link: jitter: [1]: expected options by name, as in delay = "
		  "\"50ms\" (got \"5ms\")" },
	};
	char name[32], line[512];
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(name, sizeof name, "value%zu", i);
		snprintf(line, sizeof line, "s.lua:6: %s\n", cases[i].msg);
		lua_expect_error(name, prelude, cases[i].body, line, cases[i].msg);
	}
	/* hold_by may come from a change scheduled before: no error. */
	expect_ok("hold_later",
	          "link:set('1s', { hold_by = '5ms' })\n"
	          "link:set('2s', { hold = 1 })\n"
	          "local c\n"
	          "sim.at('3s', function() c = client:connect(server, 80) end)\n"
	          "net:run{ ['until'] = '4s' }\n"
	          "sim.expect(c.established_at == 3110000000, 'at ' .. c.established_at)\n",
	          NULL);
}
END_TEST

/* link:dir(a, b): one direction as an object.  The SYN-ACK direction is
 * made 10 ms long and loses its first SYN-ACK: the SYN at 1 s arrives at
 * 1.05 s and its answer at 1.06 s. */
START_TEST(test_direction_object)
{
	expect_ok("dir",
	          "local sc = link:dir(server, client)\n"
	          "sim.expect(tostring(sc) == 'link(server->client)', tostring(sc))\n"
	          "sim.expect(sc.from == server and sc.to == client and sc.link == link, 'fields')\n"
	          "sc:drop{ flags = 'SYN+ACK', nth = 1 }\n"
	          "sc:set('0s', { delay = '10ms' })\n"
	          "local c = client:connect(server, 80)\n"
	          "net:run{ ['until'] = '5s' }\n"
	          "sim.expect(c.established_at == 1060000000, 'at ' .. c.established_at)\n"
	          "sim.expect(sc:stats().dropped == 1 and link:stats(client).dropped == 0, 'drops')\n"
	          "sim.expect(link:rule(1).desc == 'rule #1: 1st SYN+ACK from server', link:rule(1).desc)\n",
	          NULL);
	expect_error("dir_ends", "link:dir(client, client)\n",
	             "link:dir: give the two ends of link client-server, sender first");
	expect_error("dir_other", "link:dir(client, net:host 'x')\n",
	             "link:dir: x is not an end of link client-server");
	expect_error("dir_from", "link:dir(client, server):drop{ from = server }\n",
	             "dir:drop: no 'from' here: the direction's sender is client");
	expect_error("dir_key", "link:dir(client, server):set('1s', { lossy = 1 })\n",
	             "unknown key 'lossy'");
}
END_TEST

static Suite *
l_link_suite(void)
{
	Suite *s = suite_create("l_link");
	TCase *tc = tcase_create("api");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_nth_selector_end_to_end);
	tcase_add_test(tc, test_window_probability_one_liner);
	tcase_add_test(tc, test_duplicated_syn);
	tcase_add_test(tc, test_outage_then_recovery);
	tcase_add_test(tc, test_scheduled_change_one_direction);
	tcase_add_test(tc, test_conn_selector);
	tcase_add_test(tc, test_conn_selector_utf8_name);
	tcase_add_test(tc, test_conn_selector_accepted_side);
	tcase_add_test(tc, test_set_changes_only_keys_given);
	tcase_add_test(tc, test_parallel_link_captures);
	tcase_add_test(tc, test_delay_overtaken_only_with_reorder);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_errors_name_key_and_value);
	tcase_add_test(tc, test_direction_object);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(l_link_suite());
}
