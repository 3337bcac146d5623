#!/usr/bin/env bash
# Compares postern's per-ELF hardening facts with checksec(1) (Debian package
# checksec) on one root filesystem directory, property by property.
# Usage: bench/checksec_compare.sh ROOTFS_DIR [POSTERN]
# Prints agreement per property and the disagreeing files; exits non-zero
# when any property agrees on less than 99% of the ELF files.
set -euo pipefail
root=${1:?usage: checksec_compare.sh ROOTFS_DIR [POSTERN]}
postern=${2:-${POSTERN:-build/postern}}
root=${root%/}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v checksec >/dev/null || { echo "checksec missing (apt-get install checksec)" >&2; exit 2; }
start=$(date +%s.%N)
checksec --dir="$root" --output=csv > "$tmp/checksec.csv" 2>/dev/null || true
mid=$(date +%s.%N)
"$postern" scan "$root" --format json --inventory --no-progress --max-ratio 1000000 \
	-o "$tmp/postern.json" || true
end=$(date +%s.%N)
echo "checksec --dir: $(echo "$mid - $start" | bc) s; postern scan: $(echo "$end - $mid" | bc) s"

python3 - "$root" "$tmp/checksec.csv" "$tmp/postern.json" <<'PY'
import csv, json, sys
root, cs_path, ps_path = sys.argv[1:4]
base = root.rstrip('/').split('/')[-1]

def cs_props(row):
    relro = {'Full RELRO': 'full', 'Partial RELRO': 'partial', 'No RELRO': 'no'}.get(row[0], row[0])
    canary = 'yes' if row[1] == 'Canary found' else 'no'
    nx = 'yes' if row[2] == 'NX enabled' else 'no'
    pie = {'PIE enabled': 'yes', 'No PIE': 'no', 'DSO': 'dso', 'REL': 'rel'}.get(row[3], row[3])
    rpath = 'no' if row[4] == 'No RPATH' else 'yes'
    runpath = 'no' if row[5] == 'No RUNPATH' else 'yes'
    symbols = 'yes' if row[6] == 'Symbols' else 'no'
    fortify = 'yes' if row[7] == 'Yes' else 'no'
    return dict(relro=relro, canary=canary, nx=nx, pie=pie, rpath=rpath, runpath=runpath,
                symbols=symbols, fortify=fortify)

cs = {}
for row in csv.reader(open(cs_path)):
    if len(row) < 9:
        continue
    path = row[-1]
    rel = path[len(root):] if path.startswith(root) else path
    cs['/' + rel.lstrip('/')] = cs_props(row)

ps = {}
doc = json.load(open(ps_path))
for n in doc.get('inventory', []):
    h = n.get('binary', {}).get('hardening')
    if not h:
        continue
    loc = n['location']
    if loc.count('!') != 1:   # only files stored directly in the directory
        continue
    ps[loc.split('!', 1)[1]] = h

props = ['relro', 'canary', 'nx', 'pie', 'rpath', 'runpath', 'symbols', 'fortify']
both = sorted(set(cs) & set(ps))
print(f"ELF files: checksec {len(cs)}, postern {len(ps)}, both {len(both)}")
for p in sorted(set(cs) - set(ps))[:10]:
    print("  only checksec:", p)
for p in sorted(set(ps) - set(cs))[:10]:
    print("  only postern:", p)
worst = 100.0
for prop in props:
    agree = [f for f in both if cs[f][prop] == ps[f].get(prop)]
    pct = 100.0 * len(agree) / len(both) if both else 0.0
    worst = min(worst, pct)
    print(f"{prop:8s} {len(agree):5d}/{len(both):5d} agree ({pct:.2f}%)")
    for f in [f for f in both if cs[f][prop] != ps[f].get(prop)][:5]:
        print(f"         {f}: checksec {cs[f][prop]}, postern {ps[f].get(prop)}")
sys.exit(0 if worst >= 99.0 and both else 1)
PY
