#!/usr/bin/env bash
# A PostgreSQL server for the run-history tests (and for trying DATABASE_URL by hand): installs
# Debian's `postgresql` when missing, then starts a cluster of its own (not the system's `main`)
# on 127.0.0.1:${INHOUSE_TEST_PG_PORT:-54329}, trusting local connections. Safe to run again: an
# answering server is left alone. Root only (it installs packages and runs the server as `postgres`).
set -euo pipefail

port=${INHOUSE_TEST_PG_PORT:-54329}
data=${INHOUSE_TEST_PG_DATA:-/var/lib/inhouse-test-postgres}
log=${INHOUSE_TEST_PG_LOG:-/var/log/inhouse-test-postgres.log}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  echo "postgres-server: installing postgresql from Debian's packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
  echo "postgres-server: already answering on 127.0.0.1:$port"
  exit 0
fi

if [ ! -f "$data/PG_VERSION" ]; then
  mkdir -p "$data"
  chown postgres:postgres "$data"
  runuser -u postgres -- "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 >/dev/null
fi
touch "$log"
chown postgres:postgres "$log"
# Small and fast for tests: no fsync (a crash loses test data only), sockets in /tmp.
runuser -u postgres -- "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=/tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
echo "postgres-server: ready on 127.0.0.1:$port (data $data, log $log)"
