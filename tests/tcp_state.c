/*
 * tcp_state.c - a connection put straight into any state (tcp_state.h).
 */
#include "tcp_state.h"

#include "tcp/tcp_int.h"

struct tcp_conn *
tcp_conn_in_state(struct node *client, struct node *server,
                  struct tcp_listener *ls, enum tcp_state st)
{
	bool passive = st == TCP_SYN_RECEIVED || st == TCP_LISTEN;
	struct node *me = passive ? server : client;
	struct node *peer = passive ? client : server;
	struct tcp_conn *c = tcp_conn_new(me->tcp, me->addr, passive ? 80 : 5000,
	                                  peer->addr, passive ? 5000 : 80);
	c->iss = 1000;
	c->irs = 5000;
	c->rcv_nxt = 5001;
	c->snd_una = 1001;
	c->snd_nxt = c->snd_max = 1001;
	c->sbuf_seq = 1001;
	c->snd_wnd = c->max_snd_wnd = 65535;
	c->snd_wl1 = 5000;
	c->snd_wl2 = 1001;
	c->eff_mss = 1460;
	c->t_established = 0;
	switch (st) {
	case TCP_SYN_SENT:
		c->snd_una = 1000;
		c->irs = c->rcv_nxt = 0;
		c->t_established = -1;
		tcp_arm_rtx(c, RTX_SYN, SIMTIME_S);
		break;
	case TCP_SYN_RECEIVED:
		c->snd_una = 1000;
		c->passive = true;
		c->listener = ls;
		ls->pending++;
		c->t_established = -1;
		tcp_arm_rtx(c, RTX_SYNACK, SIMTIME_S);
		break;
	case TCP_FIN_WAIT_1:
	case TCP_CLOSING:
	case TCP_LAST_ACK:
		c->fin_queued = true;
		c->fin_seq = 1001;
		c->snd_nxt = c->snd_max = 1002;
		tcp_arm_rtx(c, RTX_DATA, SIMTIME_S);
		break;
	case TCP_FIN_WAIT_2:
	case TCP_TIME_WAIT:
		c->fin_queued = true;
		c->fin_seq = 1001;
		c->snd_una = c->snd_nxt = c->snd_max = 1002;
		break;
	default:
		break;
	}
	if (TCP_HAVE_RCVD_FIN(st))
		c->rcv_nxt = 5002;
	if (st == TCP_TIME_WAIT)
		tcp_arm_life(c, LIFE_TW, c->host->prof.time_wait);
	c->state = st;
	if (st != TCP_CLOSED && st != TCP_LISTEN)
		tcp_table_insert(c);
	return c;
}
