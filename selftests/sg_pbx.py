#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A small PBX for sipguard_failures.sh: a SIP UAS over UDP.

  sg_pbx.py serve LOG ADDR... [--bad-password 401|403]
      Answers on port 5060 of every ADDR, as Asterisk does:
        REGISTER  without credentials: 401 with a digest challenge;
                  user 100, password "secret": 200; other credentials:
                  403 (or 401 with a new challenge, --bad-password 401)
        INVITE    to 100 or "service" (sipp's default): 180, 200; else 404
        ACK       nothing; BYE, CANCEL, OPTIONS: 200; others: 405
      Every request received is a line in LOG: "SOURCE METHOD AUTH" with
      AUTH 1 when it carried Authorization or Proxy-Authorization.

  sg_pbx.py phone PBX LOCAL PASSWORD [EXT]
      One registration of user 100 from LOCAL (port 5062) with digest
      authentication (REGISTER, 401, REGISTER with credentials); then, with
      EXT, an INVITE to EXT.  Prints the final status codes, space-separated.

  sg_pbx.py spoof FROM TO STATUS N
      N answers STATUS (a final response) from FROM port 5060 to TO port
      5060 that answer no request anyone sent.
"""
import hashlib
import os
import random
import select
import socket
import sys

REALM = "sipguard.test"
USERS = {"100": "secret"}
EXTENSIONS = {"100", "service"}


def md5(s):
    return hashlib.md5(s.encode()).hexdigest()


def family(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def hostport(addr, port):
    return ("[%s]" % addr if ":" in addr else addr) + ":%d" % port


def parse(data):
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")
    hdrs = []
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            hdrs.append((k.strip().lower(), v.strip()))
    return lines[0], hdrs


def hget(hdrs, *names):
    for k, v in hdrs:
        if k in names:
            return v
    return None


def digest_params(v):
    out = {}
    v = v.split(" ", 1)[1] if " " in v else v
    for part in v.split(","):
        if "=" in part:
            k, x = part.split("=", 1)
            out[k.strip().lower()] = x.strip().strip('"')
    return out


def answer(start, hdrs, code, reason, extra=()):
    """A response copying Via, From, To (with a tag), Call-ID, CSeq."""
    out = ["SIP/2.0 %d %s" % (code, reason)]
    for k, v in hdrs:
        if k in ("via", "v"):
            out.append("Via: " + v)
    out.append("From: " + (hget(hdrs, "from", "f") or ""))
    to = hget(hdrs, "to", "t") or ""
    if ";tag=" not in to and code > 100:
        to += ";tag=pbx%d" % random.getrandbits(24)
    out.append("To: " + to)
    out.append("Call-ID: " + (hget(hdrs, "call-id", "i") or ""))
    out.append("CSeq: " + (hget(hdrs, "cseq") or ""))
    out.extend(extra)
    out.append("Server: sg-pbx")
    out.append("Content-Length: 0")
    return ("\r\n".join(out) + "\r\n\r\n").encode()


def challenge(start, hdrs):
    nonce = "%032x" % random.getrandbits(128)
    return answer(start, hdrs, 401, "Unauthorized",
                  ['WWW-Authenticate: Digest realm="%s", nonce="%s", algorithm=MD5'
                   % (REALM, nonce)])


def credentials_ok(method, auth):
    p = digest_params(auth)
    pw = USERS.get(p.get("username", ""))
    if pw is None or "nonce" not in p or "uri" not in p:
        return False
    ha1 = md5("%s:%s:%s" % (p["username"], p.get("realm", ""), pw))
    ha2 = md5("%s:%s" % (method, p["uri"]))
    if p.get("qop"):
        want = md5("%s:%s:%s:%s:%s:%s" % (ha1, p["nonce"], p.get("nc", ""),
                                          p.get("cnonce", ""), p["qop"], ha2))
    else:
        want = md5("%s:%s:%s" % (ha1, p["nonce"], ha2))
    return p.get("response", "").lower() == want


def serve(log, addrs, bad_password):
    socks = []
    for a in addrs:
        s = socket.socket(family(a), socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((a, 5060))
        socks.append(s)
    logf = open(log, "a", buffering=1)
    while True:
        r, _, _ = select.select(socks, [], [])
        for s in r:
            data, peer = s.recvfrom(65535)
            if data.startswith(b"SIP/2.0") or not data.strip():
                continue
            start, hdrs = parse(data)
            parts = start.split(" ")
            if len(parts) < 3:
                continue
            method, uri = parts[0], parts[1]
            auth = hget(hdrs, "authorization", "proxy-authorization")
            logf.write("%s %s %d\n" % (peer[0], method, auth is not None))
            user = uri.split(":", 1)[-1].split("@", 1)[0]
            if method == "REGISTER":
                if auth is None:
                    out = challenge(start, hdrs)
                elif credentials_ok(method, auth):
                    out = answer(start, hdrs, 200, "OK",
                                 ["Contact: " + (hget(hdrs, "contact", "m") or "*") +
                                  ";expires=60"])
                elif bad_password == 401:
                    out = challenge(start, hdrs)
                else:
                    out = answer(start, hdrs, 403, "Forbidden")
            elif method == "INVITE":
                if user in EXTENSIONS:
                    s.sendto(answer(start, hdrs, 180, "Ringing"), peer)
                    contact = ["Contact: <sip:%s>" % hostport(s.getsockname()[0], 5060)]
                    out = answer(start, hdrs, 200, "OK", contact)
                else:
                    out = answer(start, hdrs, 404, "Not Found")
            elif method == "ACK":
                continue
            elif method in ("BYE", "CANCEL", "OPTIONS"):
                out = answer(start, hdrs, 200, "OK")
            else:
                out = answer(start, hdrs, 405, "Method Not Allowed")
            s.sendto(out, peer)


def request(method, uri, pbx, local, cseq, callid, branch=None, extra=()):
    via = "SIP/2.0/UDP %s;branch=%s;rport" % (
        hostport(local, 5062), branch or "z9hG4bK%x" % random.getrandbits(48))
    out = ["%s %s SIP/2.0" % (method, uri), "Via: " + via, "Max-Forwards: 70",
           "From: <sip:100@%s>;tag=ph%d" % (REALM, hash(callid) & 0xffff),
           "To: <%s>" % uri, "Call-ID: " + callid, "CSeq: %d %s" % (cseq, method),
           "Contact: <sip:100@%s>" % hostport(local, 5062), "User-Agent: Deskphone 1.0"]
    out.extend(extra)
    out.append("Content-Length: 0")
    return ("\r\n".join(out) + "\r\n\r\n").encode()


def transact(s, pbx, data):
    """Send, retransmitting as a UAC does (T1 = 0.5 s), until a final answer."""
    t = 0.5
    for _ in range(5):
        s.sendto(data, (pbx, 5060))
        while True:
            r, _, _ = select.select([s], [], [], t)
            if not r:
                break
            resp, _ = s.recvfrom(65535)
            start, hdrs = parse(resp)
            code = int(start.split(" ")[1])
            if code >= 200:
                return code, hdrs
        t *= 2
    return 0, []


def phone(pbx, local, password, ext=None):
    s = socket.socket(family(pbx), socket.SOCK_DGRAM)
    s.bind((local, 5062))
    uri = "sip:%s" % REALM
    callid = "%x@deskphone" % random.getrandbits(64)
    codes = []
    code, hdrs = transact(s, pbx, request("REGISTER", uri, pbx, local, 1, callid))
    codes.append(code)
    if code == 401:
        p = digest_params(hget(hdrs, "www-authenticate"))
        ha1 = md5("100:%s:%s" % (p["realm"], password))
        resp = md5("%s:%s:%s" % (ha1, p["nonce"], md5("REGISTER:" + uri)))
        auth = ('Authorization: Digest username="100", realm="%s", nonce="%s", '
                'uri="%s", response="%s", algorithm=MD5' % (p["realm"], p["nonce"], uri, resp))
        code, _ = transact(s, pbx, request("REGISTER", uri, pbx, local, 2, callid, extra=[auth]))
        codes.append(code)
    if ext:
        inv = "sip:%s@%s" % (ext, hostport(pbx, 5060))
        callid = "%x@deskphone" % random.getrandbits(64)
        code, _ = transact(s, pbx, request("INVITE", inv, pbx, local, 1, callid))
        codes.append(code)
    print(" ".join(str(c) for c in codes))


def spoof(frm, to, status, n):
    s = socket.socket(family(frm), socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((frm, 5060))
    for i in range(n):
        callid = "%x@nowhere" % random.getrandbits(64)
        hdrs = [("via", "SIP/2.0/UDP %s;branch=z9hG4bK%x" % (hostport(to, 5060),
                                                          random.getrandbits(48))),
                ("from", "<sip:100@%s>;tag=x" % hostport(to, 5060)),
                ("to", "<sip:%d@%s>" % (200 + i, hostport(frm, 5060))),
                ("call-id", callid), ("cseq", "1 INVITE")]
        s.sendto(answer("", hdrs, status, "Spoofed"), (to, 5060))


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "serve":
        args = sys.argv[3:]
        bad = 403
        if "--bad-password" in args:
            i = args.index("--bad-password")
            bad = int(args[i + 1])
            del args[i:i + 2]
        serve(sys.argv[2], args, bad)
    elif cmd == "phone":
        phone(*sys.argv[2:6]) if len(sys.argv) > 5 else phone(*sys.argv[2:5])
    elif cmd == "spoof":
        spoof(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
