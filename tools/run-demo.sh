#!/usr/bin/env bash
# Starts a Celery worker in the background and Zenith (uvicorn: tools/serve.sh, DASHBOARD_WORKERS
# processes) in the foreground.
# Ctrl-C stops both (Zenith gracefully: tools/serve.sh); the devcloud keeps running (make devcloud-down stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${DASHBOARD_HOST:-127.0.0.1}
PORT=${DASHBOARD_PORT:-8000}
WORKERS=${DASHBOARD_WORKERS:-1}
mkdir -p var/log
# the same key for Zenith and its worker (it opens the tokens Zenith seals): yours, or this checkout's
export DASHBOARD_SECRET_KEY="${DASHBOARD_SECRET_KEY:-$(tools/local-secret-key.sh)}"
# the devcloud's Nova offers noVNC and SPICE consoles (make run: the operator's cloud says its own)
[ -n "${ZENITH_NO_DEVCLOUD_HINT:-}" ] || export DASHBOARD_CONSOLE_TYPES="${DASHBOARD_CONSOLE_TYPES:-novnc,spice-html5}"
.venv/bin/celery -A dashboard worker -l info --concurrency 2 >var/log/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null; echo; echo "[zenith] stopped (the cloud keeps running: make devcloud-down)"' EXIT
cat <<TXT

  Zenith is starting on  http://$HOST:$PORT/  (uvicorn, $WORKERS process(es))
TXT
if [ -z "${ZENITH_NO_DEVCLOUD_HINT:-}" ]; then cat <<TXT
  Local cloud (Keystone http://127.0.0.1:5000/v3), demo logins:
    demo / demo    member of projects demo and alt
    alt / alt      member of project alt
    admin / admin  cloud administrator
TXT
fi
cat <<TXT
  Worker log: var/log/worker.log     Ctrl-C stops Zenith.

TXT
# not exec'd: the trap above stops the worker once Zenith has stopped
DASHBOARD_HOST="$HOST" DASHBOARD_PORT="$PORT" DASHBOARD_WORKERS="$WORKERS" tools/serve.sh
