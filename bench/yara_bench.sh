#!/usr/bin/env bash
# Signature benchmark, in one run on the router-style image
# (scripts/make-router-image, Debian d-i mipsel root filesystem):
#   1. postern without the bundled pack vs with it (target: the pack adds <= 25%);
#   2. postern with a generated user rule directory of RULES (default 750)
#      plausible string/hex rules vs Debian's `yara -r` with the same rules
#      over an extracted copy of the same tree (target: postern faster), yara
#      both compiling the rules itself and loading them precompiled (yarac).
# Also: unsquashfs + yara -r (what the yara route costs from the image).
# Every timing is the median of RUNS runs (default 3), wall and CPU (user+sys);
# postern's compiled-rule cache is warmed first, as in everyday use. Prints
# the ratios.
# usage: bench/yara_bench.sh [RUNS] [RULES]
set -euo pipefail
runs=${1:-3}
nrules=${2:-750}
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
out=$here/bench/out/yara
mkdir -p "$out"
[ -x "$postern" ] || { echo "yara_bench: build postern first ($postern)" >&2; exit 69; }
command -v yara >/dev/null && command -v yarac >/dev/null && command -v unsquashfs >/dev/null && [ -x /usr/bin/time ] || { echo "yara_bench: install yara (scripts/install-deps)" >&2; exit 69; }
jobs=$(nproc)
export XDG_CACHE_HOME=$out/cache

img=$out/router.bin tree=$out/rootfs
if [ ! -s "$img" ] || [ ! -d "$tree" ] || [ ! -s "$out/root.sqfs" ]; then
  "$here/scripts/make-router-image" --rootfs-out "$tree" --squashfs-out "$out/root.sqfs" "$img"
fi
echo 'rule trivial { strings: $a = "postern-bench-no-such-string" condition: $a }' > "$out/trivial.yar"

# ---- the generated user rules: varied and plausible, matching nothing here ----
rules=$out/user-rules
rm -rf "$rules"; mkdir -p "$rules"
python3 - "$rules" "$nrules" <<'EOF'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261126)
words = ("backdoor implant beacon stager loader dropper shell reverse bind tunnel proxy "
         "agent payload config update telemetry debug factory service daemon relay").split()
def token():
    return "%s_%s%04x" % (rnd.choice(words), rnd.choice(words)[:3], rnd.getrandbits(16))
def hexpat():
    parts = []
    for _ in range(rnd.randint(8, 14)):
        parts.append("??" if rnd.random() < 0.12 else "%02X" % rnd.getrandbits(8))
    parts[0] = "%02X" % rnd.getrandbits(8); parts[-1] = "%02X" % rnd.getrandbits(8)
    if rnd.random() < 0.3:
        parts.insert(len(parts) // 2, "[2-8]")
    return "{ " + " ".join(parts) + " }"
per_file = 50
for f in range((n + per_file - 1) // per_file):
    with open("%s/lab_%02d.yar" % (out, f), "w") as fh:
        if f % 4 == 0:
            fh.write('import "elf"\n\n')
        for i in range(f * per_file, min(n, (f + 1) * per_file)):
            kind = rnd.random()
            fh.write("rule lab_%04d : lab generated\n{\n\tmeta:\n" % i)
            fh.write('\t\tdescription = "generated benchmark rule %d"\n' % i)
            fh.write('\t\tseverity = "%s"\n' % rnd.choice(["high", "medium", "critical"]))
            fh.write('\t\treference = "https://example.org/advisories/%d"\n\tstrings:\n' % i)
            if kind < 0.45:
                fh.write('\t\t$a = "%s"\n\t\t$b = "%s" nocase\n' % (token(), token()))
                cond = "any of them"
            elif kind < 0.70:
                fh.write("\t\t$a = %s\n\t\t$b = %s\n" % (hexpat(), hexpat()))
                cond = "$a or $b"
            elif kind < 0.85:
                fh.write('\t\t$a = "%s" ascii wide\n\t\t$b = "/etc/%s.conf"\n\t\t$c = %s\n'
                         % (token(), token(), hexpat()))
                cond = "2 of them"
            elif kind < 0.95:
                fh.write('\t\t$a = /%s[0-9a-f]{8}\\.(so|bin)/\n\t\t$b = "%s"\n' % (token(), token()))
                cond = "all of them"
            else:
                fh.write('\t\t$a = "%s"\n' % token())
                cond = "$a and (uint32(0) == 0x464c457f)" if f % 4 else \
                       "$a and elf.number_of_sections > 0"
            fh.write("\tcondition:\n\t\t%s\n}\n\n" % cond)
EOF
cat "$rules"/lab_*.yar > "$out/all-user-rules.yar"
yarac "$out/all-user-rules.yar" "$out/all-user-rules.yarc"
echo "yara_bench: $(grep -c '^rule ' "$out/all-user-rules.yar") user rules in $(ls "$rules" | wc -l) files; tree: $(find "$tree" -type f | wc -l) files; jobs $jobs"

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timeit NAME CMD... -> "wall cpu": medians of RUNS runs; cpu is user+sys
# seconds of the command and its children (the machine is shared: cpu is the
# steadier measure, wall is what a user waits).
timeit() {
  local name=$1; shift
  local i
  : > "$out/$name.times"
  for i in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$out/$name.t1" "$@" > "$out/$name.out" 2> "$out/$name.err" || true
    tail -n1 "$out/$name.t1" >> "$out/$name.times"
  done
  echo "$(awk '{print $1}' "$out/$name.times" | median) $(awk '{print $2+$3}' "$out/$name.times" | median)"
}
extract_and_yara() { # the reference pipeline: unpack the image's squashfs, then yara -r
  rm -rf "$out/x"
  unsquashfs -q -n -p "$jobs" -d "$out/x" "$out/root.sqfs" > /dev/null
  yara -r -w -p "$jobs" "$out/all-user-rules.yar" "$out/x"
}

# warm postern's compiled-rule cache (and the page cache)
"$postern" scan "$img" --no-progress --rules "$rules" > /dev/null 2>&1 || true
"$postern" scan "$img" --no-progress > /dev/null 2>&1 || true

read -r w_nopack c_nopack <<< "$(timeit nopack "$postern" scan "$img" --no-progress --no-rules-pack -j "$jobs")"
read -r w_pack c_pack <<< "$(timeit pack "$postern" scan "$img" --no-progress -j "$jobs")"
read -r w_user c_user <<< "$(timeit user "$postern" scan "$img" --no-progress --no-rules-pack --rules "$rules" -j "$jobs")"
read -r w_both c_both <<< "$(timeit both "$postern" scan "$img" --no-progress --rules "$rules" -j "$jobs")"
read -r w_yara c_yara <<< "$(timeit yara yara -r -w -p "$jobs" "$out/all-user-rules.yar" "$tree")"
read -r w_yarac c_yarac <<< "$(timeit yarac yara -r -w -p "$jobs" -C "$out/all-user-rules.yarc" "$tree")"
export -f extract_and_yara; export out jobs
read -r w_xy c_xy <<< "$(timeit extract_yara bash -c extract_and_yara)"
read -r w_triv c_triv <<< "$(timeit yara_trivial yara -r -w -p "$jobs" "$out/trivial.yar" "$tree")"

ratio() { echo "scale=3; $1 / $2" | bc -l; }
row() { printf '%-60s %8.2f %8.2f\n' "$1" "$2" "$3"; }
printf '\n%-60s %8s %8s\n' "run (median of $runs)" "wall s" "cpu s"
row "postern, no signatures (--no-rules-pack)" "$w_nopack" "$c_nopack"
row "postern, bundled pack" "$w_pack" "$c_pack"
row "postern, $nrules user rules, no pack" "$w_user" "$c_user"
row "postern, bundled pack + $nrules user rules" "$w_both" "$c_both"
row "yara -r, $nrules rules, extracted tree (compiles them)" "$w_yara" "$c_yara"
row "yara -r -C, $nrules rules precompiled, extracted tree" "$w_yarac" "$c_yarac"
row "unsquashfs + yara -r, $nrules rules (extract, then scan)" "$w_xy" "$c_xy"
row "yara -r, one trivial rule (reading the tree)" "$w_triv" "$c_triv"
echo
echo "pack overhead        postern(pack)/postern(no pack):  wall $(ratio "$w_pack" "$w_nopack")  cpu $(ratio "$c_pack" "$c_nopack")   (target <= 1.25)"
echo "user rules vs yara   postern(user)/yara -r:           wall $(ratio "$w_user" "$w_yara")  cpu $(ratio "$c_user" "$c_yara")   (target < 1)"
echo "                     postern(user)/unsquashfs+yara:   wall $(ratio "$w_user" "$w_xy")  cpu $(ratio "$c_user" "$c_xy")"
echo "signature work only  (postern(user)-postern(no pack)) / (yara -r - yara trivial):  cpu $(ratio "$(echo "$c_user - $c_nopack" | bc -l)" "$(echo "$c_yara - $c_triv" | bc -l)")"
echo "yara -r matches: $(wc -l < "$out/yara.out"); postern user-rule findings: $(grep -c 'signature.lab_' "$out/user.out" || true)"
