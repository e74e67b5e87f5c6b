#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send one class of message that a lenient SIP stack acts on, as issue 16
lists them, to DST port 5060 only.  Plain sockets; run inside a namespace.

  sg_judge.py CLASS PROTO DST [SRC]

SRC: the address to send from (bound; for badsum the raw source).

PROTO udp or tcp.  CLASS:
  lower      "invite sip:100@... sip/2.0", "CSeq: 1 invite", benign UA
  prefix     "INVIT" (pjsip reads any prefix of INVITE as INVITE), benign UA
  crlf       an INVITE after an empty line, User-Agent: friendly-scanner
  longuri    an INVITE with a Request-URI over 256 bytes, friendly-scanner
  smuggle    tcp: a whole OPTIONS, then an INVITE's request line without its
             CRLF as one segment and the rest as the next (neither starts
             with a whole start line)
  split      tcp: an INVITE cut in its request line across two segments
  splitver   tcp: an INVITE cut inside "SIP/2.0" across two segments
  legit      tcp: two pipelined OPTIONS in one segment, then an OPTIONS with
             an SDP body cut across two segments (a remote extension)
  blf        a phone with N BLF keys (N from $SG_BLF, default 30) boots:
             see blf(); prints the keys that completed
  gso        udp: 8 datagrams in one UDP_SEGMENT send: OPTIONS, and as the
             third an INVITE with User-Agent: friendly-scanner
  gsoclean   udp: 8 OPTIONS datagrams in one UDP_SEGMENT send
  badsum     udp, IPv4: an OPTIONS with friendly-scanner and a wrong UDP
             checksum (raw socket; SRC needed)
"""
import os
import random
import socket
import struct
import sys
import time

UDP_SEGMENT = 103


def host(a):
    return "[%s]" % a if ":" in a else a


def request(method, dst, ua="Linphone/5.2", cseq_method=None, uri_user="100",
            body="", to_tag=False, transport="UDP"):
    n = random.randrange(1 << 30)
    return ("%s sip:%s@%s SIP/2.0\r\n"
            "Via: SIP/2.0/%s 192.0.2.99:5060;branch=z9hG4bK-%d\r\n"
            "From: <sip:200@%s>;tag=%d\r\n"
            "To: <sip:%s@%s>%s\r\n"
            "Call-ID: %d@judge\r\n"
            "CSeq: 1 %s\r\n"
            "Max-Forwards: 70\r\n"
            "User-Agent: %s\r\n"
            "Content-Length: %d\r\n\r\n%s"
            % (method, uri_user, host(dst), transport, n, host(dst), n, uri_user, host(dst),
               ";tag=t%d" % n if to_tag else "", n, cseq_method or method, ua,
               len(body), body)).encode()


SDP = ("v=0\r\no=- 1 1 IN IP4 192.0.2.99\r\ns=-\r\nc=IN IP4 192.0.2.99\r\nt=0 0\r\n"
       "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=ptime:20\r\na=sendrecv\r\n")


def klass(name, dst, tp):
    if name == "lower":
        m = request("invite", dst, transport=tp)
        return [m.replace(b" SIP/2.0\r\n", b" sip/2.0\r\n", 1)]
    if name == "prefix":
        return [request("INVIT", dst, transport=tp)]
    if name == "crlf":
        return [b"\r\n" + request("INVITE", dst, ua="friendly-scanner", transport=tp)]
    if name == "longuri":
        return [request("INVITE", dst, ua="friendly-scanner", uri_user="1" * 300,
                        transport=tp)]
    if name == "smuggle":
        inv = request("INVITE", dst, transport=tp)
        opt = request("OPTIONS", dst, transport=tp)
        cut = inv.index(b"\r\n")
        return [opt, inv[:cut], inv[cut:]]
    if name == "split":
        inv = request("INVITE", dst, transport=tp)
        return [inv[:10], inv[10:]]
    if name == "splitver":
        inv = request("INVITE", dst, transport=tp)
        cut = inv.index(b" SIP/2.0\r\n") + 6
        return [inv[:cut], inv[cut:]]
    if name == "legit":
        o1 = request("OPTIONS", dst, transport=tp)
        o2 = request("OPTIONS", dst, transport=tp)
        o3 = request("OPTIONS", dst, transport=tp, body=SDP)
        cut = len(o3) - len(SDP) // 2
        return [o1 + o2, o3[:cut], o3[cut:]]
    raise SystemExit("unknown class " + name)


SRC = None


def sock(dst, kind):
    s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, kind)
    if SRC:
        s.bind((SRC, 0))
    return s


def tcp_send(dst, segs, gap=0.3):
    s = sock(dst, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # close() resets: no retransmission of what was dropped later on
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.settimeout(5)
    s.connect((dst, 5060))
    for seg in segs:
        s.send(seg)
        time.sleep(gap)
    time.sleep(0.5)
    s.close()


def udp_send(dst, datagrams):
    s = sock(dst, socket.SOCK_DGRAM)
    for d in datagrams:
        s.sendto(d, (dst, 5060))
        time.sleep(0.05)


def gso(dst, bad):
    msgs = []
    for i in range(8):
        if bad and i == 2:
            msgs.append(request("INVITE", dst, ua="friendly-scanner"))
        else:
            msgs.append(request("OPTIONS", dst))
    size = max(len(m) for m in msgs) + 64
    out = []
    for m in msgs:
        # pad every datagram to one size with a body: GSO cuts at gso_size
        head, _ = m.split(b"\r\n\r\n", 1)
        head = head.replace(b"Content-Length: 0", b"Content-Length: %04d" % 0)
        pad = size - len(head) - 4
        body = b"x" * pad
        head = head.replace(b"Content-Length: 0000", b"Content-Length: %04d" % pad)
        d = head + b"\r\n\r\n" + body
        assert len(d) == size
        out.append(d)
    s = sock(dst, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, size)
    s.sendto(b"".join(out), (dst, 5060))
    print("sent 8 datagrams of %d bytes in one send" % size)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def badsum(src, dst):
    payload = request("OPTIONS", dst, ua="friendly-scanner")
    sport = 40000 + random.randrange(1000)
    ulen = 8 + len(payload)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 17, ulen)
    good = csum(pseudo + struct.pack("!HHHH", sport, 5060, ulen, 0) + payload) or 0xffff
    wrong = good ^ 0x5555
    udp = struct.pack("!HHHH", sport, 5060, ulen, wrong) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ip + udp, (dst, 0))


def blf(dst, tp, n):
    """A phone with N BLF keys boots: per key SUBSCRIBE, 401, SUBSCRIBE with
    credentials, 200 OK and NOTIFY, and the phone's 200 OK to the NOTIFY:
    three messages from the phone per key.  Prints the keys completed."""
    s = sock(dst, socket.SOCK_DGRAM if tp == "udp" else socket.SOCK_STREAM)
    s.settimeout(1)
    if tp == "udp":
        s.connect((dst, 5060))
    else:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.connect((dst, 5060))
    buf = b""

    def wait_for(what, count=1):
        nonlocal buf
        while buf.count(what) < count:
            try:
                d = s.recv(65535)
            except OSError:
                return False
            if not d:
                return False
            buf += d
        buf = b""
        return True

    done = 0
    t0 = time.time()
    for i in range(n):
        sub = request("SUBSCRIBE", dst, uri_user=str(100 + i), transport=tp.upper())
        s.send(sub)
        if not wait_for(b"SIP/2.0 401"):
            continue
        auth = sub.replace(b"Max-Forwards: 70\r\n",
                           b"Max-Forwards: 70\r\nAuthorization: Digest username=\"200\"\r\n")
        s.send(auth)
        if not wait_for(b"NOTIFY ") and b"NOTIFY " not in buf:
            continue
        s.send(b"SIP/2.0 200 OK\r\nVia: SIP/2.0/%s x;branch=z9hG4bK-n%d\r\n"
               b"From: <sip:pbx@x>;tag=p\r\nTo: <sip:200@x>;tag=%d\r\nCall-ID: n%d\r\n"
               b"CSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n"
               % (tp.upper().encode(), i, i, i))
        done += 1
    print("keys %d of %d in %.1f s" % (done, n, time.time() - t0))
    time.sleep(0.3)
    s.close()


def main():
    global SRC
    name, tp, dst = sys.argv[1], sys.argv[2], sys.argv[3]
    SRC = sys.argv[4] if len(sys.argv) > 4 else None
    if name == "gso":
        return gso(dst, True)
    if name == "gsoclean":
        return gso(dst, False)
    if name == "badsum":
        return badsum(sys.argv[4], dst)
    if name == "blf":
        return blf(dst, tp, int(os.environ.get("SG_BLF", "30")))
    segs = klass(name, dst, tp.upper())
    if tp == "udp":
        udp_send(dst, [b"".join(segs)])
    else:
        try:
            tcp_send(dst, segs)
        except OSError as e:
            print("tcp: %s" % e)


if __name__ == "__main__":
    main()
