#!/usr/bin/env bash
# The vetting service under load (issue 16; not in the test run): how many
# images a minute `postern serve` vets with 1 and 2 local workers, the API's
# latency (p50/p99 of GET /api/v1/submissions/{id} and /api/v1/products)
# while the workers are busy, and the service's overhead against the bare CLI
# on the same images with the same parallelism (target <= 10 %).
# Images: the router-style image (scripts/make-router-image) N times, each
# with a distinct trailer, so every one is a new job (no deduplication).
# usage: bench/service_load.sh [N]   (default 8 images; results in bench/out/)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
N=${1:-8}
POSTERN=${POSTERN:-$src/build/postern}
out=$src/bench/out
mkdir -p "$out"
t=$(mktemp -d "$src/build/service-load.XXXXXX")
spid=""; ppid_probe=""
cleanup() {
  [ -n "$ppid_probe" ] && kill "$ppid_probe" 2> /dev/null || true
  [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null || true
  rm -rf "$t"
}
trap cleanup EXIT
now() { date +%s.%N; }

bash scripts/make-router-image "$t/base.bin" 2> /dev/null
for i in $(seq "$N"); do
  cp "$t/base.bin" "$t/img$i.bin"
  printf 'service-load trailer %d\n' "$i" >> "$t/img$i.bin"
done

# The bare CLI, W images at a time (W = the workers compared with).
cli_wall() {
  local w=$1 t0 t1
  t0=$(now)
  seq "$N" | xargs -P "$w" -I{} "$POSTERN" scan "$t/img{}.bin" -f json --no-run --no-progress \
    -o /dev/null 2> /dev/null || true
  t1=$(now)
  awk "BEGIN { print $t1 - $t0 }"
}

# Probes the API while the queue drains: two GETs every 0.2 s, its time.
probe() {
  local tok=$1 b=$2 id=$3
  while :; do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$b/api/v1/submissions/$id"
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $tok" "$b/api/v1/products"
    sleep 0.2
  done
}

svc_run() {
  local w=$1 d=$t/data$1 port tok b ids=() t0 t1 left s
  tok=$("$POSTERN" admin --data "$d" token create --role admin 2> /dev/null)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  b=http://127.0.0.1:$port
  "$POSTERN" serve --data "$d" --listen "127.0.0.1:$port" --workers "$w" --rate 10000 \
    --burst 10000 > /dev/null 2> "$t/serve$w.log" &
  spid=$!
  for i in $(seq 50); do curl -sf "$b/healthz" > /dev/null && break; sleep 0.2; done
  t0=$(now)
  for i in $(seq "$N"); do
    ids+=("$(curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/octet-stream' \
      --data-binary "@$t/img$i.bin" "$b/api/v1/submissions?product=load&version=$i" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')")
  done
  probe "$tok" "$b" "${ids[0]}" > "$t/lat$w" &
  ppid_probe=$!
  # one process polls every submission (a python per poll would eat a core)
  python3 - "$b" "$tok" "${ids[@]}" <<'P'
import json, sys, time, urllib.request
base, tok, ids = sys.argv[1], sys.argv[2], sys.argv[3:]
while ids:
    time.sleep(0.25)
    left = []
    for i in ids:
        q = urllib.request.Request(base + "/api/v1/submissions/" + i, headers={"Authorization": "Bearer " + tok})
        if json.load(urllib.request.urlopen(q))["status"] not in ("done", "error"):
            left.append(i)
    ids = left
P
  t1=$(now)
  kill "$ppid_probe"; wait "$ppid_probe" 2> /dev/null || true; ppid_probe=""
  kill "$spid"; wait "$spid" 2> /dev/null || true; spid=""
  awk "BEGIN { print $t1 - $t0 }"
}

pct() { sort -n "$1" | awk -v p="$2" '{a[NR]=$1} END {i=int(NR*p/100+0.999); if (i<1) i=1; printf "%.1f", a[i]*1000}'; }

{
  echo "service_load: $N router-style images ($(stat -c %s "$t/base.bin") bytes each), $(nproc) cores"
  printf '%-8s %10s %10s %12s %9s %9s %9s\n' workers cli_s svc_s images/min overhead p50_ms p99_ms
  for w in 1 2; do
    c=$(cli_wall "$w")
    s=$(svc_run "$w")
    printf '%-8s %10.1f %10.1f %12.2f %8.1f%% %9s %9s\n' "$w" "$c" "$s" \
      "$(awk "BEGIN { print $N * 60 / $s }")" "$(awk "BEGIN { print ($s / $c - 1) * 100 }")" \
      "$(pct "$t/lat$w" 50)" "$(pct "$t/lat$w" 99)"
  done
} | tee "$out/service_load.txt"
