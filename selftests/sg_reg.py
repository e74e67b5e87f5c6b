#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Phones, a registrar and a scanner for the learned-port tests
(sipguard_learn_guard.sh): what arrives where, by the tag each message
carries in its Request-URI user, on the sockets a real phone would use.

  sg_reg.py registrar CTL LOG ADDR...
      Answers every REGISTER on UDP and TCP port 5060 of each ADDR with a
      200 OK granting what was asked, sent where the REGISTER came from (its
      source address and port, as with rport; on TCP over the phone's own
      connection).  Reads commands from the FIFO CTL:
        invite udp SRC DST PORT TAG   an INVITE from SRC:5060 (the socket
                                      the REGISTERs came to: the NAT's
                                      mapping lets it in)
        invite tcp TAG                an INVITE over the last phone's TCP
                                      connection
  sg_reg.py phone LOG PROTO SRC SPORT REGISTRAR EXPIRES [VIA_PORT [CONTACT_PORT]]
      Registers (PROTO udp: from SRC:SPORT; tcp: a connection from SRC to
      REGISTRAR:5060, CONTACT_PORT listening), logs "registered", then logs
      what arrives on that socket, connection and listener until killed.
      SIGUSR1: unregister (Expires: 0) from the same socket ("unregistered").
  sg_reg.py catch LOG ADDR PORT...
      Logs what arrives on UDP and TCP ADDR:PORT... (a service, or a phone
      that did not register).
  sg_reg.py sender CTL OUT
      Sends what the FIFO CTL asks (the registrar takes these commands too):
        send invite|data SRC DST PORT TAG  one datagram from SRC (any port):
                                           an INVITE, or bytes that are not SIP
        connect SRC DST PORT ID            a TCP SYN; appends "ID connected"
                                           (refused, timeout: 2 s) to OUT
      (one process per namespace: python starts slowly in a TCG guest).

Log lines: "PROTO SOURCE WHAT TAG" (WHAT: INVITE, data, connect).
"""
import os
import random
import re
import select
import signal
import socket
import sys
import time


def fam(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def host(addr):
    return "[%s]" % addr if ":" in addr else addr


def hdr(msg, name):
    m = re.search(rb"^" + name + rb"[ \t]*:[ \t]*(.*?)\r?$", msg, re.I | re.M)
    return m.group(1).decode("latin1") if m else ""


def invite(dst, port, tag, proto="UDP"):
    return ("INVITE sip:%s@%s:%d SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s:5060;branch=z9hG4bK-%d\r\n"
            "From: <sip:caller@example.invalid>;tag=%d\r\n"
            "To: <sip:100@%s>\r\n"
            "Call-ID: %d@example.invalid\r\n"
            "CSeq: 1 INVITE\r\n"
            "Max-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
            % (tag, host(dst), port, proto, host(dst), random.randrange(1 << 30),
               random.randrange(1 << 30), host(dst), random.randrange(1 << 30))).encode()


class Log:
    def __init__(self, path):
        self.f = open(path, "a")

    def __call__(self, *words):
        self.f.write(" ".join(str(w) for w in words) + "\n")
        self.f.flush()


def note(log, proto, src, data):
    """Log what arrived: a request by method and tag, else "data"."""
    line = data.lstrip(b"\r\n").split(b"\r\n", 1)[0].decode("latin1")
    m = re.match(r"([A-Z]+) sips?:([^@]+)@\S* SIP/2\.0$", line)
    if m:
        log(proto, src, m.group(1), m.group(2))
    elif line.startswith("SIP/2.0 "):
        log(proto, src, "answer", line.split()[1])
    else:
        log(proto, src, "data", (line.split() or ["-"])[-1])
    return m


def frames(buf):
    """Split a TCP stream into SIP messages (Content-Length framing)."""
    out = []
    while True:
        buf = buf.lstrip(b"\r\n")
        end = buf.find(b"\r\n\r\n")
        if end < 0:
            return out, buf
        cl = re.search(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", buf[:end], re.I | re.M)
        total = end + 4 + (int(cl.group(1)) if cl else 0)
        if len(buf) < total:
            return out, buf
        out.append(buf[:total])
        buf = buf[total:]


def ok_for(req, extra=""):
    lines = ["SIP/2.0 200 OK"]
    for name in (b"via", b"from", b"call-id", b"cseq"):
        lines += ["%s: %s" % (name.decode().title(), v.decode("latin1")) for v in
                  re.findall(rb"^" + name + rb"[ \t]*:[ \t]*(.*?)\r?$", req, re.I | re.M)]
    lines.append("To: %s;tag=%d" % (hdr(req, b"to"), random.randrange(1 << 30)))
    return ("\r\n".join(lines) + "\r\n" + extra + "Content-Length: 0\r\n\r\n").encode()


def command(w, log):
    """A sender's command (see the usage): true if it was one."""
    if w[:1] == ["send"]:
        kind, src, dst, port, tag = w[1], w[2], w[3], int(w[4]), w[5]
        s = socket.socket(fam(dst), socket.SOCK_DGRAM)
        s.bind((src, 0))
        s.sendto(invite(dst, port, tag) if kind == "invite" else
                 ("not sip %s\r\n" % tag).encode(), (dst, port))
        s.close()
    elif w[:1] == ["connect"]:
        src, dst, port, ident = w[1], w[2], int(w[3]), w[4]
        s = socket.socket(fam(dst), socket.SOCK_STREAM)
        s.bind((src, 0))
        s.settimeout(2)
        try:
            s.connect((dst, port))
            log(ident, "connected")
        except ConnectionRefusedError:
            log(ident, "refused")
        except (socket.timeout, OSError):
            log(ident, "timeout")
        s.close()
    else:
        return False
    return True


def lines(fd, buf):
    """Whole lines read from the FIFO fd, and what is left of buf."""
    buf += os.read(fd, 4096)
    out = []
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        out.append(line.decode().split())
    return out, buf


def sender(ctl, out):
    log = Log(out)
    fifo = os.open(ctl, os.O_RDWR)
    buf = b""
    while True:
        cmds, buf = lines(fifo, buf)
        for w in cmds:
            command(w, log)


def registrar(ctl, logpath, addrs):
    log = Log(logpath)
    socks, lsn, conns = {}, [], {}
    last_tcp = None
    for a in addrs:
        u = socket.socket(fam(a), socket.SOCK_DGRAM)
        u.bind((a, 5060))
        socks[u] = a
        t = socket.socket(fam(a), socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((a, 5060))
        t.listen(16)
        lsn.append(t)
    fifo = os.open(ctl, os.O_RDWR | os.O_NONBLOCK)
    cbuf = b""

    def answer(req):
        c = re.search(rb"^(?:contact|m)[ \t]*:[ \t]*(<[^>]*>)", req, re.I | re.M)
        exp = re.search(rb"expires=(\d+)", req, re.I) or \
            re.search(rb"^expires[ \t]*:[ \t]*(\d+)", req, re.I | re.M)
        granted = exp.group(1).decode() if exp else "3600"
        contact = "Contact: %s;expires=%s\r\n" % (c.group(1).decode("latin1"), granted) if c else ""
        return ok_for(req, contact), granted

    while True:
        r, _, _ = select.select(list(socks) + lsn + list(conns) + [fifo], [], [])
        for s in r:
            if s == fifo:
                cmds, cbuf = lines(fifo, cbuf)
                for w in cmds:
                    if command(w, log):
                        pass
                    elif w[:2] == ["invite", "udp"]:
                        src, dst, port, tag = w[2], w[3], int(w[4]), w[5]
                        u = [k for k, v in socks.items() if v == src][0]
                        u.sendto(invite(dst, port, tag), (dst, port))
                        log("sent", "udp", dst, port, tag)
                    elif w[:2] == ["invite", "tcp"] and last_tcp:
                        peer = last_tcp.getpeername()
                        last_tcp.sendall(invite(peer[0], peer[1], w[2], "TCP"))
                        log("sent", "tcp", peer[0], peer[1], w[2])
            elif s in socks:
                data, a = s.recvfrom(65535)
                if data.startswith(b"REGISTER "):
                    msg, granted = answer(data)
                    s.sendto(msg, a)
                    log("register", "udp", a[0], a[1], granted)
                else:
                    note(log, "udp", a[0], data)
            elif s in lsn:
                c, a = s.accept()
                conns[c] = b""
                last_tcp = c
            else:
                try:
                    data = s.recv(65535)
                except OSError:
                    data = b""
                if not data:
                    s.close()
                    del conns[s]
                    last_tcp = None if last_tcp is s else last_tcp
                    continue
                msgs, conns[s] = frames(conns[s] + data)
                for m in msgs:
                    if m.startswith(b"REGISTER "):
                        msg, granted = answer(m)
                        s.sendall(msg)
                        a = s.getpeername()
                        log("register", "tcp", a[0], a[1], granted)
                        last_tcp = s
                    else:
                        note(log, "tcp", s.getpeername()[0], m)


def register_msg(proto, src, via_port, contact_port, reg, expires, callid, cseq):
    tp = ";transport=tcp" if proto == "TCP" else ""
    return ("REGISTER sip:%s SIP/2.0\r\n"
            "Via: SIP/2.0/%s %s:%d;rport;branch=z9hG4bK-%d\r\n"
            "From: <sip:100@%s>;tag=%d\r\n"
            "To: <sip:100@%s>\r\n"
            "Call-ID: %s\r\n"
            "CSeq: %d REGISTER\r\n"
            "Contact: <sip:100@%s:%d%s>\r\n"
            "Expires: %d\r\n"
            "Max-Forwards: 70\r\n"
            "User-Agent: sipguard-selftest-phone\r\n"
            "Content-Length: 0\r\n\r\n"
            % (host(reg), proto, host(src), via_port, random.randrange(1 << 30), host(reg),
               random.randrange(1 << 30), host(reg), callid, cseq, host(src), contact_port,
               tp, expires)).encode()


def phone(logpath, proto, src, sport, reg, expires, via_port, contact_port):
    log = Log(logpath)
    callid = "%d@%s" % (random.randrange(1 << 30), host(src))
    cseq = [1]
    unreg = [False]
    signal.signal(signal.SIGUSR1, lambda *a: unreg.__setitem__(0, True))
    lsn, conns = [], {}
    if proto == "udp":
        s = socket.socket(fam(src), socket.SOCK_DGRAM)
        s.bind((src, sport))

        def send_reg(exp):
            s.sendto(register_msg("UDP", src, via_port, contact_port, reg, exp, callid,
                                  cseq[0]), (reg, 5060))
    else:
        t = socket.socket(fam(src), socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((src, contact_port))
        t.listen(16)
        lsn.append(t)
        s = socket.socket(fam(src), socket.SOCK_STREAM)
        s.bind((src, sport))
        s.settimeout(10)
        s.connect((reg, 5060))
        log("connected", "tcp", s.getsockname()[1])
        conns[s] = b""

        def send_reg(exp):
            s.sendall(register_msg("TCP", src, via_port, contact_port, reg, exp, callid,
                                   cseq[0]))
    state = "registering"
    send_reg(expires)
    last = time.monotonic()
    while True:
        if unreg[0]:
            unreg[0] = False
            cseq[0] += 1
            state = "unregistering"
            send_reg(0)
            last = time.monotonic()
        if state.endswith("ing") and time.monotonic() - last > 0.5 and proto == "udp":
            send_reg(expires if state == "registering" else 0)
            last = time.monotonic()
        try:
            rd = [s] if proto == "udp" else lsn + list(conns)
            r, _, _ = select.select(rd, [], [], 0.5)
        except InterruptedError:
            continue
        for x in r:
            if proto == "udp":
                data, a = s.recvfrom(65535)
                src_a = a[0]
            elif x in lsn:
                c, a = x.accept()
                conns[c] = b""
                log("tcp", a[0], "connect", "-")
                continue
            else:
                try:
                    data = x.recv(65535)
                except OSError:
                    data = b""
                if not data:
                    x.close()
                    del conns[x]
                    continue
                src_a = x.getpeername()[0]
            msgs = [data]
            if proto == "tcp":
                msgs, conns[x] = frames(conns[x] + data)
            for m in msgs:
                first = m.split(b"\r\n", 1)[0]
                if first.startswith(b"SIP/2.0 200") and b"REGISTER" in hdr(m, b"cseq").encode() \
                        and hdr(m, b"call-id") == callid:
                    if state.endswith("ing"):
                        state = "registered" if state == "registering" else "unregistered"
                        log(state)
                    continue
                if note(log, proto if x is s else "tcp", src_a, m) and proto == "tcp":
                    x.sendall(ok_for(m))


def catch(logpath, addr, ports):
    log = Log(logpath)
    udp, tcp = [], []
    for port in ports:
        u = socket.socket(fam(addr), socket.SOCK_DGRAM)
        u.bind((addr, port))
        udp.append(u)
        t = socket.socket(fam(addr), socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        t.bind((addr, port))
        t.listen(16)
        tcp.append(t)
    while True:
        r, _, _ = select.select(udp + tcp, [], [])
        for s in r:
            if s in udp:
                data, a = s.recvfrom(65535)
                note(log, "udp", a[0], data)
            else:
                c, a = s.accept()
                log("tcp", a[0], "connect", "-")
                c.close()


def main():
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "registrar":
        registrar(args[0], args[1], args[2:])
    elif mode == "phone":
        sport = int(args[3])
        via = int(args[6]) if len(args) > 6 else sport
        contact = int(args[7]) if len(args) > 7 else via
        phone(args[0], args[1], args[2], sport, args[4], int(args[5]), via, contact)
    elif mode == "catch":
        catch(args[0], args[1], [int(p) for p in args[2:]])
    elif mode == "sender":
        sender(args[0], args[1])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
