#!/usr/bin/env bash
# pg_cluster.sh start DIR | stop DIR: a throwaway PostgreSQL cluster for the
# PostgreSQL store's tests (tests/unit/test_service_store.c,
# tests/e2e/service_pg.sh), made with Debian's initdb and pg_ctl in DIR and
# listening only on a Unix socket in DIR (no TCP port). `start` prints the
# postgresql:// URL to use and exits 0; it exits 77 (skip) when there is no
# PostgreSQL or no user that may run it: initdb refuses to run as root, so
# as root the cluster belongs to `nobody` (runuser).
set -u
cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 64; }
bin=$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "skip: no PostgreSQL server (scripts/install-deps installs postgresql)" >&2; exit 77; }
as=()
if [ "$(id -u)" = 0 ]; then
  command -v runuser > /dev/null || { echo "skip: root without runuser cannot run initdb" >&2; exit 77; }
  as=(runuser -u nobody --)
fi
case $cmd in
start)
  mkdir -p "$dir" && chmod 0755 "$dir" || exit 1
  [ "$(id -u)" = 0 ] && chown nobody "$dir"
  # the cluster user must reach DIR through every parent
  p=$dir; while [ "$p" != / ] && [ "$p" != . ]; do
    if [ "$(id -u)" = 0 ] && ! "${as[@]}" test -x "$p"; then
      echo "skip: nobody cannot reach $p" >&2; exit 77
    fi
    p=$(dirname "$p")
  done
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C \
    > "$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off and a small footprint: a test cluster on a shared, loaded machine
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c max_connections=60 -c shared_buffers=16MB" \
    start > /dev/null 2>&1 || { cat "$dir/server.log" >&2; exit 1; }
  echo "postgresql:///postgres?host=$dir&user=postgres"
  ;;
stop)
  [ -d "$dir/data" ] && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null 2>&1
  rm -rf "$dir"
  ;;
*) echo "usage: pg_cluster.sh start|stop DIR" >&2; exit 64 ;;
esac
