#!/usr/bin/env bash
# valgrind.sh - memcheck over the end-to-end CLI on a handful of representative
# scans (gzip, tar, squashfs, a uImage + squashfs flash image, a directory):
# no invalid access, no uninitialised use, no definite leak. Skipped (77) when
# valgrind is not installed. Runs with --no-sandbox: valgrind does not
# implement seccomp(2) ("unhandled syscall 317") and, under the sandbox, cannot
# remove its vgdb pipes from /tmp.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
command -v valgrind >/dev/null || { echo "valgrind: skipped (not installed)"; exit 77; }
. "$(dirname "$0")/lib/sanitized.sh"
if [ -n "$SANITIZED" ]; then
  echo "valgrind: skipped (a sanitizer build cannot run under valgrind)"; exit 77
fi
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-vg-XXXXXX")
trap 'rm -rf "$W"' EXIT
fail() { echo "valgrind: FAIL: $*" >&2; exit 1; }

R="$W/rootfs"
mkdir -p "$R/etc" "$R/bin" "$R/www"
printf 'root::0:0:root:/root:/bin/sh\n' > "$R/etc/passwd"
printf 'root:$1$abc$0123456789abcdefghijkl:19000:0:99999:7:::\n' > "$R/etc/shadow"
cp /bin/true "$R/bin/busybox"; ln -s busybox "$R/bin/sh"
seq 1 2000 > "$R/www/index.txt"
seq 1 5000 | gzip -9 -n > "$W/s.gz"
tar -cf "$W/r.tar" -C "$R" .
mksquashfs "$R" "$W/r.sqfs" -comp xz -noappend -all-root -no-progress -quiet >/dev/null
head -c 30000 /bin/ls | gzip -9 -n > "$W/k.gz"
mkimage -A mips -O linux -T kernel -C gzip -a 0x80100000 -e 0x80100000 -n vg -d "$W/k.gz" "$W/flash.bin" >/dev/null
s=$(stat -c %s "$W/flash.bin"); head -c $(( (65536 - s % 65536) % 65536 )) /dev/zero | tr '\0' '\377' >> "$W/flash.bin"
cat "$W/r.sqfs" >> "$W/flash.bin"

n=0
for t in s.gz r.tar r.sqfs flash.bin rootfs; do
  for fmt in json sarif; do
    set +e
    valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
      --show-leak-kinds=definite --track-origins=no --log-file="$W/vg.$t.$fmt.log" \
      "$POSTERN" scan "$W/$t" --no-sandbox --no-progress --jobs 2 --inventory --format $fmt \
      > "$W/out.$t.$fmt" 2>"$W/err.$t"
    rc=$?
    set -e
    echo "  $t ($fmt): exit $rc, $(grep -c 'ERROR SUMMARY\|==[0-9]*== [A-Z]' "$W/vg.$t.$fmt.log" || true) valgrind lines"
    if [ "$rc" = 99 ] || [ "$rc" -ge 64 ]; then
      cat "$W/vg.$t.$fmt.log" "$W/err.$t" >&2
      fail "$t ($fmt): valgrind reported errors or postern failed (exit $rc)"
    fi
    n=$((n + 1))
  done
done
# The scans did the work they are meant to check.
grep -q '"location": "flash.bin!squashfs@0x10000!/etc/passwd"' "$W/out.flash.bin.json" || fail "flash.bin: squashfs not opened"
grep -q '"location": "r.tar!/etc/shadow"' "$W/out.r.tar.json" || fail "r.tar: members missing"
grep -q '"location": "rootfs!/bin/sh"' "$W/out.rootfs.json" || fail "rootfs: directory not walked"
echo "valgrind: ok ($n scans clean)"
