/*
 * check_net.c - nodes by address (net_find_addr in sim/net/net.c): an
 * index that must answer as the scan over nodes in creation order did,
 * as nodes are added and addresses change.
 */
#include <stdio.h>

#include "core/sim.h"
#include "helpers.h"
#include "net/net.h"

static struct sim sim;
static struct net *net;

static void
setup(void)
{
	sim_init(&sim, 1);
	net = net_new(&sim);
}

static void
teardown(void)
{
	net_free(net);
	sim_free(&sim);
}

/* The scan the index replaces. */
static struct node *
scan(uint32_t addr)
{
	for (int i = 0; i < net->nnodes; i++)
		if (net->nodes[i]->addr == addr)
			return net->nodes[i];
	return NULL;
}

/* 1000 nodes, looked up after each is added: addresses from 10.0.0.1 in
 * creation order, every one found, nothing else. */
START_TEST(test_every_node_found)
{
	char name[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof name, "n%d", i);
		struct node *n = net_add_node(net, name, NODE_HOST);
		ck_assert_ptr_nonnull(n);
		ck_assert_uint_eq(n->addr, 0x0a000001u + (uint32_t)i);
		REQUIRE(net_find_addr(net, n->addr) == n, "node %d", i);
		REQUIRE(net_find_addr(net, 0x0a000001u + (uint32_t)i + 1) == NULL,
		        "past node %d", i);
		REQUIRE(net_find_addr(net, net->nodes[i / 2]->addr) ==
		        net->nodes[i / 2], "node %d again", i / 2);
	}
	ck_assert_ptr_null(net_find_addr(net, 0));
	ck_assert_ptr_null(net_find_addr(net, 0xffffffffu));
}
END_TEST

/* A changed address is found at once under the new one, not the old;
 * one taken is refused; a new node skips addresses in use. */
START_TEST(test_address_changes)
{
	char name[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof name, "n%d", i);
		ck_assert_ptr_nonnull(net_add_node(net, name, NODE_HOST));
	}
	struct node *a = net->nodes[3];
	ck_assert_int_eq(net_set_addr(net, a, 0xc0a80001u), 0);
	ck_assert_ptr_eq(net_find_addr(net, 0xc0a80001u), a);
	ck_assert_ptr_null(net_find_addr(net, 0x0a000004u));
	ck_assert_int_eq(net_set_addr(net, net->nodes[5], 0xc0a80001u), -1);
	ck_assert_int_eq(net_set_addr(net, net->nodes[6], 0x0a000004u), 0);
	ck_assert_ptr_eq(net_find_addr(net, 0x0a000004u), net->nodes[6]);
	ck_assert_ptr_null(net_find_addr(net, 0x0a000007u));
	/* A new node starts at 10.0.0.(its number + 1) and goes up past
	 * addresses in use: n41 finds 10.0.0.42 taken by n7. */
	ck_assert_int_eq(net_set_addr(net, net->nodes[7], 0x0a00002au), 0);
	struct node *n40 = net_add_node(net, "n40", NODE_HOST);
	ck_assert_uint_eq(n40->addr, 0x0a000029u);
	struct node *n41 = net_add_node(net, "n41", NODE_HOST);
	ck_assert_uint_eq(n41->addr, 0x0a00002bu);
	for (uint32_t x = 0x0a000000u; x < 0x0a000040u; x++)
		REQUIRE(net_find_addr(net, x) == scan(x), "address %x", x);
	REQUIRE(net_find_addr(net, 0xc0a80001u) == scan(0xc0a80001u), "moved");
}
END_TEST

static Suite *
net_suite(void)
{
	Suite *s = suite_create("net");
	TCase *tc = tcase_create("addresses");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_every_node_found);
	tcase_add_test(tc, test_address_changes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return run_suite(net_suite());
}
