#!/usr/bin/env bash
# Installs (Debian) and starts a local PostgreSQL, and creates the role and database the tests use.
# Idempotent: safe to run on every test run. Prints the connection string on stdout.
set -euo pipefail

user=${RNNLAB_PG_USER:-rnnlab}
password=${RNNLAB_PG_PASSWORD:-rnnlab}
database=${RNNLAB_PG_DATABASE:-rnnlab_test}

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sudo -u postgres sh -c "$1"; fi; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing postgresql" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q .; then
  pg_createcluster "$version" main >&2
fi
cluster=$(pg_lsclusters -h | head -1)
cver=$(echo "$cluster" | awk '{print $1}')
cname=$(echo "$cluster" | awk '{print $2}')
port=$(echo "$cluster" | awk '{print $3}')
if ! echo "$cluster" | grep -q online; then
  pg_ctlcluster "$cver" "$cname" start >&2
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 1
done

as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_roles WHERE rolname='$user'\"" | grep -q 1 \
  || as_postgres "psql -p $port -qc \"CREATE ROLE $user LOGIN SUPERUSER PASSWORD '$password'\"" >&2
as_postgres "psql -p $port -tAc \"SELECT 1 FROM pg_database WHERE datname='$database'\"" | grep -q 1 \
  || as_postgres "createdb -p $port -O $user $database" >&2

echo "Host=127.0.0.1;Port=$port;Username=$user;Password=$password;Database=$database"
