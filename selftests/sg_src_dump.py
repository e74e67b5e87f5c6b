#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Dump the sipguard source table slowly, part by part, and say whether the
dump repeated an entry without saying it was interrupted.

  sg_src_dump.py [PAUSE]   one SOURCES_GET dump, PAUSE seconds (default
                           0.05) between reading two parts; prints
                           "entries N repeated R interrupted 0|1"

Reads with a 4 KiB buffer, so each part is one page of the kernel's (about
40 entries) and the table has many parts' time to change under the dump.
"""
import socket
import struct
import sys
import time

from nl_raw import CMD, Genl

NLM_F_REQUEST, NLM_F_DUMP, NLM_F_DUMP_INTR = 1, 0x300, 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
A_SOURCE, SOURCE_A_ADDR, SOURCE_A_PLEN = 23, 2, 3


def main():
    pause = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    family = Genl().family
    # A socket of its own: the family lookup read with a large buffer, and
    # the kernel sizes a dump's parts by the largest read of the socket.
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
    s.bind((0, 0))
    body = struct.pack("=BBH", CMD["SOURCES_GET"], 1, 0)
    s.send(struct.pack("=IHHII", 16 + len(body), family, NLM_F_REQUEST | NLM_F_DUMP, 99, 0)
           + body)
    seen, repeated, intr = set(), 0, 0
    while True:
        data, _, flags, _ = s.recvmsg(4096)
        if flags & socket.MSG_TRUNC:
            sys.exit("a part of the dump did not fit 4096 bytes")
        while data:
            ln, typ, nflags = struct.unpack("=IHH", data[:8])
            m, data = data[:ln], data[(ln + 3) & ~3:]
            if nflags & NLM_F_DUMP_INTR:
                intr = 1
            if typ == NLMSG_DONE:
                print("entries %d repeated %d interrupted %d" % (len(seen), repeated, intr))
                return 0
            if typ == NLMSG_ERROR:
                sys.exit("dump failed: %d" % struct.unpack("=i", m[16:20])[0])
            for t, p in Genl.attrs(m[20:]):
                if t != A_SOURCE:
                    continue
                key = tuple(sorted((u, bytes(v)) for u, v in Genl.attrs(p)
                                   if u in (SOURCE_A_ADDR, SOURCE_A_PLEN)))
                if key in seen:
                    repeated += 1
                seen.add(key)
        time.sleep(pause)


if __name__ == "__main__":
    sys.exit(main())
