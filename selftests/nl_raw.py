#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made, mostly malformed, requests to the sipguard generic netlink
family and print one line per request: the errno the kernel answered and its
extack message.  Plain sockets only, so the test needs nothing installed.

  nl_raw.py CASE...   run the named cases (see CASES), print "CASE errno msg"
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
NLMSG_ERROR = 2
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLA_F_NESTED = 1 << 15
SOL_NETLINK, NETLINK_EXT_ACK = 270, 11
NLMSGERR_ATTR_MSG = 1

# uapi/linux/sipguard_nl.h (generated from tools/ynl/sipguard.yaml)
CMD = dict(GET_STATS=1, GET_CONFIG=2, SET_CONFIG=3, ALLOW_GET=4, ALLOW_ADD=5,
           ALLOW_DEL=6, ALLOW_FLUSH=7, ALLOW_REPLACE=8, SOURCES_GET=9, ALLOW_REFRESH=14,
           BAN=16, DENY_GET=17, DENY_ADD=18, DENY_DEL=19, DENY_REPLACE=20)
SG_F_CREATE, SG_F_EXCL = 1 << 3, 1 << 4
A = dict(PAD=1, VERSION=2, FLAGS=3, STATS=4, MODE=5, POLICY=6, SIP_PORTS=7,
         TLS_PORTS=8, IFACES=9, ALLOW_COUNT=10, PREFIX=11, NAME=30,
         FAILURES=47, FAILURE_WINDOW=48, BAN_MAX=49, DENY=50, DENY_ORIGIN=51, ORIGIN=52)
PORT_RANGE, IFNAME = 1, 2
RANGE_MIN, RANGE_MAX = 1, 2
P_ADDR, P_PLEN, P_PORT, P_NAME = 1, 2, 3, 6
D_ADDR, D_PLEN, D_TIMEOUT, D_ORIGIN = 2, 3, 4, 5


def attr(t, payload):
    ln = 4 + len(payload)
    return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def nest(t, *items):
    return attr(t | NLA_F_NESTED, b"".join(items))


def u8(t, v): return attr(t, struct.pack("=B", v))
def u16(t, v): return attr(t, struct.pack("=H", v))
def u32(t, v): return attr(t, struct.pack("=I", v))


def prefix(addr, plen, port=None, extra=b""):
    body = attr(P_ADDR, addr) + u8(P_PLEN, plen)
    if port is not None:
        body += u16(P_PORT, port)
    return nest(A["PREFIX"], body + extra)


def deny(addr, plen, extra=b""):
    return nest(A["DENY"], attr(D_ADDR, addr) + u8(D_PLEN, plen) + extra)


V4 = bytes([192, 0, 2, 0])
V4H = bytes([192, 0, 2, 77])


def name(t, s):
    return attr(t, s.encode() + b"\0")


# name: (command, attributes bytes[, extra nlmsg_flags])
CASES = {
    # interface names as dev_valid_name() takes them
    "ifname-slash": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b"wan/0\0"))),
    "ifname-colon": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b"wan0:1\0"))),
    "ifname-space": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b"wan 0\0"))),
    "ifname-dot": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b".\0"))),
    "ifname-dotdot": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b"..\0"))),
    # header flags the core cannot give a meaning to (create/exclusive are
    # ALLOW_REFRESH's SIPGUARD_A_FLAGS)
    "refresh-nlm-create": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example") +
                           prefix(V4H, 32), NLM_F_CREATE | NLM_F_EXCL),
    "refresh-bad-flags": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example") +
                          prefix(V4H, 32) + u32(A["FLAGS"], 1)),
    "unknown-attr": ("GET_CONFIG", u8(A["MODE"], 1)),
    "attr-out-of-range": ("SET_CONFIG", u8(A["MODE"], 7)),
    "attr-wrong-size": ("SET_CONFIG", u32(A["MODE"], 1)),
    "attr-beyond-max": ("SET_CONFIG", u8(200, 1)),
    "reply-only-attr": ("SET_CONFIG", u32(A["ALLOW_COUNT"], 1)),
    "bad-flags": ("GET_STATS", u32(A["FLAGS"], 0x80)),
    "truncated-attr": ("SET_CONFIG", struct.pack("=HH", 8, A["MODE"]) + b"\1"),
    "port-zero": ("SET_CONFIG", nest(A["SIP_PORTS"], nest(PORT_RANGE, u16(RANGE_MIN, 0)))),
    "port-range-reversed": ("SET_CONFIG", nest(A["SIP_PORTS"], nest(PORT_RANGE, u16(RANGE_MIN, 6000), u16(RANGE_MAX, 5000)))),
    "port-overlap-tls": ("SET_CONFIG", nest(A["SIP_PORTS"], nest(PORT_RANGE, u16(RANGE_MIN, 5061)))),
    "ifname-in-ports": ("SET_CONFIG", nest(A["SIP_PORTS"], attr(IFNAME, b"eth0\0"))),
    "ifname-too-long": ("SET_CONFIG", nest(A["IFACES"], attr(IFNAME, b"a" * 20 + b"\0"))),
    "too-many-ranges": ("SET_CONFIG", nest(A["SIP_PORTS"], *[nest(PORT_RANGE, u16(RANGE_MIN, 6000 + 2 * i)) for i in range(65)])),
    "prefix-missing": ("ALLOW_ADD", b""),
    "prefix-no-plen": ("ALLOW_ADD", nest(A["PREFIX"], attr(P_ADDR, V4))),
    "prefix-addr-5-bytes": ("ALLOW_ADD", prefix(b"\1\2\3\4\5", 8)),
    "prefix-v4-plen-33": ("ALLOW_ADD", prefix(V4, 33)),
    "prefix-host-bits": ("ALLOW_ADD", prefix(bytes([192, 0, 2, 1]), 24)),
    "prefix-unknown-nested": ("ALLOW_ADD", prefix(V4, 24, extra=u8(9, 1))),
    "replace-bad-entry": ("ALLOW_REPLACE", prefix(V4, 24) + prefix(bytes([192, 0, 2, 1]), 24)),
    "replace-duplicate": ("ALLOW_REPLACE", prefix(V4, 24) + prefix(V4, 24)),
    "del-absent": ("ALLOW_DEL", prefix(bytes([203, 0, 113, 0]), 24)),
    # names (SIPGUARD_A_NAME, SIPGUARD_PREFIX_A_NAME)
    "name-malformed": ("ALLOW_REFRESH", name(A["NAME"], "bad..provider.example") + prefix(V4H, 32)),
    "name-overlong": ("ALLOW_DEL", name(A["NAME"], ("a" * 50 + ".") * 5 + "example")),
    "name-upper-case": ("ALLOW_ADD", prefix(V4H, 32, extra=name(P_NAME, "SIP.Provider.Example"))),
    "name-numeric": ("ALLOW_ADD", prefix(V4H, 32, extra=name(P_NAME, "192.0.2.77"))),
    "name-refresh-absent": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example") + prefix(V4H, 32)),
    "name-refresh-empty": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example")),
    "name-refresh-other": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example") +
                           prefix(V4H, 32, extra=name(P_NAME, "other.provider.example"))),
    "name-refresh-duplicate": ("ALLOW_REFRESH", name(A["NAME"], "absent.provider.example") + prefix(V4H, 32) +
                               prefix(V4H, 32, extra=name(P_NAME, "absent.provider.example"))),
    "name-del-absent": ("ALLOW_DEL", name(A["NAME"], "absent.provider.example")),
    "random-bytes": ("SET_CONFIG", bytes.fromhex("0500ff7f0102030405060708090a0b0c")),
    "set-mode-off": ("SET_CONFIG", u8(A["MODE"], 0)),
    "stats-reset": ("GET_STATS", u32(A["FLAGS"], 1)),
    "get-config": ("GET_CONFIG", b""),
    "refresh-create": ("ALLOW_REFRESH", name(A["NAME"], "new.provider.example") +
                       prefix(V4H, 32) + u32(A["FLAGS"], SG_F_CREATE | SG_F_EXCL)),
    "refresh-create-again": ("ALLOW_REFRESH", name(A["NAME"], "new.provider.example") +
                             prefix(V4H, 32) + u32(A["FLAGS"], SG_F_CREATE | SG_F_EXCL)),
    "refresh-existing": ("ALLOW_REFRESH", name(A["NAME"], "new.provider.example") +
                         prefix(V4H, 32)),
    "sources-get": ("SOURCES_GET", b"", 0x300),
    # The denylist (documentation prefixes 198.51.100.0/24, 2001:db8::/32).
    "deny-v4-plen-33": ("DENY_ADD", deny(bytes([198, 51, 100, 0]), 33)),
    "deny-v6-plen-129": ("DENY_ADD", deny(bytes.fromhex("20010db8" + "00" * 12), 129)),
    "deny-host-bits": ("DENY_ADD", deny(bytes([198, 51, 100, 1]), 24)),
    "deny-addr-5-bytes": ("DENY_ADD", deny(b"\1\2\3\4\5", 8)),
    "deny-no-plen": ("DENY_ADD", nest(A["DENY"], attr(D_ADDR, bytes([198, 51, 100, 0])))),
    "deny-none": ("DENY_ADD", name(A["ORIGIN"], "raw")),
    "deny-timeout-zero": ("DENY_ADD", deny(bytes([198, 51, 100, 0]), 24, u32(D_TIMEOUT, 0))),
    "deny-timeout-long": ("DENY_ADD", deny(bytes([198, 51, 100, 0]), 24, u32(D_TIMEOUT, 31536001))),
    "deny-origin-long": ("DENY_ADD", name(A["ORIGIN"], "o" * 40) + deny(bytes([198, 51, 100, 0]), 24)),
    "deny-origin-huge": ("DENY_ADD", name(A["ORIGIN"], "o" * 300) + deny(bytes([198, 51, 100, 0]), 24)),
    "deny-origin-upper": ("DENY_ADD", name(A["ORIGIN"], "APIBAN") + deny(bytes([198, 51, 100, 0]), 24)),
    "deny-replace-no-origin": ("DENY_REPLACE", deny(bytes([198, 51, 100, 0]), 24)),
    "deny-replace-bad-entry": ("DENY_REPLACE", name(A["ORIGIN"], "raw") + deny(bytes([198, 51, 100, 0]), 24) +
                               deny(bytes([198, 51, 100, 1]), 24)),
    "deny-del-timeout": ("DENY_DEL", deny(bytes([198, 51, 100, 0]), 24, u32(D_TIMEOUT, 5))),
    "deny-del-absent": ("DENY_DEL", deny(bytes([203, 0, 113, 0]), 24)),
    "deny-unknown-nested": ("DENY_ADD", deny(bytes([198, 51, 100, 0]), 24, u8(15, 1))),
    "deny-get-not-dump": ("DENY_GET", b""),
}


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1
        self.family = None
        err, _, msgs = self.talk(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                 attr(CTRL_ATTR_FAMILY_NAME, b"sipguard\0"), version=1)
        if err:
            sys.exit("sipguard family not found: %s" % os.strerror(err))
        for t, p in self.attrs(msgs[0][20:]):
            if t == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack("=H", p[:2])[0]

    @staticmethod
    def attrs(b):
        while len(b) >= 4:
            ln, t = struct.unpack("=HH", b[:4])
            if ln < 4:
                break
            yield t & 0x3fff, b[4:ln]
            b = b[(ln + 3) & ~3:]

    def talk(self, family, cmd, payload, version=1, flags=0):
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_ACK | flags,
                          self.seq, 0) + body
        self.s.send(msg)
        replies = []
        while True:
            data = self.s.recv(65536)
            while data:
                ln, typ, flags = struct.unpack("=IHH", data[:8])
                m = data[:ln]
                data = data[(ln + 3) & ~3:]
                if typ == 3 and flags & 0x2:  # NLMSG_DONE of a dump
                    return -struct.unpack("=i", m[16:20])[0], "", replies
                if typ == NLMSG_ERROR:
                    err = -struct.unpack("=i", m[16:20])[0]
                    extack = ""
                    # With extack the original request is echoed in full
                    # unless capped; the TLVs follow it.
                    olen = struct.unpack("=I", m[20:24])[0]
                    tlvs = m[20 + ((olen + 3) & ~3 if not (flags & 0x100) else 16):]
                    for t, p in self.attrs(tlvs):
                        if t == NLMSGERR_ATTR_MSG:
                            extack = p.rstrip(b"\0").decode()
                    return err, extack, replies
                replies.append(m)


def main():
    g = Genl()
    for name in sys.argv[1:]:
        cmd, payload, *flags = CASES[name]
        err, extack, _ = g.talk(g.family, CMD[cmd], payload, flags=flags[0] if flags else 0)
        print("%s %s %s" % (name, "OK" if err == 0 else os.strerror(err).replace(" ", "_"),
                            extack or "-"))


if __name__ == "__main__":
    main()
