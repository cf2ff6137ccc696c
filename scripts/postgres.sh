#!/usr/bin/env bash
# scripts/postgres.sh — a throw-away PostgreSQL 15 cluster for the store's tests.
#
#   scripts/postgres.sh up     install (only if initdb is missing), initialise and start the cluster,
#                              create the database; idempotent; prints the JDBC URL
#   scripts/postgres.sh down   stop the cluster (its data stays; `up` reuses it)
#   scripts/postgres.sh url    print the JDBC URL
#
# The cluster listens on 127.0.0.1 only, trusts every local connection (user defpi, no password:
# it holds test data only), keeps its data in /var/lib/defpi/pg-test (owned by postgres) and its
# socket and log there too. Tests read the URL from -Ddefpi.test.postgres (see orchestrator/pom.xml).
#
# Environment: DEFPI_PG_PORT (54329), DEFPI_PG_DIR (/var/lib/defpi/pg-test), DEFPI_PG_DB (defpi_test).
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly PORT=${DEFPI_PG_PORT:-54329}
readonly DIR=${DEFPI_PG_DIR:-/var/lib/defpi/pg-test}
readonly DATA=$DIR/data
readonly DB=${DEFPI_PG_DB:-defpi_test}
readonly USER_NAME=defpi
readonly URL=jdbc:postgresql://127.0.0.1:$PORT/$DB

die() { echo "[postgres] ERROR: $*" >&2; exit 1; }
# as_pg CMD...: initdb and postgres refuse to run as root
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
psql_() { as_pg psql -X -q -h 127.0.0.1 -p "$PORT" -U "$USER_NAME" "$@"; }
running() { [[ -f $DATA/postmaster.pid ]] && as_pg "$PG_BIN/pg_ctl" -D "$DATA" status > /dev/null 2>&1; }

cmd_up() {
  if [[ ! -x $PG_BIN/initdb ]]; then
    echo "[postgres] installing postgresql (apt-get)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql > /dev/null ||
      { apt-get update -q > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql > /dev/null; } ||
      die "apt-get install postgresql failed"
    # Debian's package starts its own cluster on 5432 where an init system runs; ours is separate.
  fi
  mkdir -p "$DIR"
  [[ $(id -u) == 0 ]] && chown postgres:postgres "$DIR"
  if [[ ! -f $DATA/PG_VERSION ]]; then
    rm -rf "$DATA"
    as_pg "$PG_BIN/initdb" -A trust -U "$USER_NAME" -E UTF8 --locale=C.UTF-8 -D "$DATA" > "$DIR/initdb.log" 2>&1 ||
      die "initdb failed, see $DIR/initdb.log"
  fi
  if ! running; then
    # a postmaster.pid left by a killed server is detected and ignored by pg_ctl itself
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 30 \
      -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1" start > /dev/null ||
      die "pg_ctl start failed, see $DIR/server.log"
  fi
  if [[ $(psql_ -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'") != 1 ]]; then
    psql_ -d postgres -c "CREATE DATABASE $DB" || die "cannot create database $DB"
  fi
  echo "$URL"
}

cmd_down() {
  if running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop > /dev/null || die "pg_ctl stop failed"
  fi
  echo "[postgres] stopped" >&2
}

case ${1:-up} in
  up) cmd_up ;;
  down) cmd_down ;;
  url) echo "$URL" ;;
  help | -h | --help) sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" ;;
  *) echo "scripts/postgres.sh: unknown command '$1' (up, down, url, help)" >&2; exit 2 ;;
esac
