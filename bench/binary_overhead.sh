#!/usr/bin/env bash
# What the binary analyzer adds to a scan: builds a copy of this tree with
# the analyzer taken out of src/analyze/registry.c, then times both builds on
# the same target (alternating, N runs each) and prints the medians.
# Usage: bench/binary_overhead.sh TARGET [RUNS] [JOBS]
# Target of issue 4: at most +50% on the router image (scripts/make-router-image).
set -euo pipefail
target=${1:?usage: binary_overhead.sh TARGET [RUNS] [JOBS]}
runs=${2:-5}
jobs=${3:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
work=${POSTERN_BENCH_DIR:-$(mktemp -d)}
with="$src/build/postern"
[ -x "$with" ] || { echo "build postern first (cmake --build build)" >&2; exit 2; }
if [ ! -x "$work/nobin/build/postern" ]; then
	mkdir -p "$work/nobin"
	(cd "$src" && git archive HEAD) | tar -x -C "$work/nobin"
	sed -i '/&pst_analyzer_binary,/d' "$work/nobin/src/analyze/registry.c"
	cmake -S "$work/nobin" -B "$work/nobin/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$work/nobin/build" -j2 --target postern >/dev/null
fi
without="$work/nobin/build/postern"

# Wall time, and CPU time (user+system), which a loaded machine disturbs less.
one() { # prints "wall cpu" of one scan
	/usr/bin/time -f "%e %U %S" -o "$work/time" \
		"$1" scan "$target" --jobs "$jobs" --no-progress --format json -o /dev/null || true
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$work/time"
}
aw=() ac=() bw=() bc=()
for i in $(seq 1 "$runs"); do
	read -r w c < <(one "$without"); aw+=("$w"); ac+=("$c")
	read -r w c < <(one "$with"); bw+=("$w"); bc+=("$c")
done
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
echo "target: $target ($runs runs, --jobs $jobs)"
for kind in wall cpu; do
	if [ $kind = wall ]; then ma=$(median "${aw[@]}") mb=$(median "${bw[@]}")
	else ma=$(median "${ac[@]}") mb=$(median "${bc[@]}"); fi
	printf '%-4s without binary analyzer %6.2f s, with %6.2f s: added %s%%\n' "$kind" "$ma" "$mb" \
		"$(echo "scale=1; ($mb - $ma) * 100 / $ma" | bc)"
done
