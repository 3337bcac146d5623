#!/usr/bin/env bash
# Big-tree benchmark (issue 15): postern on a large real tree at default
# settings, beside two references read over the same tree in the same run:
#   - tar -cf - DIR | zstd -T0 -1 > /dev/null   (every byte read and compressed once)
#   - yara -r -N -w -p JOBS with the bundled pack (rules/yara/*.yar)
# and, as a floor, `find -type f | xargs cat > /dev/null` (reading alone).
# Prints wall, CPU (user+sys), peak RSS (/usr/bin/time -v), the memory budget
# the documented rule gives (docs/limits.md), the count of limit.* findings
# (by rule) and the ratios. Targets (issue 15): zero limit.* findings, peak
# RSS <= budget + 64 MiB.
#
# usage: bench/big_tree.sh [-t] [-j JOBS] [-r ROOT | DIR]
#   DIR  the tree (default: /usr/lib/jvm, ~560 MB of jars, jmods and shared
#        objects: the container-heavy part of the issue's /usr/lib, scanned
#        in a few minutes on 2 cores)
#   -r   the issue's full target: ROOT, a debootstrap'ed Debian 12 minbase with
#        default-jdk-headless, python3-full and libreoffice-core installed in
#        a chroot, made first if ROOT does not hold one (bench/lib/debian_root.sh:
#        root and the network to deb.debian.org), then scanned as DIR
#   -t   also scan the tree as one tar (written to bench/out/big_tree.tar, then
#        deleted): one container with every member, the queue's worst case
#   env POSTERN (default build/postern), MAX_MEMORY (passes --max-memory)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
jobs=2 astar=0 root=""
while getopts "tj:r:" o; do
  case $o in
    t) astar=1 ;;
    j) jobs=$OPTARG ;;
    r) root=$OPTARG ;;
    *) echo "usage: $0 [-t] [-j JOBS] [-r ROOT | DIR]" >&2; exit 64 ;;
  esac
done
shift $((OPTIND - 1))
if [ -n "$root" ]; then
  . "$here/bench/lib/debian_root.sh"
  debian_root "$root"
  set -- "$root"
fi
dir=${1:-/usr/lib/jvm}
dir=$(cd "$dir" && pwd)
out=$here/bench/out/big_tree
mkdir -p "$out"
for t in zstd yara /usr/bin/time python3; do
  command -v "$t" >/dev/null || { echo "big_tree: $t missing (scripts/install-deps)" >&2; exit 69; }
done
[ -x "$postern" ] || { echo "big_tree: build postern first ($postern)" >&2; exit 69; }

. "$here/bench/lib/timed.sh" # run NAME CMD...: "wall cpu rss_kb"

# The budget docs/limits.md gives: 384 MiB, or 6 x the largest input file,
# at most a quarter of RAM and 4 GiB (MAX_MEMORY: exactly that).
budget_mib() {
  local target=$1 largest ram
  if [ -n "${MAX_MEMORY:-}" ]; then echo "$MAX_MEMORY (fixed)"; return; fi
  if [ -d "$target" ]; then
    largest=$(find "$target" -type f -printf '%s\n' 2>/dev/null | sort -n | tail -1)
  else
    largest=$(stat -c %s "$target")
  fi
  ram=$(awk '/MemTotal/ {print $2 * 1024}' /proc/meminfo)
  python3 -c "
l, ram = int('${largest:-0}'), int('$ram')
print(max(384 << 20, min(6 * l, ram // 4, 4 << 30)) >> 20)"
}

limits_of() {
  python3 - "$1" <<'EOF'
import json, sys, collections
try:
    r = json.load(open(sys.argv[1]))
except Exception as e:
    print("no-report"); sys.exit()
c = collections.Counter(f["rule"] for f in r.get("findings", []) if f["rule"].startswith("limit."))
cov = r.get("coverage", {})
print("%d %s files=%s containers=%s incomplete=%s truncated=%s verdict=%s" % (
    sum(c.values()), ",".join("%s:%d" % kv for kv in sorted(c.items())) or "-",
    cov.get("files"), cov.get("containers"), cov.get("incomplete"), cov.get("truncated"),
    r.get("verdict")))
EOF
}

mm=()
[ -n "${MAX_MEMORY:-}" ] && mm=(--max-memory "$MAX_MEMORY")
nfiles=$(find "$dir" -type f | wc -l)
bytes=$(du -sb "$dir" | cut -f1)
echo "big_tree: $dir: $nfiles files, $((bytes >> 20)) MiB; jobs $jobs; $(nproc) cores"
# Warm the page cache once so that every contender reads from memory.
find "$dir" -type f -print0 | xargs -0 cat > /dev/null 2>&1 || true

read -r w_cat c_cat r_cat <<< "$(run cat bash -c "find '$dir' -type f -print0 | xargs -0 cat")"
read -r w_z c_z r_z <<< "$(run zstd bash -c "tar -cf - -C '$dir' . 2>/dev/null | zstd -T0 -1 -q > /dev/null")"
read -r w_y c_y r_y <<< "$(run yara yara -r -N -w -p "$jobs" "$here"/rules/yara/*.yar "$dir")"
read -r w_p c_p r_p <<< "$(run postern nice -n 0 "$postern" scan "$dir" --no-progress -j "$jobs" \
  ${mm[@]+"${mm[@]}"} --format json -o "$out/dir.json")"
lim=$(limits_of "$out/dir.json")
budget=$(budget_mib "$dir")

row() { printf '%-34s %9s %9s %10s\n' "$@"; }
row "" "wall s" "cpu s" "peak RSS"
row "find | xargs cat (reading)" "$w_cat" "$c_cat" "$((r_cat / 1024)) MiB"
row "tar | zstd -T0 -1" "$w_z" "$c_z" "$((r_z / 1024)) MiB"
row "yara -r -N -p $jobs (bundled pack)" "$w_y" "$c_y" "$((r_y / 1024)) MiB"
row "postern scan DIR -j $jobs" "$w_p" "$c_p" "$((r_p / 1024)) MiB"
echo "postern: budget ${budget} MiB; limit.* findings: $lim"
python3 -c "
wp, wz, wy, wc = $w_p, $w_z, $w_y, $w_cat
print('ratio wall postern / tar|zstd: %.1f   / yara: %.1f   / reading: %.1f' % (wp / max(wz, .01), wp / max(wy, .01), wp / max(wc, .01)))"

if [ "$astar" = 1 ]; then
  tar -cf "$out/big_tree.tar" -C "$dir" . 2>/dev/null || true
  read -r w_t c_t r_t <<< "$(run postern_tar "$postern" scan "$out/big_tree.tar" --no-progress -j "$jobs" \
    ${mm[@]+"${mm[@]}"} --format json -o "$out/tar.json")"
  echo "postern scan TAR -j $jobs: wall $w_t s, cpu $c_t s, peak RSS $((r_t / 1024)) MiB;" \
       "budget $(budget_mib "$out/big_tree.tar") MiB; limit.*: $(limits_of "$out/tar.json")"
  rm -f "$out/big_tree.tar"
fi
