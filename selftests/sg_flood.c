// SPDX-License-Identifier: GPL-2.0
/*
 * sg_flood: send SIP OPTIONS over UDP from many (spoofed) sources, fast or
 * paced, for the open-policy selftest.  IPv4 or IPv6 by the destination's
 * family.  Raw sockets with the IP header included (IP_HDRINCL, IPV6_HDRINCL)
 * and sendmmsg(): over IPv4 the kernel fills in the IP checksum and length
 * and the UDP checksum is 0 (none); over IPv6 the payload length and the
 * (mandatory) UDP checksum are computed here.  Run it only inside a test
 * namespace, with documentation addresses (192.0.2.0/24, 198.51.100.0/24,
 * 203.0.113.0/24, 2001:db8::/32).
 *
 *   sg_flood -d DST [-P PORT] [-s SRC] [-p PLEN] [-n SOURCES] [-c PACKETS]
 *            [-r PPS] [-u USER-AGENT]... [-M METHOD] [-T TO-TAG]
 *
 * Packet i comes from source i mod SOURCES: SRC plus that number times
 * 2^(bits - PLEN), i.e. the number is added at the last bit of a PLEN-bit
 * prefix, so every source is a different /PLEN.  PLEN defaults to 32 over
 * IPv4 (consecutive addresses) and 64 over IPv6 (consecutive /64s:
 * 2001:db8:XXXX:YYYY::/64, the key of the module's default prefix6).
 * SRC defaults to 203.0.113.128 and 2001:db8:1000::.  Source port 5060.
 * -r paces to PPS packets per second on an absolute schedule (no drift),
 * in batches of what is due; without it the packets go out as fast as the
 * socket takes them.  -u '' sends no User-Agent header; -u given several
 * times makes packet i carry the (i mod N)th.  -M sends METHOD requests
 * (default OPTIONS), -T puts a tag on the To header (an in-dialog request).
 * Prints packets sent, sources, seconds, packets per second and when the
 * first packet went out (CLOCK_REALTIME, seconds), for tests to line up
 * with what the kernel reports.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef IPV6_HDRINCL
#define IPV6_HDRINCL 36
#endif

#define BATCH 256
#define PKTMAX 1024

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: sg_flood -d DST [-P PORT] [-s SRC] [-p PLEN] [-n SOURCES] "
		"[-c PACKETS] [-r PPS] [-u UA]\n");
	exit(2);
}

/* @a (@len bytes, network order) plus @n << (len * 8 - plen), wrapping. */
static void addr_add(uint8_t *a, int len, unsigned int plen, unsigned long n)
{
	unsigned int bit = len * 8 - plen;	/* where n's bit 0 goes */
	int i = len - 1 - bit / 8;
	unsigned long long carry = (unsigned long long)n << (bit % 8);

	for (; i >= 0 && carry; i--) {
		carry += a[i];
		a[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#define MAXUA 64

int main(int argc, char **argv)
{
	static uint8_t pkt[BATCH][PKTMAX];
	static char payload[MAXUA][PKTMAX - 48];
	static int paylen[MAXUA];
	static uint32_t sum0[MAXUA];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_storage dst;
	socklen_t dstlen;
	uint8_t daddr[16], sbase[16];
	const char *dstr = NULL, *sstr = NULL, *method = "OPTIONS", *totag = NULL;
	const char *ua[MAXUA];
	unsigned long nsrc = 1, count = 1, pps = 0, sent = 0;
	unsigned int port = 5060, plen = 0, hlen, alen, nua = 0, u;
	char host[INET6_ADDRSTRLEN + 2];
	const char *from;
	int fd, one = 1, opt, v6;
	struct timespec rt0;
	double t0, t1;

	while ((opt = getopt(argc, argv, "d:P:s:p:n:c:r:u:M:T:")) != -1) {
		switch (opt) {
		case 'd': dstr = optarg; break;
		case 'P': port = strtoul(optarg, NULL, 10); break;
		case 's': sstr = optarg; break;
		case 'p': plen = strtoul(optarg, NULL, 10); break;
		case 'n': nsrc = strtoul(optarg, NULL, 10); break;
		case 'c': count = strtoul(optarg, NULL, 10); break;
		case 'r': pps = strtoul(optarg, NULL, 10); break;
		case 'u': if (nua >= MAXUA) usage(); ua[nua++] = optarg; break;
		case 'M': method = optarg; break;
		case 'T': totag = optarg; break;
		default: usage();
		}
	}
	if (!dstr || !nsrc || !count || port > 65535)
		usage();
	if (!nua)
		ua[nua++] = "sg_flood";
	v6 = strchr(dstr, ':') != NULL;
	alen = v6 ? 16 : 4;
	hlen = v6 ? sizeof(struct ip6_hdr) : sizeof(struct iphdr);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, dstr, daddr) != 1)
		usage();
	if (inet_pton(v6 ? AF_INET6 : AF_INET, sstr ? sstr : v6 ? "2001:db8:1000::" : "203.0.113.128",
		      sbase) != 1)
		usage();
	if (!plen)
		plen = v6 ? 64 : 32;
	if (plen < 1 || plen > alen * 8)
		usage();

	memset(&dst, 0, sizeof(dst));
	if (v6) {
		struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)&dst;

		d6->sin6_family = AF_INET6;
		memcpy(&d6->sin6_addr, daddr, 16);
		dstlen = sizeof(*d6);
		snprintf(host, sizeof(host), "[%s]", dstr);
	} else {
		struct sockaddr_in *d4 = (struct sockaddr_in *)&dst;

		d4->sin_family = AF_INET;
		memcpy(&d4->sin_addr, daddr, 4);
		dstlen = sizeof(*d4);
		snprintf(host, sizeof(host), "%s", dstr);
	}

	from = v6 ? "[2001:db8::1]" : "203.0.113.1";
	for (u = 0; u < nua; u++) {
		int n = snprintf(payload[u], sizeof(payload[u]),
				 "%s sip:100@%s SIP/2.0\r\n"
				 "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-sgflood\r\n"
				 "From: <sip:flood@%s>;tag=1\r\n"
				 "To: <sip:100@%s>%s%s\r\n"
				 "Call-ID: sgflood-1\r\n"
				 "CSeq: 1 %s\r\n"
				 "Contact: <sip:flood@%s>\r\n"
				 "%s%s%s"
				 "Max-Forwards: 70\r\n"
				 "Content-Length: 0\r\n\r\n",
				 method, host, from, from, host, totag ? ";tag=" : "",
				 totag ? totag : "", method, from,
				 *ua[u] ? "User-Agent: " : "", ua[u], *ua[u] ? "\r\n" : "");

		if (n <= 0 || (size_t)n >= sizeof(payload[u]))
			usage();
		paylen[u] = n;
		/* UDP checksum over IPv6: all but the source address, once. */
		sum0[u] = csum_add(0, daddr, 16);
		sum0[u] += IPPROTO_UDP + sizeof(struct udphdr) + n;	/* pseudo-header */
		sum0[u] += 5060 + port + sizeof(struct udphdr) + n;	/* UDP header */
		sum0[u] = csum_add(sum0[u], payload[u], n);
	}

	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_HDRINCL : IP_HDRINCL,
				 &one, sizeof(one)) < 0) {
		perror("sg_flood: raw socket");
		return 1;
	}

	memset(msgs, 0, sizeof(msgs));
	memset(pkt, 0, sizeof(pkt));
	for (u = 0; u < BATCH; u++) {
		msgs[u].msg_hdr.msg_iov = &iov[u];
		msgs[u].msg_hdr.msg_iovlen = 1;
		msgs[u].msg_hdr.msg_name = &dst;
		msgs[u].msg_hdr.msg_namelen = dstlen;
		iov[u].iov_base = pkt[u];
	}

	clock_gettime(CLOCK_REALTIME, &rt0);
	t0 = now_s();
	while (sent < count) {
		unsigned long n = count - sent, k;
		int r;

		if (pps) {
			/* What is due by now (at least one: sleep until it is). */
			double due = (now_s() - t0) * pps;

			if (due < sent + 1) {
				double wait = (sent + 1 - due) / pps;
				struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };

				nanosleep(&ts, NULL);
				continue;
			}
			if (n > (unsigned long)due - sent)
				n = (unsigned long)due - sent;
		}
		if (n > BATCH)
			n = BATCH;
		for (k = 0; k < n; k++) {
			unsigned long i = sent + k;
			struct udphdr *udp = (struct udphdr *)(pkt[k] + hlen);
			uint8_t s[16];

			u = i % nua;
			memcpy(s, sbase, alen);
			addr_add(s, alen, plen, i % nsrc);
			udp->source = htons(5060);
			udp->dest = htons(port);
			udp->len = htons(sizeof(*udp) + paylen[u]);
			memcpy(udp + 1, payload[u], paylen[u]);
			iov[k].iov_len = hlen + sizeof(*udp) + paylen[u];
			if (v6) {
				struct ip6_hdr *ip6 = (struct ip6_hdr *)pkt[k];
				uint16_t c = csum_fold(csum_add(sum0[u], s, 16));

				ip6->ip6_flow = htonl(6U << 28);
				ip6->ip6_plen = htons(sizeof(*udp) + paylen[u]);
				ip6->ip6_nxt = IPPROTO_UDP;
				ip6->ip6_hlim = 64;
				memcpy(&ip6->ip6_src, s, 16);
				memcpy(&ip6->ip6_dst, daddr, 16);
				udp->check = htons(c ? c : 0xffff);
			} else {
				struct iphdr *ip = (struct iphdr *)pkt[k];

				ip->version = 4;
				ip->ihl = 5;
				ip->ttl = 64;
				ip->protocol = IPPROTO_UDP;
				ip->id = htons((uint16_t)i);
				memcpy(&ip->saddr, s, 4);
				memcpy(&ip->daddr, daddr, 4);
				udp->check = 0;
			}
		}
		r = sendmmsg(fd, msgs, n, 0);
		if (r < 0) {
			if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR)
				continue;
			perror("sg_flood: sendmmsg");
			return 1;
		}
		sent += r;
	}
	t1 = now_s();
	printf("sent %lu packets from %lu sources in %.3f s: %.0f packets/s, start %ld.%06ld\n",
	       sent, nsrc < count ? nsrc : count, t1 - t0, (t1 - t0) > 0 ? sent / (t1 - t0) : 0.0,
	       (long)rt0.tv_sec, rt0.tv_nsec / 1000);
	return 0;
}
