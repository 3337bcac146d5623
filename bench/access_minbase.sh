#!/usr/bin/env bash
# Issue 3: a Debian minbase root filesystem (debootstrap --variant=minbase
# bookworm), packed as a tar.gz, must pass with no access finding above low.
# Takes minutes the first time (debootstrap); the tree is cached under
# ${POSTERN_CACHE:-~/.cache/postern}/minbase-bookworm. Needs root.
#   usage: bench/access_minbase.sh [POSTERN]
set -euo pipefail
postern=${1:-${POSTERN:-build/postern}}
cache=${POSTERN_CACHE:-$HOME/.cache/postern}
tree=$cache/minbase-bookworm
tgz=$cache/minbase-bookworm.tar.gz
if [ ! -x "$tree/bin/sh" ]; then
  command -v debootstrap >/dev/null || { echo "debootstrap missing: apt-get install debootstrap" >&2; exit 69; }
  rm -rf "$tree"
  debootstrap --variant=minbase bookworm "$tree" http://deb.debian.org/debian
fi
[ -s "$tgz" ] || tar -C "$tree" --numeric-owner -czf "$tgz" .

fail=0
for target in "$tgz" "$tree"; do
  out=$(mktemp)
  /usr/bin/time -f "%e s wall, %U s user" "$postern" scan "$target" --format json --no-run -o "$out" || true
  files=$(sed -n 's/.*"coverage": {"files": \([0-9]*\).*/\1/p' "$out")
  above=$(grep -cE '"severity": "(medium|high|critical)"' "$out" || true)
  echo "$(basename "$target"): $files files, verdict $(sed -n 's/^  "verdict": "\(.*\)",$/\1/p' "$out"), $above finding(s) above low"
  grep -E '"severity": "(medium|high|critical)"' "$out" | head -20 || true
  if [ "${files:-0}" -lt 1000 ]; then
    echo "  (only $files files examined: this build cannot open $(basename "$target") yet)"
  elif [ "$above" -ne 0 ]; then
    fail=1
  fi
  rm -f "$out"
done
exit $fail
