#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 for the cluster tests and benchmarks, on loopback, on its own
# port and folder, as the unprivileged user `postgres` (initdb refuses to run as root; CI runs as
# root). Idempotent: a server already running in the folder is reused.
#
#   test/cluster/pg.sh start DIR PORT   -> prints a connection string on stdout
#   test/cluster/pg.sh stop DIR
#
# Needs Debian's postgresql-15 (test.sh installs it). Settings favour a test machine: fsync stays
# on (the cluster's guarantees rest on it), but shared_buffers is small and max_connections
# allows three nodes and the tests.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
cmd=${1:?usage: pg.sh start DIR PORT | stop DIR}
dir=${2:?folder}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    port=${3:?port}
    if [ ! -x "$bin/initdb" ]; then
      echo "pg.sh: $bin/initdb not found; install postgresql-15" >&2
      exit 2
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      chown postgres:postgres "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
      cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 64MB
fsync = on
synchronous_commit = on
log_min_messages = warning
CONF
    fi
    if ! as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null \
        || { cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  *)
    echo "usage: pg.sh start DIR PORT | stop DIR" >&2
    exit 2
    ;;
esac
