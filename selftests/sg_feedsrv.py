#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A local stand-in for the APIBAN and CrowdSec LAPI HTTP APIs, for the
denylist feeds' test (sipguard_feeds.sh).  Documentation addresses only.

  sg_feedsrv.py ADDR PORT DIR

DIR/apiban.json: the list as batches, [[addr, ...], ...]; batch i has the
ID 100 + i: /api/KEY/banned gives batch 0, /api/KEY/banned/ID the batch
after ID, or HTTP 400 {"ipaddress":["no new bans"],"ID":"none"} at the end.
DIR/decisions.json: the active decisions, what startup=true returns;
DIR/delta.json, if present, what the next startup=false returns (once).
Every request line goes to DIR/requests.log.  Keys: APIBAN "apikey",
CrowdSec "bouncerkey"; others get 403.
"""
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

ADDR, PORT, DIR = sys.argv[1], int(sys.argv[2]), sys.argv[3]


def load(name, default):
    try:
        with open(os.path.join(DIR, name)) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


class H(BaseHTTPRequestHandler):
    def reply(self, code, obj):
        body = json.dumps(obj).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        with open(os.path.join(DIR, "requests.log"), "a") as f:
            f.write(self.path + "\n")
        u = urlparse(self.path)
        parts = u.path.strip("/").split("/")
        if parts[:1] == ["api"] and len(parts) in (3, 4) and parts[2] == "banned":
            if parts[1] != "apikey":
                return self.reply(403, {"ipaddress": "none", "ID": "unauthorized"})
            batches = load("apiban.json", [])
            if len(parts) == 3:
                i = 0
            elif parts[3].isdigit():
                i = int(parts[3]) - 100 + 1
            else:
                return self.reply(400, {"ipaddress": ["bad ID"], "ID": "none"})
            if 0 <= i < len(batches):
                return self.reply(200, {"ipaddress": batches[i], "ID": str(100 + i)})
            return self.reply(400, {"ipaddress": ["no new bans"], "ID": "none"})
        if u.path == "/v1/decisions/stream":
            if self.headers.get("X-Api-Key") != "bouncerkey":
                return self.reply(403, {"message": "access forbidden"})
            if parse_qs(u.query).get("startup") == ["true"]:
                return self.reply(200, {"new": load("decisions.json", None), "deleted": None})
            delta = load("delta.json", {"new": None, "deleted": None})
            try:
                os.rename(os.path.join(DIR, "delta.json"), os.path.join(DIR, "delta.done"))
            except FileNotFoundError:
                pass
            return self.reply(200, delta)
        self.reply(404, {"message": "not found"})

    def log_message(self, *args):
        pass


HTTPServer((ADDR, PORT), H).serve_forever()
