#!/usr/bin/env bash
# A PostgreSQL server for the tests (and for trying the PostgreSQL engine): Debian's
# postgresql package, its main cluster started, a form4 role and a form4_test database.
# The tests connect to postgresql://form4:form4@127.0.0.1:5432/form4_test (FORM4_TEST_PG moves it).
set -euo pipefail
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
if ! command -v pg_lsclusters >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "postgres.sh: install PostgreSQL, or point FORM4_TEST_PG at a server" >&2
        exit 0
    fi
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    $SUDO pg_createcluster "$version" main >/dev/null
    cluster="$version main"
fi
# `postgres.sh stop` stops the cluster only if an earlier `postgres.sh` started it (CI, at its end).
marker="${TMPDIR:-/tmp}/form4-postgres-started"
if [ "${1:-}" = stop ]; then
    # shellcheck disable=SC2086
    if [ -f "$marker" ]; then $SUDO pg_ctlcluster $cluster stop && rm -f "$marker"; fi
    exit 0
fi
# shellcheck disable=SC2086
if ! pg_lsclusters --no-header | awk '{print $4}' | grep -q online; then
    $SUDO pg_ctlcluster $cluster start && touch "$marker"
fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
for _ in $(seq 30); do as_postgres "pg_isready -q" && break; sleep 1; done
as_postgres "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='form4'\" | grep -q 1 || psql -qc \"CREATE ROLE form4 LOGIN PASSWORD 'form4' CREATEDB\""
# CREATEROLE: a test makes a role that may not create schemas, to check what form4 tells it
as_postgres "psql -qc \"ALTER ROLE form4 CREATEROLE\"" >/dev/null
as_postgres "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='form4_test'\" | grep -q 1 || createdb -O form4 form4_test"
