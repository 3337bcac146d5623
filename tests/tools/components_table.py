#!/usr/bin/env python3
"""components_table.py - docs/components.md's table of components against rules/components/.

The table (between "| component | type |" and the line "N components; ...") must list exactly
the fingerprint files' components, each with its type, CPE and every pattern, and the count line
must give their number (the issue asks for at least 60). The "seen in" column is the
benchmark's and is kept as written. --write rewrites the table and the count from the rules
(keeping "seen in"; a new component gets "not seen yet"); without it, differences are printed
and the exit status is 1.
usage: components_table.py SRC [--write]
"""
import glob
import os
import re
import sys

import yaml

HEAD = "| component | type | CPE (part:vendor:product) | patterns | seen in |"
COUNT = re.compile(r"^(\d+) components; (\d+) seen matching real binaries(.*)$")
MINIMUM = 60


def code(s):
    # a template's control characters as the YAML escapes them
    return "`%s`" % s.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def pattern_cell(pats):
    cells = []
    for p in pats:
        if "file" in p:
            s = code("file: " + p["file"])
        else:
            s = code(p["match"])
        where = p.get("in")
        if where and where != ["elf"]:
            s += " (%s)" % ", ".join(where)
        if "starts" in p:
            s += " starts " + code(p["starts"])
        if "near" in p:
            s += " near " + code(p["near"])
        cells.append(s)
    return "<br>".join(cells).replace("|", "\\|")


def rules(src):
    out = {}
    for path in sorted(glob.glob(os.path.join(src, "rules", "components", "*.yaml"))):
        with open(path) as fh:
            d = yaml.safe_load(fh)
        out[d["name"]] = (d["type"], d.get("cpe", ""), pattern_cell(d["patterns"]))
    return out


def split_row(line):
    # cells are separated by | not preceded by a backslash
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--write"):
        sys.exit(__doc__.strip().splitlines()[-1])
    src = sys.argv[1]
    doc = os.path.join(src, "docs", "components.md")
    lines = open(doc).read().split("\n")
    start = lines.index(HEAD)
    end = start + 2
    while end < len(lines) and lines[end].startswith("|"):
        end += 1
    rows = {split_row(l)[0]: split_row(l) for l in lines[start + 2:end]}
    want = rules(src)
    problems = []
    if len(want) < MINIMUM:
        problems.append("only %d components in rules/components (at least %d)" % (len(want), MINIMUM))
    for name in sorted(set(rows) - set(want)):
        problems.append("%s: in the table, no rules/components file" % name)
    for name, (typ, cpe, pats) in sorted(want.items()):
        row = rows.get(name)
        if row is None:
            problems.append("%s: in rules/components, not in the table" % name)
            continue
        for what, have, should in (("type", row[1], typ), ("cpe", row[2], cpe), ("patterns", row[3], pats)):
            if have != should:
                problems.append("%s: %s is \"%s\", the rule says \"%s\"" % (name, what, have, should))
    seen = {n: (rows[n][4] if n in rows else "not seen yet") for n in want}
    nseen = sum(1 for s in seen.values() if s != "not seen yet")
    cl = next((i for i in range(end, len(lines)) if COUNT.match(lines[i])), None)
    if cl is None:
        problems.append("no line \"N components; M seen matching real binaries\" after the table")
    else:
        m = COUNT.match(lines[cl])
        if (int(m.group(1)), int(m.group(2))) != (len(want), nseen):
            problems.append("count line says %s and %s; the rules have %d, %d seen" %
                            (m.group(1), m.group(2), len(want), nseen))
    if len(sys.argv) == 3:
        table = ["| %s | %s | %s | %s | %s |" % (n, t, c, p, seen[n])
                 for n, (t, c, p) in sorted(want.items())]
        lines[start + 2:end] = table
        if cl is not None:
            cl += len(table) - (end - start - 2)
            m = COUNT.match(lines[cl])
            lines[cl] = "%d components; %d seen matching real binaries%s" % (len(want), nseen, m.group(3))
        open(doc, "w").write("\n".join(lines))
        print("components_table: %s written (%d components)" % (doc, len(want)))
        return 0
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
