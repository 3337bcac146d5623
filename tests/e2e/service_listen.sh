#!/usr/bin/env bash
# postern serve --listen (issue 16): an IPv4 ADDR:PORT or a bracketed IPv6
# [ADDR]:PORT. Serves /healthz on [::1] (skipped when this machine has no
# IPv6 loopback) and on 127.0.0.1; "::1:PORT" without brackets, an unclosed
# bracket and an address that is not one are refused with a clear message
# and a non-zero exit, before anything is served.
set -u
fail=0
check() { if eval "$2"; then echo "ok - $1"; else echo "not ok - $1"; fail=1; fi; }
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
command -v curl > /dev/null || { echo "SKIP: curl missing"; exit 77; }
free_port() { # FAMILY ADDR
  python3 -c 'import socket,sys; s = socket.socket(getattr(socket, sys.argv[1]))
s.bind((sys.argv[2], 0)); print(s.getsockname()[1])' "$1" "$2"
}
serve_healthz() { # LISTEN URL-HOST PORT: 0 when /healthz answers ok
  "$POSTERN" serve --data "$t/data" --listen "$1" --workers 1 2> "$t/serve.log" &
  pid=$!
  local i ok=1
  for i in $(seq 50); do
    if curl -sgf "http://$2:$3/healthz" | grep -q ok; then ok=0; break; fi
    sleep 0.2
  done
  kill "$pid"; wait "$pid" 2>/dev/null; pid=
  return $ok
}

if p6=$(free_port AF_INET6 ::1 2>/dev/null); then
  check "[::1]:PORT serves /healthz over IPv6" 'serve_healthz "[::1]:$p6" "[::1]" "$p6"'
  check "the start message names the IPv6 address" 'grep -q "serving on http://\[::1\]:$p6/" "$t/serve.log"'
else
  echo "# no IPv6 loopback here: the IPv6 case is skipped"
fi
p4=$(free_port AF_INET 127.0.0.1)
check "127.0.0.1:PORT still serves over IPv4" 'serve_healthz "127.0.0.1:$p4" 127.0.0.1 "$p4"'
for bad in "::1:$p4" "[::1:$p4" "[::1]$p4" "[127.0.0.1]:$p4" "[::g]:$p4" "[::1]:70000"; do
  timeout 10 "$POSTERN" serve --data "$t/data" --listen "$bad" --workers 1 > /dev/null 2> "$t/err"
  rc=$?
  check "--listen '$bad' is refused (exit $rc)" \
    '[ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "IPV4:PORT or \[IPV6\]:PORT" "$t/err"'
done
exit $fail
