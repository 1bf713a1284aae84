#!/usr/bin/env bash
# Zenith's ASGI server, uvicorn, started the one way every place starts it: `make demo` and `make
# run` (tools/run-demo.sh), the browser tests, the integration test of a graceful stop and bench/.
# A deployment runs the same command line (docs/deployment.md).
#
#   DASHBOARD_HOST / DASHBOARD_PORT   where to listen (127.0.0.1 / 8000)
#   DASHBOARD_WORKERS                 processes (1): more than one, uvicorn's supervisor runs them on
#                                     the one port and starts a new one when one dies
#   DASHBOARD_SHUTDOWN_SECONDS        on SIGTERM or Ctrl-C, how long requests in flight may take to
#                                     finish (30) before they are cut; websockets close at once with
#                                     1012 (the page reconnects) and streamed uploads stop, their
#                                     unfinished images and objects removed (dashboard.asgi.Lifespan)
#   ZENITH_PYTHON                     the Python whose uvicorn runs (.venv/bin/python)
#
# Further arguments go to uvicorn as they are (e.g. --no-access-log). --no-proxy-headers: the
# client's address and scheme are Zenith's to read from X-Forwarded-For and X-Forwarded-Proto, as
# DASHBOARD_TRUSTED_PROXIES and DASHBOARD_BEHIND_PROXY say (uvicorn would otherwise trust them from
# 127.0.0.1 on its own). --timeout-keep-alive 75: an idle kept connection is closed by the client or
# the proxy first (nginx keeps one to its upstream 60 s, HAProxy a few seconds), never by Zenith just
# as the other end sends a request on it (uvicorn's own 5 s: the request is lost, a POST not retried).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${DASHBOARD_HOST:-127.0.0.1}
PORT=${DASHBOARD_PORT:-8000}
WORKERS=${DASHBOARD_WORKERS:-1}
GRACE=${DASHBOARD_SHUTDOWN_SECONDS:-30}
PYTHON=${ZENITH_PYTHON:-.venv/bin/python}
for pair in "DASHBOARD_PORT=$PORT" "DASHBOARD_WORKERS=$WORKERS" "DASHBOARD_SHUTDOWN_SECONDS=$GRACE"; do
  case "${pair#*=}" in
    '' | *[!0-9]*) echo "[zenith] $pair: a whole number is wanted" >&2; exit 2 ;;
  esac
done
if [ "$WORKERS" -lt 1 ]; then echo "[zenith] DASHBOARD_WORKERS=$WORKERS: at least 1" >&2; exit 2; fi
exec "$PYTHON" -m uvicorn dashboard.asgi:application \
  --host "$HOST" --port "$PORT" --workers "$WORKERS" \
  --timeout-graceful-shutdown "$GRACE" --timeout-keep-alive 75 --no-proxy-headers "$@"
