#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""policy-dump.py YNL_DIR: the sipguard family as the kernel reports it.

Asks nlctrl (getfamily, getpolicy) through the kernel's own YNL library in
YNL_DIR (tools/net/ynl of a kernel source tree) and prints, as sorted JSON,
what a client can see of the family's ABI: name, version, maxattr, the
multicast groups, and per command its flags and the attribute tree its do
or dump request is validated against.  Policy indexes are resolved into the
policies they name, so two builds that lay out the same policies in other
arrays print the same text.
"""
import json
import os
import sys


def main():
    ynl = sys.argv[1]
    sys.path.insert(0, ynl)
    from lib import YnlFamily  # pylint: disable=import-outside-toplevel

    spec = os.path.join(ynl, "../../../Documentation/netlink/specs/nlctrl.yaml")
    # The u64 bounds come padded; 6.12's library knows no pad type.
    ctrl = YnlFamily(spec, process_unknown=True)
    fam = ctrl.do("getfamily", {"family-name": "sipguard"})
    msgs = ctrl.dump("getpolicy", {"family-name": "sipguard"})

    policies = {}
    op_policy = {}
    for msg in msgs:
        pol = msg.get("policy")
        if pol:
            # Bytes are what the library could not decode (the u64 mask
            # comes as 'pad': 6.12's nlctrl.yaml numbers the two the other
            # way round); printed as hex, still compared.
            fields = {k: (v.hex() if isinstance(v, bytes) else v)
                      for k, v in pol.items() if k not in ("policy-id", "attr-id")}
            policies.setdefault(pol["policy-id"], {})[pol["attr-id"]] = fields
        opp = msg.get("op-policy")
        if opp:
            op_policy.setdefault(opp["op-id"], {}).update(
                {k: v for k, v in opp.items() if k != "op-id"})

    def tree(idx, depth=0):
        out = {}
        for attr, pol in sorted(policies.get(idx, {}).items()):
            pol = dict(pol)
            if "policy-idx" in pol:
                pol["policy"] = tree(pol.pop("policy-idx"), depth + 1) if depth < 8 else "..."
            out[str(attr)] = pol
        return out

    ops = {}
    for ent in fam.get("ops", []):
        for op in ent.values():
            cmd = op["id"]
            one = {"flags": sorted(op.get("flags", []))}
            for mode in ("do", "dump"):
                if mode in op_policy.get(cmd, {}):
                    one[mode] = tree(op_policy[cmd][mode])
            ops[str(cmd)] = one
    groups = sorted(g["name"] for ent in fam.get("mcast-groups", []) for g in ent.values())

    print(json.dumps({
        "name": fam["family-name"],
        "version": fam["version"],
        "hdrsize": fam.get("hdrsize"),
        "maxattr": fam["maxattr"],
        "mcast-groups": groups,
        "ops": ops,
    }, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
