#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A lenient phone stand-in: reads SIP the way pjsip, sofia-sip and most desk
phones do, so that what sipguard lets through is seen as they would see it.

  sg_phone.py LOG [PORT]

Listens on UDP and TCP PORT (default 5060), IPv4 and IPv6.  Leading CRLFs are
skipped (RFC 3261 7.5), methods match in any case and, as pjsip does, any
prefix of "INVITE" is INVITE.  TCP is framed by Content-Length (also "l:"),
pipelined messages one after the other.  Every request is logged to LOG as
"PROTO SOURCE METHOD USER-AGENT" (INVITE = a ring) and answered (replies()).
"""
import os
import re
import select
import socket
import sys

CORE = ["INVITE", "CANCEL", "ACK", "BYE", "REGISTER", "OPTIONS"]
CL = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", re.I | re.M)
UA = re.compile(rb"^user-agent[ \t]*:[ \t]*(.*?)\r?$", re.I | re.M)


def method_of(tok):
    up = tok.upper()
    for m in CORE:
        if up and m.startswith(up):
            return m
    return up or "?"


def log_msg(log, proto, src, head):
    line = head.split(b"\n", 1)[0].strip()
    parts = line.split()
    if len(parts) < 3 or not parts[-1].upper().startswith(b"SIP/2.0") or line.upper().startswith(b"SIP/"):
        return False
    ua = UA.search(head)
    log.write("%s %s %s %s\n" % (proto, src, method_of(parts[0].decode("latin1")),
                                 ua.group(1).decode("latin1") if ua else "-"))
    log.flush()
    return True


def replies(head):
    """What the stand-in answers: 200 OK; a SUBSCRIBE is first challenged
    (401), then, with credentials, answered 200 OK and followed by a NOTIFY,
    as a PBX does for each BLF key of a phone."""
    line = head.split(b"\r\n", 1)[0]
    if not line.upper().startswith(b"SUBSCRIBE "):
        return [b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"]
    if not re.search(rb"^authorization[ \t]*:", head, re.I | re.M):
        return [b"SIP/2.0 401 Unauthorized\r\nWWW-Authenticate: Digest realm=\"pbx\", "
                b"nonce=\"1\"\r\nContent-Length: 0\r\n\r\n"]
    return [b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n",
            b"NOTIFY sip:phone SIP/2.0\r\nEvent: dialog\r\nContent-Length: 0\r\n\r\n"]


def main():
    log = open(sys.argv[1], "a")
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 5060
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    u.bind(("::", port))
    t = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    t.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    t.bind(("::", port))
    t.listen(64)
    conns = {}
    while True:
        r, _, _ = select.select([u, t] + list(conns), [], [])
        for s in r:
            if s is u:
                data, a = u.recvfrom(65535)
                data = data.lstrip(b"\r\n")
                head = data.split(b"\r\n\r\n", 1)[0]
                if data and log_msg(log, "udp", a[0], head):
                    for m in replies(head):
                        u.sendto(m, a)
            elif s is t:
                c, a = t.accept()
                conns[c] = [a[0], b""]
            else:
                try:
                    data = s.recv(65535)
                except OSError:
                    data = b""
                if not data:
                    s.close()
                    del conns[s]
                    continue
                st = conns[s]
                st[1] += data
                while True:
                    buf = st[1].lstrip(b"\r\n")
                    end = buf.find(b"\r\n\r\n")
                    if end < 0:
                        st[1] = buf
                        break
                    head = buf[:end]
                    m = CL.search(head)
                    total = end + 4 + (int(m.group(1)) if m else 0)
                    if len(buf) < total:
                        st[1] = buf
                        break
                    st[1] = buf[total:]
                    if log_msg(log, "tcp", st[0], head):
                        try:
                            s.sendall(b"".join(replies(head)))
                        except OSError:
                            pass


if __name__ == "__main__":
    main()
