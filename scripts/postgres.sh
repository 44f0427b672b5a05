#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests and benchmarks, on loopback only.
#   scripts/postgres.sh start   -> prints the database URL (also written to .pg/url)
#   scripts/postgres.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${UNDERCURRENT_PG_PORT:-54329}"
DATA="${UNDERCURRENT_PG_DIR:-/tmp/undercurrent-pg-$PORT}"
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/undercurrent_test"

bin_dir() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ]; then
    echo "installing PostgreSQL (Debian package postgresql)" >&2
    if [ "$(id -u)" = 0 ]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
    else
      echo "PostgreSQL is not installed and this user cannot install it" >&2; exit 1
    fi
    found=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$found"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

case "${1:-start}" in
  start)
    BIN=$(bin_dir)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
      as_postgres "'$BIN/initdb' -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if ! as_postgres "'$BIN/pg_ctl' -D '$DATA' status" >/dev/null 2>&1; then
      as_postgres "'$BIN/pg_ctl' -D '$DATA' -l '$DATA/server.log' -w -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start" >/dev/null
    fi
    as_postgres "'$BIN/psql' -h 127.0.0.1 -p $PORT -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='undercurrent_test'\"" | grep -q 1 \
      || as_postgres "'$BIN/createdb' -h 127.0.0.1 -p $PORT -U postgres undercurrent_test"
    mkdir -p .pg && echo "$URL" > .pg/url
    echo "$URL"
    ;;
  stop)
    BIN=$(bin_dir)
    as_postgres "'$BIN/pg_ctl' -D '$DATA' -m fast stop" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
