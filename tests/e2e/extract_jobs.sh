#!/usr/bin/env bash
# extract_jobs.sh - --extract writes each member when its unpacker emits it
# (issue 15), so the tree it writes follows the archive's order whatever the
# walker's schedule (a depth-first stack) and the thread count: -j1, -j2 and
# -j4 write the same tree, and the report is the one a scan without
# --extract gives. The fixture nests what makes order matter: a member stored
# twice (the later one must win), a tar.gz inside the tar, a squashfs whose
# files are loaded on demand (made empty when emitted, filled when loaded),
# links and directories.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"

fail() { echo "extract_jobs: FAIL: $*" >&2; exit 1; }

W=$(mktemp -d "${TMPDIR:-/tmp}/postern-e2e-XXXXXX")
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/src/etc" "$W/src/bin" "$W/in/lib" "$W/sq/usr/sbin" "$W/dup"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$W/src/etc/passwd"
printf '#!/bin/sh\necho hello\n' > "$W/src/bin/hello"
chmod 755 "$W/src/bin/hello"
ln -s hello "$W/src/bin/hi"
for i in 1 2 3 4 5 6; do seq "$i" 4000 > "$W/in/lib/data$i.txt"; done
(cd "$W/in" && tar -czf "$W/src/inner.tar.gz" lib)
for i in 1 2 3; do seq 1 "$((i * 3000))" > "$W/sq/usr/sbin/tool$i"; done
ln -s tool1 "$W/sq/usr/sbin/tool-link"
mksquashfs "$W/sq" "$W/src/rootfs.sqfs" -noappend -quiet -comp gzip >/dev/null
echo first > "$W/dup/same.txt"
(cd "$W/src" && tar -cf "$W/t.tar" etc bin inner.tar.gz rootfs.sqfs)
(cd "$W/dup" && tar -rf "$W/t.tar" same.txt)
echo second-and-last > "$W/dup/same.txt"
(cd "$W/dup" && tar -rf "$W/t.tar" same.txt)

norun() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("run",None)
print(json.dumps(d,sort_keys=True))' "$1"
}
# What a directory holds: type, path, link target, content digest, mode.
manifest() {
  (cd "$1" && find . -mindepth 1 -printf '%y %P %l %m\n' | sort |
    while read -r y p rest; do
      if [ "$y" = f ]; then echo "$y $p $rest $(sha256sum < "$p" | cut -c1-16)"; else echo "$y $p $rest"; fi
    done)
}

"$POSTERN" scan "$W/t.tar" --format json --jobs 1 > "$W/plain.json" || [ $? -lt 64 ] ||
  fail "scan without --extract failed"
ref=$(norun "$W/plain.json")
first=""
for jobs in 1 2 4; do
  D="$W/x$jobs"
  "$POSTERN" scan "$W/t.tar" --extract "$D" --format json --jobs "$jobs" > "$W/x$jobs.json" ||
    [ $? -lt 64 ] || fail "jobs=$jobs: scan failed"
  [ "$(norun "$W/x$jobs.json")" = "$ref" ] ||
    fail "jobs=$jobs: the report with --extract differs from the one without"
  m=$(manifest "$D")
  if [ -z "$first" ]; then first=$m; fi
  [ "$m" = "$first" ] || { diff <(echo "$first") <(echo "$m") >&2 || true
    fail "jobs=$jobs: the extracted tree differs from -j1's"; }
  # The later of the two same.txt members wins, as tar -x would have it.
  [ "$(cat "$D/same.txt")" = second-and-last ] || fail "jobs=$jobs: same.txt is not the last member"
  [ -L "$D/bin/hi" ] && [ "$(readlink "$D/bin/hi")" = hello ] || fail "jobs=$jobs: bin/hi not a link"
  cmp -s "$D/etc/passwd" "$W/src/etc/passwd" || fail "jobs=$jobs: etc/passwd differs"
  # Loaded on demand (squashfs), and nested two levels (tar.gz in the tar).
  f=$(find "$D" -path '*rootfs.sqfs.extracted*' -name tool3 -type f | head -1)
  [ -n "$f" ] && cmp -s "$f" "$W/sq/usr/sbin/tool3" || fail "jobs=$jobs: squashfs tool3 missing or wrong"
  f=$(find "$D" -path '*inner.tar.gz.extracted*' -name data6.txt -type f | head -1)
  [ -n "$f" ] && cmp -s "$f" "$W/in/lib/data6.txt" || fail "jobs=$jobs: nested data6.txt missing or wrong"
done
echo "extract_jobs: ok ($(echo "$first" | wc -l) entries, same tree and report at -j1/-j2/-j4)"
