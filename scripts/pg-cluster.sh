#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and developers: Debian's initdb and pg_ctl, trust auth,
# listening on a unix socket in DIR only (no TCP port to collide with anything), database `keel`.
#   scripts/pg-cluster.sh start DIR   → prints the URL (postgres://postgres@/keel?host=DIR)
#   scripts/pg-cluster.sh stop DIR
# As root it runs the server as the `postgres` user (initdb refuses root) and gives DIR to it.
set -euo pipefail
command_name=${1:-}
dir=${2:-}
if [ -z "$command_name" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bin=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then bin=$candidate; break; fi
done
if [ -z "$bin" ]; then
  echo "$0: no PostgreSQL server found under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case "$command_name" in
  start)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" --auth=trust --username=postgres --encoding=UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      # fsync off: a throwaway cluster trades durability against an OS crash for speed.
      as_owner "$bin/pg_ctl" -D "$dir/data" -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" -l "$dir/log" -w start >/dev/null ||
        { cat "$dir/log" >&2; exit 1; }
    fi
    if ! as_owner "$bin/psql" -h "$dir" -U postgres -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = 'keel'" | grep -q 1; then
      as_owner "$bin/createdb" -h "$dir" -U postgres keel
    fi
    echo "postgres://postgres@/keel?host=$dir"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    fi
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
