#!/usr/bin/env bash
# The web interface in a real browser (issue 17): Debian's headless Chromium
# driven through chromium-driver (WebDriver) by python3-selenium
# (tests/e2e/lib/web_browser.py, which says what it checks). serve runs on a
# free loopback port with its own data directory and one worker. Screenshots
# of every page are left in the build tree (web_browser/*.png) as artifacts.
# Skips (77) only when Chromium or its driver is absent; CI installs both
# (scripts/install-deps), so there it always runs.
set -u
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] ||
  { echo "skip - chromium and chromium-driver are not installed (scripts/install-deps)"; exit 77; }
PY=/usr/bin/python3
t=$(mktemp -d)
spid=""
cleanup() { [ -n "$spid" ] && kill "$spid" 2> /dev/null && wait "$spid" 2> /dev/null; rm -rf "$t"; }
trap cleanup EXIT
D=$t/data
shots=$PWD/web_browser
rm -rf "$shots" && mkdir -p "$shots"

$PY "$SRC/tests/tools/mkwebfix.py" "$t"
tok() { "$POSTERN" admin --data "$D" token create "$@" 2> /dev/null; }
{
  echo "ALICE=$(tok --role submitter --tenant acme --name alice)"
  echo "BOB=$(tok --role reviewer --name bob)"
  echo "CAROL=$(tok --role reviewer --name carol)"
  echo "ADMIN=$(tok --role admin --tenant acme --name root)"
} > "$t/tokens"
port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$POSTERN" serve --data "$D" --listen 127.0.0.1:$port --workers 1 2> "$t/serve.log" &
spid=$!
for i in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
$PY "$SRC/tests/e2e/lib/web_browser.py" "http://127.0.0.1:$port" "$t" "$shots"
rc=$?
[ $rc -eq 0 ] || { echo "# serve's log:"; tail -n 20 "$t/serve.log"; }
exit $rc
