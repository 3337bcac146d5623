#!/usr/bin/env bash
# Cost of the vulnerability stage (issue 18): generates a 300,000-record
# database (bench/gen_vulndb.py: NVD feed files and an OSV Debian zip), times
# its import, then scans bench/router_bench.sh's router image with and
# without it, interleaved, and prints the median CPU seconds (user + sys) of
# each and their ratio. Target: the ratio <= 1.10.
# usage: bench/vulndb_bench.sh [RUNS] [RECORDS]
# env: POSTERN (the binary), OUT (work directory, default bench/out)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
postern=${POSTERN:-$here/build/postern}
runs=${1:-5}
records=${2:-300000}
out=${OUT:-$here/bench/out}
mkdir -p "$out"
img=$out/router.bin db=$out/vulndb.sqlite data=$out/vulndb
[ -f "$img" ] || "$here/scripts/make-router-image" --squashfs-out "$out/router.sqfs" "$img"
if [ ! -f "$data/osv-debian.zip" ]; then
  python3 "$here/bench/gen_vulndb.py" "$data" "$records"
fi
rm -f "$db"
/usr/bin/time -f "%e %U %S %M" -o "$out/import.t" \
  "$postern" vulndb import --db "$db" "$data"/nvd-*.json "$data/osv-debian.zip" > /dev/null
read -r iw iu is im < "$out/import.t"
echo "import of $records records: ${iw} s wall, $(echo "$iu + $is" | bc) CPU-s, ${im} KB peak, $(du -m "$db" | cut -f1) MB database"

rm -f "$out"/vdb-*.times
for i in $(seq "$runs"); do
  for mode in without with; do
    if [ $mode = with ]; then opt=(--vulndb "$db" --vulndb-max-age 36500); else opt=(--no-vulndb); fi
    /usr/bin/time -f "%U %S" -o "$out/vdb.t" "$postern" scan "$img" -j 1 --no-progress "${opt[@]}" \
      -f json -o "$out/vdb-$mode.json" > /dev/null 2>&1 || true
    tail -n1 "$out/vdb.t" | awk '{print $1 + $2}' >> "$out/vdb-$mode.times" # (time says a failing exit first)
  done
done
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
a=$(median < "$out/vdb-without.times") b=$(median < "$out/vdb-with.times")
n=$(grep -o '"rule": *"vuln\.[a-z-]*"' "$out/vdb-with.json" | wc -l)
echo "router scan, -j 1, median of $runs: without $a CPU-s, with $b CPU-s, ratio $(echo "scale=3; $b / $a" | bc) ($n vuln findings)"
