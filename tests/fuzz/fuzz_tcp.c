/*
 * fuzz_tcp.c - TCP segment input in every state.  The first byte picks a
 * state (and the profile) in which a connection is put directly, as the
 * tcp_in suite does; the rest is a stream of segments from the peer, 12
 * bytes each: flags, sequence and acknowledgment numbers (relative to
 * what the connection expects, so most land near the window), payload
 * length, window.  After each segment, and after the timers it armed
 * have had a millisecond, the invariants hold:
 *   - the connection, if it is still in the table, is in a valid state
 *     with snd_una <= snd_nxt <= snd_max (RFC 9293 3.3.1);
 *   - the packet pool holds no more than the world can have in flight.
 */
#include <stdint.h>
#include <string.h>

#include "core/sim.h"
#include "fuzz.h"
#include "net/link.h"
#include "net/net.h"
#include "tcp/tcp.h"
#include "tcp/tcp_int.h"
#include "tcp_state.h"

static const char *
drop_all(void *ctx, const struct pkt *p)
{
	(void)ctx;
	(void)p;
	return "nothing answers";
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The connection of the 4-tuple a peer segment p names, or NULL. */
static struct tcp_conn *
find(struct tcp_host *h, const struct pkt *p)
{
	return tcp_lookup(h, p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum tcp_state st = (enum tcp_state)(data[0] % TCP_NSTATES);
	const char *profile = data[0] & 0x80 ? "rfc" : "linux";
	struct sim sim;
	sim_init(&sim, 1);
	struct net *net = net_new(&sim);
	sim.net = net;
	struct tcp_profile prof;
	FUZZ_CHECK(tcp_profile_get(profile, &prof) == 0);
	struct node *cl = net_add_node(net, "client", NODE_HOST);
	struct node *sv = net_add_node(net, "server", NODE_HOST);
	cl->tcp = tcp_host_new(cl, &prof);
	sv->tcp = tcp_host_new(sv, &prof);
	struct link_params lp;
	link_params_default(&lp);
	link_new(net, cl, sv, &lp);
	net->tap = drop_all;
	int err;
	struct tcp_listener *ls = tcp_listen(sv->tcp, 80, -1, &err);
	FUZZ_CHECK(ls != NULL);

	/* The connection, straight into st, as the tcp_in suite does. */
	struct tcp_conn *c = tcp_conn_in_state(cl, sv, ls, st);
	struct tcp_host *host = c->host;
	uint32_t laddr = c->laddr, raddr = c->raddr;
	uint16_t lport = c->lport, rport = c->rport;
	uint32_t base_seq = c->rcv_nxt, base_ack = c->snd_una;

	for (size_t off = 1; off + 12 <= size && off < 1 + 12 * 64; off += 12) {
		const uint8_t *s = data + off;
		struct pkt *p = net_pkt_alloc(net);
		FUZZ_CHECK(p != NULL);
		p->src = raddr;
		p->dst = laddr;
		p->sport = rport;
		p->dport = lport;
		p->flags = s[0];
		p->seq = base_seq + be32(s + 1);
		p->ack = base_ack + be32(s + 5);
		p->len = s[9];
		p->wnd = (uint16_t)(s[10] << 8 | s[11]);
		tcp_input(host, p);
		struct tcp_conn *now = find(host, p);
		net_pkt_free(net, p);
		sched_run(&sim.sched, sim.sched.now + SIMTIME_MS, 10000);
		if (now) {
			FUZZ_CHECK(now->state >= 0 && now->state < TCP_NSTATES);
			FUZZ_CHECK(SEQ_LEQ(now->snd_una, now->snd_nxt));
			FUZZ_CHECK(SEQ_LEQ(now->snd_nxt, now->snd_max));
		}
		FUZZ_CHECK(net->pkts_in_use < 100000);
	}
	net_free(net);
	sim_free(&sim);
	return 0;
}
