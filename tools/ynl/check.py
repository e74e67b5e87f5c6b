#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check.py [--schema DIR] [SPEC]: the YNL spec agrees with the code.

Checks tools/ynl/sipguard.yaml (or SPEC) against
  - uapi/linux/sipguard.h: family name and version, constants, and every
    enum (commands, attribute sets, modes, policies, flags, counters) with
    the same names and the same values;
  - kmod/netlink.c: each attribute's type as its nla_policy validates it,
    and for each command do/dump as registered, its permission flags
    (GENL_ADMIN_PERM, GENL_UNS_ADMIN_PERM: the spec's admin-perm,
    uns-admin-perm) and the request attributes its policy accepts;
  - with --schema DIR (a kernel's Documentation/netlink), the
    genetlink-legacy schema (needs python3-jsonschema).
Prints TAP, one line per check; exits 1 if any failed.
"""
import os
import re
import sys

import yaml

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

results = []


def check(ok, what):
    results.append((bool(ok), what))


def c_name(*parts):
    return "_".join(p.strip("-_") for p in parts if p).replace("-", "_").upper()


def strip_comments(src):
    return re.sub(r"/\*.*?\*/|//[^\n]*", "", src, flags=re.S)


def header_enums(src):
    """{enum name: [(NAME, value)]} with C's implicit numbering."""
    enums = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}", src, re.S):
        members, nxt = [], 0
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            if expr.strip():
                e = " ".join(expr.split())
                e = re.sub(r"(\d+)U\b", r"\1", e)
                known = dict(members)
                e = re.sub(r"\b[A-Z_][A-Z0-9_]*\b", lambda x: str(known.get(x.group(0), x.group(0))), e)
                nxt = eval(e, {})  # only numbers and operators are left
            members.append((name, nxt))
            nxt += 1
        enums[m.group(1)] = members
    return enums


def header_defines(src):
    return {m.group(1): m.group(2) for m in re.finditer(r"#define[ \t]+(\w+)[ \t]+(\S+)", src)}


def real_members(members):
    """Without the UNSPEC placeholder and the __LAST/__ALL markers."""
    return [(n, v) for n, v in members if not n.startswith("__") and not n.endswith("_UNSPEC")]


def spec_enum_members(spec, d):
    prefix = d.get("name-prefix", spec["name"] + "-" + d["name"] + "-")
    out, v = [], d.get("value-start", 0)
    for i, e in enumerate(d["entries"]):
        name = e["name"] if isinstance(e, dict) else e
        if d["type"] == "flags":
            out.append((c_name(prefix, name), 1 << (v + i)))
        else:
            out.append((c_name(prefix, name), v + i))
    return out


def spec_set_members(s):
    out, v = [], 1
    for a in s["attributes"]:
        v = a.get("value", v)
        out.append((c_name(s["name-prefix"], a["name"]), v))
        v += 1
    return out


NLA_TYPES = {"NLA_U8": "u8", "NLA_U16": "u16", "NLA_U32": "u32", "NLA_U64": "u64",
             "NLA_NUL_STRING": "string", "NLA_BINARY": "binary", "NLA_NESTED": "nest"}


def expand_list_macros(src):
    """Expand object-like macros whose body starts on the next line (a list
    of policy entries shared by several policies, as SG_SETTINGS_POLICY)."""
    macros = {}

    def grab(m):
        macros[m.group(1)] = m.group(2).replace("\\\n", "\n")
        return ""
    src = re.sub(r"#define[ \t]+(\w+)[ \t]*\\\n((?:.*\\\n)*.*)\n", grab, src)
    for name, body in macros.items():
        src = re.sub(r"\b%s\b" % name, lambda _m, b=body: b, src)
    return src


def kernel_policies(src):
    """{policy name: {ATTR: yaml type}}"""
    pols = {}
    src = expand_list_macros(src)
    for m in re.finditer(r"struct\s+nla_policy\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\};", src, re.S):
        attrs = {}
        for am in re.finditer(r"\[(\w+)\]\s*=\s*(.*?)(?=,\s*\n|\n\s*\[|\Z)", m.group(2), re.S):
            body = am.group(2)
            if "NLA_POLICY_NESTED" in body:
                attrs[am.group(1)] = "nest"
                continue
            t = re.search(r"NLA_[A-Z0-9_]+", body.replace("NLA_POLICY_", ""))
            attrs[am.group(1)] = NLA_TYPES.get(t.group(0), t.group(0)) if t else "?"
        pols[m.group(1)] = attrs
    return pols


def kernel_ops(src):
    """[(CMD, policy, has doit, has dumpit, [permission flags])]"""
    ops = []
    m = re.search(r"struct\s+genl_ops\s+\w+\[\]\s*=\s*\{(.*?)\n\};", src, re.S)
    for om in re.finditer(r"\{(.*?)\}", m.group(1) if m else "", re.S):
        body = om.group(1)
        cmd = re.search(r"\.cmd\s*=\s*(\w+)", body)
        pol = re.search(r"\.policy\s*=\s*(\w+)", body)
        flags = re.search(r"\.flags\s*=\s*([^,]+),", body)
        perms = sorted(f.strip()[len("GENL_"):].lower().replace("_", "-")
                       for f in (flags.group(1).split("|") if flags else [])
                       if f.strip() in ("GENL_ADMIN_PERM", "GENL_UNS_ADMIN_PERM"))
        if cmd:
            ops.append((cmd.group(1), pol.group(1) if pol else None,
                        ".doit" in body, ".dumpit" in body, perms))
    return ops


def main(argv):
    schema_dir = None
    if len(argv) > 2 and argv[1] == "--schema":
        schema_dir = argv[2]
        argv = argv[:1] + argv[3:]
    spec_path = argv[1] if len(argv) > 1 else os.path.join(TOP, "tools/ynl/sipguard.yaml")
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(os.path.join(TOP, "uapi/linux/sipguard.h")) as f:
        hdr = strip_comments(f.read())
    with open(os.path.join(TOP, "kmod/netlink.c")) as f:
        knl = strip_comments(f.read())

    enums = header_enums(hdr)
    defines = header_defines(hdr)
    fam = spec["name"]

    check(defines.get("SIPGUARD_GENL_NAME") == '"%s"' % fam, "family name is SIPGUARD_GENL_NAME")
    check(str(spec.get("version", 1)) == defines.get("SIPGUARD_GENL_VERSION"),
          "family version is SIPGUARD_GENL_VERSION")

    seen = set()
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            n = c_name(fam, d["name"])
            check(defines.get(n) == str(d["value"]), "constant %s = %s" % (n, d["value"]))
        elif d["type"] in ("enum", "flags"):
            en = d.get("enum-name", fam + "-" + d["name"]).replace("-", "_")
            seen.add(en)
            want = spec_enum_members(spec, d)
            got = real_members(enums.get(en, []))
            check(want == got, "enum %s: %s" % (en, "same" if want == got else
                                                 "spec %s, header %s" % (want, got)))

    for s in spec["attribute-sets"]:
        en = s["enum-name"].replace("-", "_")
        seen.add(en)
        want = spec_set_members(s)
        got = real_members(enums.get(en, []))
        check(want == got, "attribute set %s (enum %s): %s" % (
            s["name"], en, "same" if want == got else "spec %s, header %s" % (want, got)))

    ops = spec["operations"]
    en = ops["enum-name"].replace("-", "_")
    seen.add(en)
    want, v = [], 1
    for o in ops["list"]:
        v = o.get("value", v)
        want.append((c_name(ops["name-prefix"], o["name"]), v))
        v += 1
    got = real_members(enums.get(en, []))
    check(want == got, "operations (enum %s): %s" % (
        en, "same" if want == got else "spec %s, header %s" % (want, got)))

    for en in enums:
        check(en in seen, "header enum %s is described by the spec" % en)

    # Types: every attribute the kernel validates has the spec's type.
    pols = kernel_policies(knl)
    spec_types = {}
    for s in spec["attribute-sets"]:
        for a in s["attributes"]:
            spec_types[c_name(s["name-prefix"], a["name"])] = a["type"]
    for pname, attrs in sorted(pols.items()):
        for attr, t in sorted(attrs.items()):
            check(spec_types.get(attr) == t, "%s in %s: kernel %s, spec %s" % (
                attr, pname, t, spec_types.get(attr)))

    # Commands: do/dump and request attributes as the kernel registers them.
    byname = {c_name(ops["name-prefix"], o["name"]): o for o in ops["list"]}
    kops = kernel_ops(knl)
    # Notifications (the events group) are not registered as operations.
    nreq = len([o for o in ops["list"] if "event" not in o])
    check(len(kops) == nreq, "the kernel registers %d commands, the spec has %d requests" % (
        len(kops), nreq))
    mcgrps = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
    check(defines.get("SIPGUARD_MCGRP_EVENTS") == '"%s"' % "events" and "events" in mcgrps,
          "multicast group SIPGUARD_MCGRP_EVENTS is in the spec's mcast-groups")
    for o in ops["list"]:
        if "event" in o:
            check(o.get("mcgrp") in mcgrps, "%s: its group %s is a multicast group" % (
                o["name"], o.get("mcgrp")))
    for cmd, pol, doit, dumpit, perms in kops:
        o = byname.get(cmd)
        if not o:
            check(False, "%s is in the spec" % cmd)
            continue
        check(("do" in o) == doit and ("dump" in o) == dumpit,
              "%s: do %s dump %s as the kernel registers it" % (cmd, doit, dumpit))
        sperms = sorted(o.get("flags", []))
        check(sperms == perms, "%s: permission flags %s" % (
            cmd, "%s as the kernel registers them" % (perms or "none") if sperms == perms
            else "spec %s, kernel %s" % (sperms, perms)))
        req = set()
        for kind in ("do", "dump"):
            if kind in o:
                req |= {c_name("sipguard-a", a) for a in o[kind].get("request", {}).get("attributes", [])}
        kreq = set(pols.get(pol, {})) if pol else set()
        check(req == kreq, "%s: request attributes %s" % (
            cmd, "match %s" % pol if req == kreq else "spec %s, kernel %s %s" % (
                sorted(req), pol, sorted(kreq))))

    if schema_dir:
        try:
            import jsonschema
            with open(os.path.join(schema_dir, spec["protocol"] + ".yaml")) as f:
                schema = yaml.safe_load(f)
            jsonschema.validate(spec, schema)
            check(True, "valid against the kernel's %s schema" % spec["protocol"])
        except ImportError:
            print("# jsonschema missing: schema not checked")
        except jsonschema.ValidationError as e:
            check(False, "valid against the kernel's %s schema: %s" % (spec["protocol"], e.message))

    # selftests/nl_raw.py writes raw requests with numbers of its own: the
    # header's, or its hostile cases would hit other commands.
    sys.path.insert(0, os.path.join(TOP, "selftests"))
    import nl_raw
    for table, en, prefix in ((nl_raw.CMD, "sipguard_cmd", "SIPGUARD_CMD_"),
                              (nl_raw.A, "sipguard_attr", "SIPGUARD_A_")):
        values = dict(enums.get(en, []))
        for name, v in sorted(table.items()):
            check(values.get(prefix + name) == v, "selftests/nl_raw.py: %s%s is %s (header %s)"
                  % (prefix, name, v, values.get(prefix + name)))

    print("TAP version 13")
    print("1..%d" % len(results))
    for i, (ok, what) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
    return 0 if all(ok for ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
