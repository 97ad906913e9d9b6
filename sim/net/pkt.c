/*
 * pkt.c - sizes and names of packets and their flags.
 */
#include "pkt.h"

#include <stdio.h>
#include <string.h>

size_t
pkt_opts_len(const struct tcp_opts *o)
{
	size_t n = 0;
	if (o->present & OPT_MSS)
		n += 4;
	if (o->present & OPT_WSCALE)
		n += 3;
	if (o->present & OPT_SACKOK)
		n += 2;
	if (o->present & OPT_TS)
		n += 10;
	/* Two NOPs, kind, length and 8 bytes a block (Linux's layout). */
	if ((o->present & OPT_SACK) && o->nsack)
		n += 4 + 8 * (size_t)o->nsack;
	return (n + 3) & ~(size_t)3;
}

uint32_t
pkt_wire_len(const struct pkt *p)
{
	if (p->icmp)
		return 20 + 8 + PKT_ICMP_QUOTE;
	return 20 + 20 + (uint32_t)pkt_opts_len(&p->opt) + p->len;
}

uint32_t
pkt_seg_len(const struct pkt *p)
{
	return p->len + !!(p->flags & TH_SYN) + !!(p->flags & TH_FIN);
}

static const struct {
	uint8_t bit;
	const char *name;
} flag_names[] = {
	{ TH_SYN, "SYN" }, { TH_FIN, "FIN" }, { TH_RST, "RST" },
	{ TH_PSH, "PSH" }, { TH_ACK, "ACK" }, { TH_URG, "URG" },
	{ TH_ECE, "ECE" }, { TH_CWR, "CWR" },
};

const char *
pkt_flags_str(uint8_t flags, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++) {
		if (!(flags & flag_names[i].bit))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s", n ? "+" : "",
		                 flag_names[i].name);
		if (w < 0 || (size_t)w >= len - n)
			break;
		n += (size_t)w;
	}
	if (n == 0)
		snprintf(buf, len, "none");
	return buf;
}

const char *
pkt_kind_str(const struct pkt *p, char *buf, size_t len)
{
	if (p->icmp) {
		snprintf(buf, len, "ICMP");
		return buf;
	}
	return pkt_flags_str(p->flags, buf, len);
}

void
pkt_icmp_about(struct pkt *icmp, const struct pkt *p, uint8_t type,
               uint8_t code)
{
	icmp->icmp = true;
	icmp->icmp_type = type;
	icmp->icmp_code = code;
	icmp->quote = (struct pkt_quote){
		.src = p->src, .dst = p->dst, .ip_id = p->ip_id,
		.ip_len = (uint16_t)pkt_wire_len(p), .ttl = p->ttl,
		.flags = p->flags, .sport = p->sport, .dport = p->dport,
		.seq = p->seq,
	};
	icmp->dst = p->src;
}

int
pkt_flags_parse(const char *text, uint8_t *flags)
{
	uint8_t f = 0;
	const char *p = text;
	if (strcmp(text, "none") == 0) {
		*flags = 0;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, "+|, ");
		bool found = false;
		for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
			if (strlen(flag_names[i].name) == n &&
			    strncmp(flag_names[i].name, p, n) == 0) {
				f |= flag_names[i].bit;
				found = true;
			}
		if (!found)
			return -1;
		p += n;
		if (*p)
			p++;
	}
	*flags = f;
	return 0;
}

const char *
pkt_addr_str(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255,
	         (a >> 8) & 255, a & 255);
	return buf;
}

int
pkt_addr_parse(const char *text, uint32_t *addr)
{
	unsigned b[4];
	char tail;
	if (sscanf(text, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4)
		return -1;
	for (int i = 0; i < 4; i++)
		if (b[i] > 255)
			return -1;
	*addr = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3];
	return 0;
}
