#!/usr/bin/env python3
"""backdoor_pairs_table.py JSONDIR - the table of bench/backdoor_pairs.sh:
one row per program x variant x arch (JSONDIR/PROG-VARIANT-ARCH.json):
verdict, findings >= medium (rule and severity), and whether the back door
was found: a back-doored build has a finding >= high (rule on the same
file) that the clean build of the same program and arch does not have."""
import glob
import json
import os
import sys

RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def load(path):
    with open(path) as f:
        d = json.load(f)
    fs = [(x["rule"], x["severity"], os.path.basename(x["location"].split("!")[-1]))
          for x in d["findings"] if RANK.get(x["severity"], 0) >= 2]
    return d["verdict"], sorted(set(fs))


def main():
    rows = {}
    for p in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
        prog, var, arch = os.path.basename(p)[:-5].split("-")
        rows[(prog, var, arch)] = load(p)
    print("| program | variant | arch | verdict | findings >= medium | back door found |")
    print("|---|---|---|---|---|---|")
    for (prog, var, arch), (verdict, fs) in sorted(rows.items()):
        clean = rows.get((prog, "clean", arch), (None, []))[1]
        new = [f for f in fs if RANK[f[1]] >= 3 and (f[0], f[2]) not in
               {(c[0], c[2]) for c in clean}]
        found = "-" if var == "clean" else ("yes: " + ", ".join(sorted({f[0] for f in new}))
                                            if new else "no")
        text = "; ".join(f"{r} ({s}, {f})" for r, s, f in fs) or "none"
        print(f"| {prog} | {var} | {arch} | {verdict} | {text} | {found} |")


if __name__ == "__main__":
    main()
