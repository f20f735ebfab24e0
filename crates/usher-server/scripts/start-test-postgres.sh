#!/usr/bin/env bash
# Starts a PostgreSQL cluster for usher-server's tests on 127.0.0.1 (Debian 12, as root),
# idempotently: installs postgresql if missing, starts the 15/main cluster (or the newest one),
# creates the role and database `usher_test`, enables pgcrypto (for the benchmark's "old way"),
# and prints the line to export:
#   export USHER_TEST_POSTGRES_URL=postgres://usher_test:usher_test@127.0.0.1:5432/usher_test
# Usage: eval "$(crates/usher-server/scripts/start-test-postgres.sh)"
set -euo pipefail

log() { echo "start-test-postgres: $*" >&2; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 postgresql postgresql-contrib >&2 \
        || apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 postgresql >&2
fi

cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
    ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
    log "creating cluster $ver/main"
    pg_createcluster "$ver" main >&2
    cluster="$ver main"
fi
set -- $cluster
ver=$1
name=$2
port=$(pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $3}')

if ! pg_lsclusters --no-header | awk -v v="$ver" -v n="$name" '$1==v && $2==n {print $4}' | grep -q online; then
    log "starting cluster $ver/$name on 127.0.0.1:$port"
    pg_ctlcluster "$ver" "$name" start -o "-c listen_addresses=127.0.0.1" >&2
fi

psql_su() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qAt $*"; }
for _ in $(seq 1 30); do
    if su postgres -c "pg_isready -q -h 127.0.0.1 -p $port"; then break; fi
    sleep 1
done

if [ "$(psql_su "-c \"SELECT 1 FROM pg_roles WHERE rolname='usher_test'\"")" != "1" ]; then
    psql_su "-c \"CREATE ROLE usher_test LOGIN PASSWORD 'usher_test' CREATEDB\"" >&2
fi
if [ "$(psql_su "-c \"SELECT 1 FROM pg_database WHERE datname='usher_test'\"")" != "1" ]; then
    psql_su "-c \"CREATE DATABASE usher_test OWNER usher_test\"" >&2
fi
psql_su "-d usher_test -c \"CREATE EXTENSION IF NOT EXISTS pgcrypto\"" >&2

echo "export USHER_TEST_POSTGRES_URL=postgres://usher_test:usher_test@127.0.0.1:$port/usher_test"
