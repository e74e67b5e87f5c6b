#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Craft the packets the "every way SIP arrives" tests need.  Plain sockets
where they can do it (importing scapy costs seconds under TCG), Debian's
python3-scapy for extension headers.  Run inside a namespace; every packet
goes to DST only.

  sg_send.py KIND SRC DST [PORT]
KIND:
  frag       an INVITE of ~3000 bytes, fragmented by the sender's kernel
             (v4 or v6 by DST); prints the fragment count
  exthdr6    an INVITE behind hop-by-hop, destination options, routing
             (segments left 0) and atomic fragment headers
  badext6    a destination options header whose length runs past the packet
  burst      30 OPTIONS datagrams, one every 0.1 s
  crlf       a CRLF CRLF keepalive datagram
  stun       a STUN binding request (RFC 5389)
  empty      an empty UDP datagram
  tcp2       TCP handshake, then one segment with two OPTIONS, then a
             segment starting with garbage; prints what the peer acked
"""
import random
import socket
import sys
import time

IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0


def invite(src, dst, port, body_len=0):
    host = "[%s]" % dst if ":" in dst else dst
    shost = "[%s]" % src if ":" in src else src
    body = "v=0\r\n" + "a=x-pad:" + "x" * max(0, body_len - 20) + "\r\n" if body_len else ""
    return ("INVITE sip:100@%s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP %s:5060;branch=z9hG4bK-%d\r\n"
            "From: <sip:test@%s>;tag=%d\r\n"
            "To: <sip:100@%s>\r\n"
            "Call-ID: %d@%s\r\n"
            "CSeq: 1 INVITE\r\n"
            "Contact: <sip:test@%s:5060>\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: %d\r\n\r\n%s"
            % (host, shost, random.randrange(1 << 30), shost, random.randrange(1 << 30),
               host, random.randrange(1 << 30), shost, shost, len(body), body)).encode()


def options(dst, n):
    host = "[%s]" % dst if ":" in dst else dst
    return ("OPTIONS sip:%s SIP/2.0\r\nVia: SIP/2.0/TCP x:5060;branch=z9hG4bK-%d\r\n"
            "From: <sip:a@x>;tag=1\r\nTo: <sip:%s>\r\nCall-ID: c%d\r\nCSeq: %d OPTIONS\r\n"
            "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n" % (host, n, host, n, n)).encode()


def udp_send(src, dst, port, payload):
    fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if fam == socket.AF_INET:
        # Let the kernel fragment instead of refusing with EMSGSIZE.
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    s.bind((src, 5062))
    s.sendto(payload, (dst, port))
    s.close()


def main():
    kind, src, dst = sys.argv[1:4]
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 5060
    if kind == "frag":
        msg = invite(src, dst, port, 3000)
        udp_send(src, dst, port, msg)
        # 1500-byte MTU: fragments carry 1480 (v4) or 1448 (v6) bytes.
        per = 1448 if ":" in dst else 1480
        print(-(-(len(msg) + 8) // per))
    elif kind in ("exthdr6", "badext6"):
        from scapy.all import (IPv6, UDP, Raw, conf, send, IPv6ExtHdrHopByHop,
                               IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment)
        conf.verb = 0
        if kind == "exthdr6":
            send(IPv6(src=src, dst=dst) / IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() /
                 IPv6ExtHdrRouting(segleft=0) / IPv6ExtHdrFragment(m=0, offset=0, id=7) /
                 UDP(sport=5062, dport=port) / Raw(invite(src, dst, port)))
        else:
            # Destination options claiming 8 * (1 + 20) bytes; the packet
            # has 8.  (A bad hop-by-hop header never gets this far: the
            # IPv6 input path parses it before PRE_ROUTING.)
            send(IPv6(src=src, dst=dst, nh=60) / Raw(bytes([17, 20]) + b"\x01\x04" + b"\0" * 4))
    elif kind == "burst":
        for i in range(30):
            udp_send(src, dst, port, options(dst, i))
            time.sleep(0.1)
    elif kind == "crlf":
        udp_send(src, dst, port, b"\r\n\r\n")
    elif kind == "stun":
        txid = bytes(random.randrange(256) for _ in range(12))
        udp_send(src, dst, port, b"\x00\x01\x00\x00\x21\x12\xa4\x42" + txid)
    elif kind == "empty":
        udp_send(src, dst, port, b"")
    elif kind == "tcp2":
        s = socket.create_connection((dst, port), timeout=3)
        s.sendall(options(dst, 1) + options(dst, 2))
        time.sleep(0.5)
        s.sendall(b"this is not the start of a SIP message\r\n\r\n")
        time.sleep(0.5)
        s.close()
    else:
        sys.exit("unknown kind " + kind)


if __name__ == "__main__":
    main()
