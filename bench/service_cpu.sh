#!/usr/bin/env bash
# The service's CPU overhead against the bare CLI on the same images (issue
# 16, docs/scaling.md): CPU time (perf stat task-clock, which counts a
# process and every descendant it waits for), not wall time, so the other
# load on a shared machine moves it far less than the wall-clock figures of
# bench/service_load.sh.
#  cli    each image once: postern scan IMG --format json (what a user runs)
#  cli5   (CLI5=1) each image once with the worker's five outputs: JSON, SARIF, HTML
#         and CycloneDX (four scans: the CLI writes one format a run, so this
#         is an upper bound) plus a signed attestation
#  idle   serve with one worker, started, /healthz answered, kept idle as long
#         as the service run lasts, stopped: start-up (the worker's rule
#         identity, the store) and idle polling
#  svc    serve with one worker: every image uploaded with curl, scanned,
#         reports stored, then stopped
# The overhead is svc against cli, whole and less idle (the fixed cost of
# running a service at all). usage: bench/service_cpu.sh [ROUNDS] [IMAGE...]
# (default 3 rounds, the five real images of tests/fixtures/real).
set -eu
cd "$(dirname "$0")/.."
POSTERN=${POSTERN:-$PWD/build/postern}
rounds=${1:-3}
shift || true
imgs=("$@")
[ ${#imgs[@]} -gt 0 ] || imgs=(tests/fixtures/real/*.bin tests/fixtures/real/*.img)
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
cpu() { # perf stat -x, output file: task-clock in seconds
  awk -F, '$3 == "task-clock" || $3 ~ /^task-clock/ {printf "%.2f", $1 / 1000}' "$1"
}
measure() { # OUT CMD...: runs CMD under perf stat, prints CPU seconds
  local out=$1; shift
  perf stat -x, -e task-clock -o "$out" "$@" > /dev/null 2>&1 || true
  cpu "$out"
}
"$POSTERN" keygen -o "$t/k" > /dev/null 2>&1

run_cli() {
  local img sum=0 c
  for img in "${imgs[@]}"; do
    c=$(measure "$t/p" "$POSTERN" scan "$img" --format json -o "$t/out.json")
    sum=$(echo "$sum + $c" | bc)
  done
  echo "$sum"
}
run_cli5() {
  local img sum=0 c f
  for img in "${imgs[@]}"; do
    for f in json sarif html cyclonedx; do
      c=$(measure "$t/p" "$POSTERN" scan "$img" --format $f -o "$t/out.$f")
      sum=$(echo "$sum + $c" | bc)
    done
    c=$(measure "$t/p" "$POSTERN" scan "$img" --format json -o "$t/out.json" --sign "$t/k.key" \
      --attest "$t/att")
    sum=$(echo "$sum + $c" | bc)
  done
  echo "$sum"
}
# run_svc SECONDS-IDLE|submit: prints "CPU WALL"
run_svc() {
  local D=$t/d$RANDOM port tok start ppid spid id ids=() img s
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  tok=$("$POSTERN" admin --data "$D" token create --role submitter --tenant bench 2> /dev/null)
  start=$(date +%s.%N)
  perf stat -x, -e task-clock -o "$t/psvc" "$POSTERN" serve --data "$D" \
    --listen "127.0.0.1:$port" --workers 1 2> /dev/null &
  ppid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.1; done
  if [ "$1" = submit ]; then
    for img in "${imgs[@]}"; do
      id=$(curl -s -H "Authorization: Bearer $tok" -H 'Content-Type: application/octet-stream' \
        --data-binary "@$img" "http://127.0.0.1:$port/api/v1/submissions?product=p$RANDOM&version=1" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
      ids+=("$id")
    done
    for id in "${ids[@]}"; do
      while :; do
        s=$(curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:$port/api/v1/submissions/$id" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
        [ "$s" = done ] || [ "$s" = error ] && break
        sleep 0.5
      done
    done
  else
    sleep "$1"
  fi
  spid=$(pgrep -P "$ppid" -x postern | head -1)
  kill -TERM "$spid"
  wait "$ppid" || true
  echo "$(cpu "$t/psvc") $(echo "$(date +%s.%N) - $start" | bc)"
}

printf '%-6s %8s %8s %8s %8s %8s %10s %10s\n' round cli_s cli5_s svc_s wall_s idle_s svc/cli "(svc-idle)/cli"
for r in $(seq "$rounds"); do
  cli=$(run_cli)
  cli5=-; [ "${CLI5:-0}" = 0 ] || cli5=$(run_cli5)
  read -r svc wall <<< "$(run_svc submit)"
  read -r idle _ <<< "$(run_svc "$wall")"
  printf '%-6s %8s %8s %8s %8.1f %8s %10s %10s\n' "$r" "$cli" "$cli5" "$svc" "$wall" "$idle" \
    "$(echo "scale=3; $svc / $cli" | bc)" "$(echo "scale=3; ($svc - $idle) / $cli" | bc)"
done
