// SPDX-License-Identifier: GPL-2.0
/*
 * sg_flood: send SIP OPTIONS over UDP/IPv4 from many (spoofed) sources, fast,
 * for the open-policy selftest.  Raw socket with IP_HDRINCL and sendmmsg():
 * the kernel fills in the IP checksum and length; the UDP checksum is 0
 * (none, allowed over IPv4).  Run it only inside a test namespace.
 *
 *   sg_flood -d DST [-P PORT] [-s SRC] [-n SOURCES] [-c PACKETS] [-r PPS]
 *            [-u USER-AGENT]
 *
 * Packet i comes from SRC + (i mod SOURCES), source port 5060.  -r paces
 * to PPS packets per second (absolute schedule, no drift); without it the
 * packets go out as fast as the socket takes them.  -u '' sends no
 * User-Agent header.  Prints packets sent, seconds and packets per second.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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
	fprintf(stderr, "usage: sg_flood -d DST [-P PORT] [-s SRC] [-n SOURCES] [-c PACKETS] [-r PPS] [-u UA]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static uint8_t pkt[BATCH][PKTMAX];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	struct in_addr src = { .s_addr = htonl(0xc6120000) };	/* 198.18.0.0 */
	unsigned long nsrc = 1, count = 1, pps = 0, i, sent = 0;
	const char *ua = "sg_flood";
	char payload[PKTMAX - 28];
	int fd, one = 1, opt, plen;
	unsigned int port = 5060;
	double t0, t1;

	while ((opt = getopt(argc, argv, "d:P:s:n:c:r:u:")) != -1) {
		switch (opt) {
		case 'd': if (inet_pton(AF_INET, optarg, &dst.sin_addr) != 1) usage(); break;
		case 'P': port = strtoul(optarg, NULL, 10); break;
		case 's': if (inet_pton(AF_INET, optarg, &src) != 1) usage(); break;
		case 'n': nsrc = strtoul(optarg, NULL, 10); break;
		case 'c': count = strtoul(optarg, NULL, 10); break;
		case 'r': pps = strtoul(optarg, NULL, 10); break;
		case 'u': ua = optarg; break;
		default: usage();
		}
	}
	if (!dst.sin_addr.s_addr || !nsrc || !count)
		usage();

	plen = snprintf(payload, sizeof(payload),
			"OPTIONS sip:100@%s SIP/2.0\r\n"
			"Via: SIP/2.0/UDP 198.18.0.1:5060;branch=z9hG4bK-sgflood\r\n"
			"From: <sip:flood@198.18.0.1>;tag=1\r\n"
			"To: <sip:100@%s>\r\n"
			"Call-ID: sgflood-1\r\n"
			"CSeq: 1 OPTIONS\r\n"
			"%s%s%s"
			"Max-Forwards: 70\r\n"
			"Content-Length: 0\r\n\r\n",
			inet_ntoa(dst.sin_addr), inet_ntoa(dst.sin_addr),
			*ua ? "User-Agent: " : "", ua, *ua ? "\r\n" : "");
	if (plen <= 0 || (size_t)plen >= sizeof(payload))
		usage();

	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0) {
		perror("sg_flood: raw socket");
		return 1;
	}
	memset(msgs, 0, sizeof(msgs));
	for (i = 0; i < BATCH; i++) {
		struct iphdr *ip = (struct iphdr *)pkt[i];
		struct udphdr *udp = (struct udphdr *)(ip + 1);

		ip->version = 4;
		ip->ihl = 5;
		ip->ttl = 64;
		ip->protocol = IPPROTO_UDP;
		ip->daddr = dst.sin_addr.s_addr;
		udp->source = htons(5060);
		udp->dest = htons(port);
		udp->len = htons(sizeof(*udp) + plen);
		memcpy(udp + 1, payload, plen);
		iov[i].iov_base = pkt[i];
		iov[i].iov_len = sizeof(*ip) + sizeof(*udp) + plen;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
		msgs[i].msg_hdr.msg_name = &dst;
		msgs[i].msg_hdr.msg_namelen = sizeof(dst);
	}

	t0 = now_s();
	while (sent < count) {
		unsigned int n = pps ? 1 : BATCH, k;
		int r;

		if (n > count - sent)
			n = count - sent;
		for (k = 0; k < n; k++) {
			struct iphdr *ip = (struct iphdr *)pkt[k];

			ip->saddr = htonl(ntohl(src.s_addr) + (uint32_t)((sent + k) % nsrc));
			ip->id = htons((uint16_t)(sent + k));
		}
		if (pps) {
			double due = t0 + (double)sent / pps, wait = due - now_s();

			if (wait > 0) {
				struct timespec ts = { (time_t)wait, (long)((wait - (time_t)wait) * 1e9) };

				nanosleep(&ts, NULL);
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
	printf("sent %lu packets from %lu sources in %.3f s: %.0f packets/s\n", sent,
	       nsrc < count ? nsrc : count, t1 - t0, (t1 - t0) > 0 ? sent / (t1 - t0) : 0.0);
	return 0;
}
