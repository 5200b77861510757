#!/usr/bin/env bash
# PostgreSQL with automatic failover and no loss of committed writes (RPO 0), the store under
# RoseForest's cluster mode, brought up on one machine to try it: one etcd member and two
# PostgreSQL 15 servers managed by Patroni with synchronous_mode_strict (a commit returns only
# once the standby has flushed it; without a standby, writes wait rather than lose RPO 0).
# Production spreads three etcd members and the PostgreSQL hosts over machines (docs/cluster.md).
#
#   deploy/patroni/local-ha.sh up DIR [BASE_PORT]   base 15400: etcd 15400 (peer 15401), Patroni REST
#                                                    15408/15409, PostgreSQL 15432/15433; prints the
#                                                    multi-host connection string for --cluster
#   deploy/patroni/local-ha.sh status DIR
#   deploy/patroni/local-ha.sh failover-test DIR    commits rows through the primary, SIGKILLs the
#                                                    primary's Patroni and PostgreSQL, waits for the
#                                                    standby's promotion and checks every committed row
#   deploy/patroni/local-ha.sh down DIR             stops what `up` started (by the pids it recorded)
#
# Needs Debian's patroni, etcd-server and postgresql-15 (apt-get install patroni etcd-server
# postgresql-15). PostgreSQL refuses to run as root, so as root Patroni runs as the user postgres.
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
cmd=${1:?usage: local-ha.sh up|status|failover-test|down DIR [BASE_PORT]}
dir=$(realpath -m "${2:?folder}")
base=${3:-15400}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ports() {
  etcd_client=$base; etcd_peer=$((base + 1))
  rest1=$((base + 8)); rest2=$((base + 9))
  pg1=$((base + 32)); pg2=$((base + 33))
}

conn() { echo "Host=127.0.0.1:$pg1,127.0.0.1:$pg2;Username=postgres;Password=postgres;Database=postgres;Target Session Attributes=primary"; }

patroni_config() { # name rest_port pg_port
  local name=$1 rest=$2 pg=$3
  cat >"$dir/$name.yml" <<YAML
scope: roseforest
namespace: /roseforest/
name: $name
restapi:
  listen: 127.0.0.1:$rest
  connect_address: 127.0.0.1:$rest
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 20
    loop_wait: 2
    retry_timeout: 5
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      parameters:
        synchronous_commit: "on"
        wal_level: replica
        hot_standby: "on"
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        max_connections: 300
  initdb:
    - encoding: UTF8
    - locale: C
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:$pg
  connect_address: 127.0.0.1:$pg
  data_dir: $dir/$name/data
  bin_dir: $bin
  pgpass: $dir/$name/pgpass
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: replicator, password: replicator}
  parameters:
    unix_socket_directories: $dir/$name
YAML
}

role_of() { # rest_port -> primary|replica|down
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/primary" 2>/dev/null | grep -q 200 && { echo primary; return; }
  curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/replica" 2>/dev/null | grep -q 200 && { echo replica; return; }
  echo down
}

wait_for() { # seconds description command...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 2))); do
    if "$@"; then return 0; fi
    sleep 0.5
  done
  echo "timed out after ${seconds}s waiting for $what" >&2
  return 1
}

psql_at() { # port sql
  as_postgres "$bin/psql" -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atqc "$2"
}

ports
case "$cmd" in
  up)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    : >"$dir/pids"
    etcd --name rf-etcd --data-dir "$dir/etcd" \
      --listen-client-urls "http://127.0.0.1:$etcd_client" --advertise-client-urls "http://127.0.0.1:$etcd_client" \
      --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
      --initial-cluster "rf-etcd=http://127.0.0.1:$etcd_peer" >"$dir/etcd.log" 2>&1 &
    echo "etcd $!" >>"$dir/pids"
    wait_for 30 "etcd" curl -sf "http://127.0.0.1:$etcd_client/health" -o /dev/null
    for n in 1 2; do
      rest_var=rest$n; pg_var=pg$n
      patroni_config "pg$n" "${!rest_var}" "${!pg_var}"
      mkdir -p "$dir/pg$n"
      if [ "$(id -u)" = 0 ]; then chown -R postgres:postgres "$dir/pg$n" "$dir/pg$n.yml"; fi
      as_postgres patroni "$dir/pg$n.yml" >"$dir/pg$n.log" 2>&1 &
      # Record Patroni's own pid (as root it runs under runuser): the process whose command line names this config.
      wait_for 10 "patroni $n to start" pgrep -f -n "patroni $dir/pg$n.yml" >/dev/null
      echo "patroni$n $(pgrep -f -n "^[^ ]*python[^ ]* [^ ]*patroni $dir/pg$n.yml" || pgrep -f -n "patroni $dir/pg$n.yml")" >>"$dir/pids"
      # The first bootstraps the cluster; start the second once a primary exists, so it clones it.
      if [ "$n" = 1 ]; then wait_for 90 "a primary" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$rest1/primary)\" = 200 ]"; fi
    done
    wait_for 120 "a synchronous standby" bash -c "$(declare -f as_postgres psql_at); bin=$bin; [ \"\$(psql_at $pg1 \"SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'\" 2>/dev/null)\" = 1 ] || [ \"\$(psql_at $pg2 \"SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'\" 2>/dev/null)\" = 1 ]"
    wait_for 60 "pg2 to serve as a replica" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$rest2/replica)\" = 200 ]"
    echo "pg1 (REST $rest1): $(role_of $rest1); pg2 (REST $rest2): $(role_of $rest2)"
    echo "roseforest serve --cluster \"$(conn)\""
    ;;
  status)
    echo "pg1 (REST $rest1, PostgreSQL $pg1): $(role_of $rest1)"
    echo "pg2 (REST $rest2, PostgreSQL $pg2): $(role_of $rest2)"
    patronictl -c "$dir/pg1.yml" list 2>/dev/null || true
    ;;
  failover-test)
    primary_rest=$rest1; primary_pg=$pg1; standby_rest=$rest2; standby_pg=$pg2; primary=1
    if [ "$(role_of $rest2)" = primary ]; then primary_rest=$rest2; primary_pg=$pg2; standby_rest=$rest1; standby_pg=$pg1; primary=2; fi
    psql_at "$primary_pg" "CREATE TABLE IF NOT EXISTS rf_failover (id int PRIMARY KEY)"
    psql_at "$primary_pg" "TRUNCATE rf_failover"
    committed=0
    for i in $(seq 1 200); do
      psql_at "$primary_pg" "INSERT INTO rf_failover VALUES ($i)" && committed=$i
    done
    echo "committed $committed rows on pg$primary (synchronous commit: each waited for the standby's flush)"
    patroni_pid=$(awk -v n="patroni$primary" '$1 == n { print $2 }' "$dir/pids")
    postmaster=$(head -1 "$dir/pg$primary/data/postmaster.pid")
    started=$(date +%s.%N)
    kill -9 "$patroni_pid" "$postmaster"
    echo "SIGKILLed pg$primary's Patroni ($patroni_pid) and PostgreSQL ($postmaster)"
    wait_for 90 "the standby's promotion" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$standby_rest/primary)\" = 200 ]"
    promoted=$(date +%s.%N)
    rows=$(psql_at "$standby_pg" "SELECT count(*) FROM rf_failover WHERE id <= $committed")
    echo "promoted after $(echo "$promoted - $started" | bc) s; rows present on the new primary: $rows of $committed"
    [ "$rows" = "$committed" ] || { echo "LOST COMMITTED ROWS" >&2; exit 1; }
    # The killed member rejoins as the new primary's synchronous standby (Patroni rewinds it).
    sed -i "/^patroni$primary /d" "$dir/pids"
    as_postgres patroni "$dir/pg$primary.yml" >>"$dir/pg$primary.log" 2>&1 &
    wait_for 10 "patroni $primary to start" pgrep -f -n "patroni $dir/pg$primary.yml" >/dev/null
    echo "patroni$primary $(pgrep -f -n "^[^ ]*python[^ ]* [^ ]*patroni $dir/pg$primary.yml" || pgrep -f -n "patroni $dir/pg$primary.yml")" >>"$dir/pids"
    wait_for 120 "pg$primary to rejoin as a replica" bash -c "[ \"\$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:$primary_rest/replica)\" = 200 ]"
    echo "pg$primary rejoined as a replica"
    ;;
  down)
    if [ -f "$dir/pids" ]; then
      while read -r name pid; do
        case "$name" in patroni*) kill -TERM "$pid" 2>/dev/null || true ;; esac
      done <"$dir/pids"
      sleep 5
      while read -r name pid; do
        case "$name" in patroni*) kill -KILL "$pid" 2>/dev/null || true ;; esac
      done <"$dir/pids"
      for n in 1 2; do
        if [ -f "$dir/pg$n/data/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$dir/pg$n/data" -m fast -w stop >/dev/null 2>&1 || true; fi
      done
      while read -r name pid; do
        case "$name" in etcd) kill -TERM "$pid" 2>/dev/null || true ;; esac
      done <"$dir/pids"
      rm -f "$dir/pids"
    fi
    ;;
  *)
    echo "usage: local-ha.sh up|status|failover-test|down DIR [BASE_PORT]" >&2
    exit 2
    ;;
esac
