#!/usr/bin/env python3
"""columns.py - lines over 100 columns (tabs at 8) in postern's C sources.

The code has lines wider than STYLE's 100 columns from before the limit was
checked; this keeps their number from growing. It counts, per file under
src/, include/ and tests/ (*.c, *.h), the lines wider than 100 columns and
compares with tests/style/columns-baseline.txt ("COUNT PATH" lines): a file
with more than its baseline (a new file: 0) fails. --update rewrites the
baseline (after lines were shortened, or to accept a reviewed exception).
usage: columns.py SRC [--update]
"""
import os
import sys

LIMIT = 100
ROOTS = ("src", "include", "tests")


def width(line):
    col = 0
    for ch in line:
        col = (col // 8 + 1) * 8 if ch == "\t" else col + 1
    return col


def counts(src):
    out = {}
    for root in ROOTS:
        for d, dirs, files in os.walk(os.path.join(src, root)):
            dirs[:] = sorted(x for x in dirs if x not in ("fixtures", "corpus", "crashes"))
            for f in sorted(files):
                if not f.endswith((".c", ".h")):
                    continue
                p = os.path.join(d, f)
                with open(p, encoding="utf-8", errors="replace") as fh:
                    n = sum(1 for line in fh if width(line.rstrip("\n")) > LIMIT)
                out[os.path.relpath(p, src)] = n
    return out


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--update"):
        sys.exit(__doc__.strip().splitlines()[-1])
    src = sys.argv[1]
    base_path = os.path.join(src, "tests", "style", "columns-baseline.txt")
    now = counts(src)
    if len(sys.argv) == 3:
        with open(base_path, "w") as fh:
            fh.write("# lines over 100 columns per file (tests/tools/columns.py --update)\n")
            for p, n in sorted(now.items()):
                if n:
                    fh.write(f"{n} {p}\n")
        print(f"columns: baseline written, {sum(now.values())} lines in {len(now)} files")
        return 0
    base = {}
    with open(base_path) as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                n, p = line.split(None, 1)
                base[p.strip()] = int(n)
    grew = [(p, n, base.get(p, 0)) for p, n in sorted(now.items()) if n > base.get(p, 0)]
    for p, n, b in grew:
        print(f"columns: {p}: {n} lines over {LIMIT} columns (baseline {b})")
    print(f"columns: {sum(now.values())} lines over {LIMIT} columns "
          f"(baseline {sum(base.values())}); {len(grew)} file(s) grew")
    return 1 if grew else 0


if __name__ == "__main__":
    sys.exit(main())
