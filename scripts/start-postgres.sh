#!/usr/bin/env bash
# Installs (Debian's package) and starts a local PostgreSQL for the tests and the benchmark, listening on
# 127.0.0.1:5432 with user postgres / password postgres. Idempotent: a running server is left as it is.
# Prints nothing on success but the connection string.
set -euo pipefail

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi

if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  # Tests open many short-lived databases; fsync off only makes the throwaway test cluster faster.
  pg_ctlcluster "$version" main start -o "-c fsync=off -c synchronous_commit=off -c max_connections=300" >&2
fi

for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qtAc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null

echo "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres"
