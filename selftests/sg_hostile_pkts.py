#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hostile packets to the guarded ports, for sipguard_packets.sh.

  sg_hostile_pkts.py IFACE SRC4 DST4 SRC6 DST6 CORPUS_DIR SEED

Sends, at layer 2 on IFACE (so no stack of ours fixes a length), over IPv4
and IPv6: UDP with zero-length, bogus-length (0, 7, one too many, 65535)
and truncated headers; TCP with truncated headers, data offsets below 5 and
beyond the segment; UDP and TCP of the maximum size (65535-byte IP packets
on a veth of MTU 65535); random bytes
as UDP payloads and as whole transport headers; every message of the RFC
4475/5118 corpora over UDP and TCP; every prefix of a valid INVITE over UDP
and TCP.  Prints one line per class, "CLASS SENT HOOKED", where HOOKED is
how many of them the guard must count (its destination port is readable and
guarded), and a last line "total SENT HOOKED".
"""
import os
import random
import sys

from scapy.all import (conf, Ether, IP, IPv6, UDP, TCP, Raw, sendp, get_if_hwaddr)

conf.verb = 0
iface, src4, dst4, src6, dst6, corpus, seed = sys.argv[1:8]
rnd = random.Random(int(seed))
GUARDED = {5060, 5061}
# The peer's MAC: the test passes it through the environment.
dmac = os.environ["SG_PEER_MAC"]
smac = get_if_hwaddr(iface)

INVITE = (b"INVITE sip:100@192.0.2.2 SIP/2.0\r\n"
          b"Via: SIP/2.0/UDP 203.0.113.66:5060;branch=z9hG4bK-776asdhds\r\n"
          b"Max-Forwards: 70\r\n"
          b"To: <sip:100@192.0.2.2>\r\n"
          b"From: \"100\" <sip:100@203.0.113.66>;tag=1928301774\r\n"
          b"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
          b"CSeq: 314159 INVITE\r\n"
          b"Contact: <sip:100@203.0.113.66>\r\n"
          b"User-Agent: friendly-scanner\r\n"
          b"Content-Type: application/sdp\r\n"
          b"Content-Length: 0\r\n\r\n")

classes = []


def l3(v6, proto):
    if v6:
        return Ether(src=smac, dst=dmac) / IPv6(src=src6, dst=dst6, nh=proto)
    return Ether(src=smac, dst=dmac) / IP(src=src4, dst=dst4, proto=proto)


def add(name, pkts, hooked):
    classes.append((name, pkts, hooked))


def raw_l4(v6, proto, l4bytes):
    """An IP packet whose transport part is exactly these bytes."""
    p = l3(v6, proto) / Raw(l4bytes)
    dport = int.from_bytes(l4bytes[2:4], "big") if len(l4bytes) >= 4 else None
    return p, dport in GUARDED


def udp(v6, payload, dport=5060, **kw):
    return l3(v6, 17) / UDP(sport=40000 + rnd.randrange(20000), dport=dport, **kw) / Raw(payload)


def tcp(v6, payload, dport=5060, flags="PA", **kw):
    return l3(v6, 6) / TCP(sport=40000 + rnd.randrange(20000), dport=dport, flags=flags,
                           seq=rnd.randrange(1 << 32), ack=1, **kw) / Raw(payload)


for v6 in (False, True):
    fam = "v6" if v6 else "v4"
    # UDP: zero-length payload, bogus length fields.
    add("udp-zero-length-" + fam, [udp(v6, b"")], 1)
    body = INVITE[:100]
    bogus = [udp(v6, body, len=n) for n in (0, 1, 7, 8 + len(body) + 1, 65535)]
    bogus += [udp(v6, body, len=8)]  # says empty, carries 100 bytes: consistent enough
    add("udp-bogus-length-" + fam, bogus, len(bogus))
    # Truncated UDP headers: 0-7 bytes of one (ports readable from 4 on).
    hdr = bytes(UDP(sport=5060, dport=5060, len=8, chksum=0))
    pk = [raw_l4(v6, 17, hdr[:n]) for n in range(8)]
    add("udp-truncated-header-" + fam, [p for p, _ in pk], sum(h for _, h in pk))
    # TCP: truncated headers, bad data offsets.
    th = bytes(TCP(sport=40000, dport=5060, flags="S", seq=1))
    pk = [raw_l4(v6, 6, th[:n]) for n in range(20)]
    add("tcp-truncated-header-" + fam, [p for p, _ in pk], sum(h for _, h in pk))
    bad_doff = [tcp(v6, b"x" * 8, dataofs=d) for d in (0, 1, 4, 15)]
    add("tcp-bad-data-offset-" + fam, bad_doff, len(bad_doff))
    flags = [tcp(v6, b"", flags=f) for f in ("S", "SA", "F", "R", "FSRPAUEC", "")]
    add("tcp-flags-" + fam, flags, len(flags))
    # Maximum sizes: 65535-byte IP packets (the veth MTU is 65535).
    l3len = 40 if v6 else 20
    umax = 65535 - l3len - 8
    tmax = 65535 - l3len - 20
    add("max-size-" + fam, [udp(v6, INVITE + b"a" * (umax - len(INVITE))),
                            tcp(v6, INVITE + b"a" * (tmax - len(INVITE))),
                            udp(v6, b"\xff" * umax, dport=5061)], 3)
    # Random bytes: as UDP payloads, and as whole transport headers.
    rp = [udp(v6, rnd.randbytes(rnd.randrange(1400))) for _ in range(100)]
    rp += [tcp(v6, rnd.randbytes(rnd.randrange(1400))) for _ in range(50)]
    add("random-payload-" + fam, rp, len(rp))
    pk = []
    for i in range(150):
        b = bytearray(rnd.randbytes(rnd.randrange(64)))
        if len(b) >= 4 and i % 2:
            b[2:4] = (5060).to_bytes(2, "big")  # half of them to the guarded port
        pk.append(raw_l4(v6, rnd.choice((6, 17)), bytes(b)))
    add("random-l4-" + fam, [p for p, _ in pk], sum(h for _, h in pk))

# The torture corpora and every prefix of an INVITE (IPv4 UDP and TCP, and
# IPv6 UDP).
msgs = []
for sub in ("rfc4475", "rfc5118"):
    d = os.path.join(corpus, sub)
    for f in sorted(os.listdir(d)):
        with open(os.path.join(d, f), "rb") as fh:
            msgs.append(fh.read()[:1400])
add("corpus-udp", [udp(False, m) for m in msgs] + [udp(True, m) for m in msgs], 2 * len(msgs))
add("corpus-tcp", [tcp(False, m) for m in msgs], len(msgs))
pref = [INVITE[:n] for n in range(len(INVITE) + 1)]
add("invite-prefixes-udp", [udp(False, p) for p in pref] + [udp(True, p) for p in pref], 2 * len(pref))
add("invite-prefixes-tcp", [tcp(False, p) for p in pref], len(pref))

sent = hooked = 0
for name, pkts, h in classes:
    sendp(pkts, iface=iface)
    print("%s %d %d" % (name, len(pkts), h))
    sent += len(pkts)
    hooked += h
print("total %d %d" % (sent, hooked))
