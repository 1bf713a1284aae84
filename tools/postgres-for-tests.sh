#!/usr/bin/env bash
# PostgreSQL for `make test-postgres`: reachable on 127.0.0.1:5432 (started with pg_ctlcluster when
# it is not), a role "zenith_test" that may create databases (the test runner creates and drops
# test_<name>) and its database, no test_zenith_test left by an earlier run (a second run at the same
# time is ended); then runs the command given with DASHBOARD_DATABASE_URL pointing there.
# Another server: set DASHBOARD_DATABASE_URL yourself and this only runs the command.
set -euo pipefail
if [ -z "${DASHBOARD_DATABASE_URL:-}" ]; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
    command -v pg_lsclusters >/dev/null 2>&1 || { echo "[zenith] PostgreSQL is not installed: make system-deps" >&2; exit 1; }
    read -r version cluster _ < <(pg_lsclusters --no-header | head -1)
    [ -n "${version:-}" ] || { echo "[zenith] no PostgreSQL cluster (pg_createcluster 15 main)" >&2; exit 1; }
    echo "[zenith] starting PostgreSQL $version/$cluster"
    pg_ctlcluster "$version" "$cluster" start
    for _ in $(seq 1 30); do (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && break; sleep 0.5; done
  fi
  as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }
  # a local test role only: its password is no secret (127.0.0.1, databases the tests create and drop)
  as_postgres psql -q -v ON_ERROR_STOP=1 -d postgres <<'SQL'
SELECT 'CREATE ROLE zenith_test LOGIN CREATEDB PASSWORD ''zenith-test'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zenith_test')\gexec
SELECT 'CREATE DATABASE zenith_test OWNER zenith_test'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'zenith_test')\gexec
-- a test database an earlier run could not drop (a thread of it still connected at its end)
DROP DATABASE IF EXISTS test_zenith_test WITH (FORCE);
SQL
  export DASHBOARD_DATABASE_URL="postgres://zenith_test:zenith-test@127.0.0.1:5432/zenith_test"
fi
echo "[zenith] database: ${DASHBOARD_DATABASE_URL%%://*}://…@${DASHBOARD_DATABASE_URL##*@}"
exec "$@"
