#!/usr/bin/env bash
# Signature benchmark, in one run on the router-style image
# (scripts/make-router-image, Debian d-i mipsel root filesystem):
#   1. postern without the bundled pack vs with it (target: the pack adds <= 25%);
#   2. postern with a generated user rule directory of RULES (default 750)
#      rules vs Debian's `yara -r` with the same rules over an extracted copy
#      of the image (root filesystem + kernel; target: postern faster), yara
#      both compiling the rules itself and loading them precompiled (yarac),
#      in two rule mixes: a cheap one (literal tokens) and a heavy one
#      modelled on public lab collections (bench/README.md).
# Also: unsquashfs + yara -r (what the yara route costs from the image).
# yara runs with -N: the tree's 300 busybox symlinks are not read again.
# Every timing is the median of RUNS runs (default 3), wall and CPU (user+sys);
# postern's compiled-rule cache is warmed first, as in everyday use. Prints
# the ratios.
# Also (issue 24): other people's signatures. A rule set the size and shape
# of the most widely used public collection (bench/gen_collection.py: 741
# files, 4000 rules, using the LOKI/THOR externals) and a ClamAV database of
# 100,000 signatures (bench/gen_clamav_db.py: hash and body signatures), each
# on top of an everyday scan (bundled pack): ratios with / without, targets
# <= 2x (collection) and <= 1.5x (ClamAV). MODE "collection" runs only these.
# usage: bench/yara_bench.sh [RUNS] [RULES] [all|collection]
set -euo pipefail
runs=${1:-3}
nrules=${2:-750}
mode=${3:-all}
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
# What an extraction of the image gives yara: the root filesystem and the
# kernel (the uImage's gzip payload), which postern examines too.
extract_kernel() { dd if="$img" bs=64 skip=1 status=none | gunzip -c 2> /dev/null > "$1" || true; }
ytree=$out/image-tree
if [ ! -s "$ytree/kernel" ]; then
  rm -rf "$ytree"; cp -al "$tree" "$ytree"; extract_kernel "$ytree/kernel"
fi
[ -s "$ytree/kernel" ] || { echo "yara_bench: could not extract the kernel" >&2; exit 70; }

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
echo "yara_bench: cheap mix: $(grep -c '^rule ' "$out/all-user-rules.yar") user rules in $(ls "$rules" | wc -l) files; yara's tree: $(find "$ytree" -type f | wc -l) files (root filesystem + kernel); jobs $jobs"

# ---- the heavy mix: modelled on a public lab collection ----
# Composition (bench/README.md says why): per rule 4-10 strings, most ascii
# (a fifth fullword), some "ascii wide", nocase, base64 and xor strings, hex
# strings with wildcards and jumps, a few regexes; a sixth of the strings
# are common words of Linux programs ("/bin/sh -c", "/proc/%d/") that DO occur
# in the tree, as real rules' weaker strings do; conditions guard on the ELF
# magic and filesize and count strings, some use the elf module (for loops
# over sections and symbols), math.entropy, or loops over match offsets.
heavy=$out/user-rules-heavy
rm -rf "$heavy"; mkdir -p "$heavy"
python3 - "$heavy" "$nrules" <<'EOF2'
import random, sys
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261127)
words = ("backdoor implant beacon stager loader dropper shell reverse bind tunnel proxy "
         "agent payload config update telemetry debug factory service daemon relay "
         "socks knock wakeup rootkit hide persist cron inject hook sniff").split()
common = ["/bin/sh -c", "/proc/%d/", "chmod +x", "/dev/null", "socket", "connect", "execve",
          "/etc/passwd", "wget ", "HTTP/1.1", "User-Agent:", "/tmp/", "fork", "setsid",
          "%s:%d", "daemon", "kill -9", "iptables", "base64", "GET /", "/bin/busybox",
          "telnet", "password", "nameserver", "127.0.0.1", "Content-Length:"]
def token():
    return "%s_%s%04x" % (rnd.choice(words), rnd.choice(words)[:3], rnd.getrandbits(16))
def hexpat():
    parts = ["%02X" % rnd.getrandbits(8) for _ in range(rnd.randint(10, 24))]
    for i in range(1, len(parts) - 1):
        if rnd.random() < 0.15:
            parts[i] = "??"
    if rnd.random() < 0.45:
        a = rnd.randint(0, 4)
        parts.insert(len(parts) // 2, "[%d-%d]" % (a, a + rnd.randint(2, 16)))
    if rnd.random() < 0.1:
        parts.insert(len(parts) // 3, "( %02X %02X | %02X %02X )" % tuple(rnd.getrandbits(8) for _ in range(4)))
    return "{ " + " ".join(parts) + " }"
def string(weak):
    k = rnd.random()
    if k < 0.16 and not weak:
        k = 0.16 + rnd.random() * 0.84
    if k < 0.16:
        return '"%s"' % rnd.choice(common).replace('"', '\\"')
    if k < 0.50:
        return '"%s"%s' % (token(), " ascii fullword" if rnd.random() < 0.4 else " ascii")
    if k < 0.62:
        return '"%s" ascii wide' % token()
    if k < 0.70:
        return '"%s" nocase' % token()
    if k < 0.74:
        return '"%s" base64' % token()
    if k < 0.77:
        return '"%s" xor(0x01-0xff)' % token()[:12]
    if k < 0.93:
        return hexpat()
    r = rnd.choice([r"/%s[0-9a-f]{8,16}\.(so|bin|dat)/",
                    r"/\/tmp\/\.[a-z]{4,8}%s/",
                    r"/%s\s+-[a-z]\s+[0-9]{2,5}/",
                    r"/%s=[A-Za-z0-9+\/]{16,}={0,2}/"])
    return r.replace("%s", token()) if "%s" in r else r
per_file = 50
for f in range((n + per_file - 1) // per_file):
    with open("%s/heavy_%02d.yar" % (out, f), "w") as fh:
        fh.write('import "elf"\nimport "math"\n\n')
        for i in range(f * per_file, min(n, (f + 1) * per_file)):
            ns = rnd.randint(4, 10)
            nx = max(1, ns // 3)
            fh.write("rule heavy_%04d : lab generated\n{\n\tmeta:\n" % i)
            fh.write('\t\tdescription = "generated heavy benchmark rule %d"\n' % i)
            fh.write('\t\tseverity = "%s"\n' % rnd.choice(["high", "medium", "critical"]))
            fh.write('\t\treference = "https://example.org/advisories/h%d"\n\tstrings:\n' % i)
            for j in range(nx):
                fh.write("\t\t$x%d = %s\n" % (j, string(False)))
            for j in range(ns - nx):
                fh.write("\t\t$s%d = %s\n" % (j, string(True)))
            k = rnd.random()
            if k < 0.40:
                cond = "uint32(0) == 0x464c457f and filesize < %dKB and (1 of ($x*) or %d of ($s*))" % (
                    rnd.choice([500, 2000, 9000]), min(3, ns - nx))
            elif k < 0.65:
                cond = "1 of ($x*) or all of ($s*)"
            elif k < 0.80:
                cond = ("elf.type == elf.ET_EXEC and 2 of them and for any i in (0..elf.number_of_sections - 1) : "
                        "(elf.sections[i].name == \".%s\")" % token()[:10])
            elif k < 0.88:
                cond = ("for any i in (0..elf.symtab_entries - 1) : (elf.symtab[i].name == \"%s\") or all of ($x*) or 3 of ($s*)"
                        % token())
            elif k < 0.95:
                cond = "filesize < 3MB and math.entropy(0, filesize) > 7.2 and 2 of them"
            else:
                cond = "#s0 > 2 and for any i in (1..#s0) : (uint8(@s0[i] + 8) == 0x%02x) and (1 of ($x*) or 2 of ($s*))" % rnd.getrandbits(8)
            fh.write("\tcondition:\n\t\t%s\n}\n\n" % cond)
EOF2
cat "$heavy"/heavy_*.yar > "$out/all-heavy-rules.yar"
yarac "$out/all-heavy-rules.yar" "$out/all-heavy-rules.yarc"
echo "yara_bench: heavy mix: $(grep -c '^rule ' "$out/all-heavy-rules.yar") rules, $(grep -cE '^\s+\$[xs][0-9]+ = ' "$out/all-heavy-rules.yar") strings"

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
extract_and_yara() { # the reference pipeline: unpack the image's squashfs and kernel, then yara -r
  rm -rf "$out/x"
  unsquashfs -q -n -p "$jobs" -d "$out/x" "$out/root.sqfs" > /dev/null
  extract_kernel "$out/x/kernel"
  yara -r -N -w -p "$jobs" "$out/${RULESET:-all-user-rules}.yar" "$out/x"
}

# ---- other people's signatures (issue 24) ----
cratio() { echo "scale=3; $1 / $2" | bc -l; }
collection_bench() {
  local coll=$out/collection cdb=$out/clamav-db
  rm -rf "$coll" "$cdb"
  python3 "$here/bench/gen_collection.py" "$coll" 741 4000
  python3 "$here/bench/gen_clamav_db.py" "$cdb" 100000
  # warm the compiled-rule cache and the page cache
  "$postern" scan "$img" --no-progress --rules "$coll" > /dev/null 2>&1 || true
  "$postern" scan "$img" --no-progress --format json --rules "$coll" --clamav-db "$cdb" > "$out/coll_run.json" 2> "$out/coll_run.err" || true
  read -r w_base c_base <<< "$(timeit coll_base "$postern" scan "$img" --no-progress -j "$jobs")"
  read -r w_coll c_coll <<< "$(timeit coll "$postern" scan "$img" --no-progress -j "$jobs" --rules "$coll")"
  # a fresh cache each run: the collection compiled in the run
  read -r w_cold c_cold <<< "$(timeit coll_cold bash -c 'd=$(mktemp -d); XDG_CACHE_HOME=$d "$0" "$@"; rc=$?; rm -rf "$d"; exit $rc' "$postern" scan "$img" --no-progress -j "$jobs" --rules "$coll")"
  read -r w_clam c_clam <<< "$(timeit clam "$postern" scan "$img" --no-progress -j "$jobs" --clamav-db "$cdb")"
  # a fresh cache each run: the translated signatures compiled in the run
  read -r w_clcold c_clcold <<< "$(timeit clam_cold bash -c 'd=$(mktemp -d); XDG_CACHE_HOME=$d "$0" "$@"; rc=$?; rm -rf "$d"; exit $rc' "$postern" scan "$img" --no-progress -j "$jobs" --clamav-db "$cdb")"
  read -r w_cl1 c_cl1 <<< "$(timeit clam_load "$postern" scan "$out/trivial.yar" --no-progress -j "$jobs" --no-rules-pack --clamav-db "$cdb")"
  read -r w_nl1 c_nl1 <<< "$(timeit noclam_load "$postern" scan "$out/trivial.yar" --no-progress -j "$jobs" --no-rules-pack)"
  printf '\n---- other people'"'"'s signatures (issue 24) ----\n'
  printf '%-60s %8s %8s\n' "run (median of $runs)" "wall s" "cpu s"
  printf '%-60s %8.2f %8.2f\n' "postern, bundled pack (everyday scan)" "$w_base" "$c_base"
  printf '%-60s %8.2f %8.2f\n' "  + 741-file collection (4000 rules), cached compile" "$w_coll" "$c_coll"
  printf '%-60s %8.2f %8.2f\n' "  + 741-file collection, compiled in the run (no cache)" "$w_cold" "$c_cold"
  printf '%-60s %8.2f %8.2f\n' "  + ClamAV database, 100,000 signatures" "$w_clam" "$c_clam"
  printf '%-60s %8.2f %8.2f\n' "  + ClamAV database, translation compiled in the run" "$w_clcold" "$c_clcold"
  printf '%-60s %8.2f %8.2f\n' "ClamAV load alone (a tiny target, no pack) with the db" "$w_cl1" "$c_cl1"
  printf '%-60s %8.2f %8.2f\n' "  ... and without it" "$w_nl1" "$c_nl1"
  echo "collection  with/without:  wall $(cratio "$w_coll" "$w_base")  cpu $(cratio "$c_coll" "$c_base")   (target <= 2)"
  echo "            uncached:      wall $(cratio "$w_cold" "$w_base")  cpu $(cratio "$c_cold" "$c_base")"
  echo "clamav      with/without:  wall $(cratio "$w_clam" "$w_base")  cpu $(cratio "$c_clam" "$c_base")   (target <= 1.5)"
  echo "            uncached:      wall $(cratio "$w_clcold" "$w_base")  cpu $(cratio "$c_clcold" "$c_base")"
  python3 - "$out/coll_run.json" <<'EOF3'
import json, sys
d = json.load(open(sys.argv[1]))
r = d["run"]["signatures"]
sig = [f["rule"] for f in d["findings"] if f["rule"].startswith("signature.") and not f["rule"].startswith("signature.postern.")]
print("run.signatures: %s" % r)
print("ClamAV signatures: %d from postern's digests, %d as YARA, %d left to libclamav" % (r["clamav_hash"], r["clamav_yara"], r["clamav_libclamav"]))
print("collection/ClamAV findings on the image (should be none but rule errors): %s" % sorted(set(sig)))
EOF3
}
if [ "$mode" = collection ]; then
  collection_bench
  exit 0
fi

# warm postern's compiled-rule cache (and the page cache)
"$postern" scan "$img" --no-progress --rules "$rules" > /dev/null 2>&1 || true
"$postern" scan "$img" --no-progress --no-rules-pack --rules "$rules" > /dev/null 2>&1 || true
"$postern" scan "$img" --no-progress --no-rules-pack --rules "$heavy" > /dev/null 2>&1 || true
"$postern" scan "$img" --no-progress > /dev/null 2>&1 || true

read -r w_nopack c_nopack <<< "$(timeit nopack "$postern" scan "$img" --no-progress --no-rules-pack -j "$jobs")"
read -r w_pack c_pack <<< "$(timeit pack "$postern" scan "$img" --no-progress -j "$jobs")"
read -r w_user c_user <<< "$(timeit user "$postern" scan "$img" --no-progress --no-rules-pack --rules "$rules" -j "$jobs")"
read -r w_both c_both <<< "$(timeit both "$postern" scan "$img" --no-progress --rules "$rules" -j "$jobs")"
read -r w_yara c_yara <<< "$(timeit yara yara -r -N -w -p "$jobs" "$out/all-user-rules.yar" "$ytree")"
read -r w_yarac c_yarac <<< "$(timeit yarac yara -r -N -w -p "$jobs" -C "$out/all-user-rules.yarc" "$ytree")"
export -f extract_and_yara extract_kernel; export out jobs img
read -r w_xy c_xy <<< "$(timeit extract_yara bash -c extract_and_yara)"
read -r w_triv c_triv <<< "$(timeit yara_trivial yara -r -N -w -p "$jobs" "$out/trivial.yar" "$ytree")"
read -r w_hu c_hu <<< "$(timeit heavy_user "$postern" scan "$img" --no-progress --no-rules-pack --rules "$heavy" -j "$jobs")"
read -r w_hy c_hy <<< "$(timeit heavy_yara yara -r -N -w -p "$jobs" "$out/all-heavy-rules.yar" "$ytree")"
read -r w_hyc c_hyc <<< "$(timeit heavy_yarac yara -r -N -w -p "$jobs" -C "$out/all-heavy-rules.yarc" "$ytree")"
export RULESET=all-heavy-rules
read -r w_hxy c_hxy <<< "$(timeit heavy_extract_yara bash -c extract_and_yara)"
unset RULESET

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

echo
echo "---- heavy mix ($nrules rules modelled on a public lab collection, bench/README.md) ----"
row "postern, $nrules heavy rules, no pack" "$w_hu" "$c_hu"
row "yara -r, $nrules heavy rules, extracted tree (compiles them)" "$w_hy" "$c_hy"
row "yara -r -C, $nrules heavy rules precompiled, extracted tree" "$w_hyc" "$c_hyc"
row "unsquashfs + yara -r, $nrules heavy rules" "$w_hxy" "$c_hxy"
echo "heavy vs yara        postern(heavy)/yara -r:          wall $(ratio "$w_hu" "$w_hy")  cpu $(ratio "$c_hu" "$c_hy")   (target < 1)"
echo "                     postern(heavy)/yara -r -C:       wall $(ratio "$w_hu" "$w_hyc")  cpu $(ratio "$c_hu" "$c_hyc")"
echo "                     postern(heavy)/unsquashfs+yara:  wall $(ratio "$w_hu" "$w_hxy")  cpu $(ratio "$c_hu" "$c_hxy")"
echo "signature work only  (postern(heavy)-postern(no pack)) / (yara -r heavy - yara trivial):  cpu $(ratio "$(echo "$c_hu - $c_nopack" | bc -l)" "$(echo "$c_hy - $c_triv" | bc -l)")"
echo "heavy matches: yara -r $(wc -l < "$out/heavy_yara.out"); postern findings $(grep -c 'signature.heavy_' "$out/heavy_user.out" || true)"

collection_bench
