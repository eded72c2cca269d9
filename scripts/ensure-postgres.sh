#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 for the test suite: reuse a running one, start
# an installed one, or install one (Debian/Ubuntu, as root). The suite connects as postgres with the
# password "peyvand" (ignored where the server trusts local connections).
set -euo pipefail
HOST=127.0.0.1
PORT=5432
URL="postgresql://postgres:peyvand@$HOST:$PORT/postgres"

answers() { pg_isready -h "$HOST" -p "$PORT" -q 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! answers; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "ensure-postgres: installing PostgreSQL (apt)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  echo "ensure-postgres: starting PostgreSQL $version"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do answers && break; sleep 1; done
fi
answers || { echo "ensure-postgres: PostgreSQL does not answer on $HOST:$PORT" >&2; exit 1; }
if ! psql "$URL" -tAc "select 1" >/dev/null 2>&1; then
  echo "ensure-postgres: setting the postgres role's password for the test suite"
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'peyvand'\""
fi
psql "$URL" -tAc "select 1" >/dev/null
echo "ensure-postgres: PostgreSQL is ready on $HOST:$PORT"
