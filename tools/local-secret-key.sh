#!/usr/bin/env bash
# Prints this checkout's own secret key for local runs (make demo/run/worker/migrate/static), made
# once, at random, in var/secret-key (git ignores var/). A deployment sets DASHBOARD_SECRET_KEY
# itself: Zenith refuses to start without one (unless DASHBOARD_DEBUG=true).
set -euo pipefail
cd "$(dirname "$0")/.."
KEY=var/secret-key
if [ ! -s "$KEY" ]; then
  mkdir -p var
  (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(50))' >"$KEY.$$" && mv "$KEY.$$" "$KEY")
fi
cat "$KEY"
