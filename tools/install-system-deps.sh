#!/usr/bin/env bash
# Debian packages Zenith itself needs (the devcloud installs its own): Node.js/npm for the front-end
# files, Chromium for the browser tests, Redis for Channels and Celery, gettext for the translations
# (msgfmt, msgmerge), HAProxy for the load benchmark's two-process run (bench/load.py), PostgreSQL
# for `make test-postgres` and QEMU to boot the devcloud's tiny guest (tools/devcloud/tiny-image,
# tests/integration/test_tiny_image.py). Installs only what is missing.
set -euo pipefail
need=()
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
python3 -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)  # compiles and refreshes the translations
[ -x /usr/sbin/haproxy ] || need+=(haproxy)  # the balancer in front of two Zenith processes (bench/load.py)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)  # make test-postgres
# the tiny guest: qemu-system-x86 boots it (no daemon), qemu-img gives it a copy-on-write disk
command -v qemu-system-x86_64 >/dev/null 2>&1 || need+=(qemu-system-x86)
command -v qemu-img >/dev/null 2>&1 || need+=(qemu-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "[zenith] installing Debian packages: ${need[*]}"
  [ -e /usr/sbin/policy-rc.d ] || { printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; }
  # another apt run (e.g. the devcloud's) may hold the lock: wait for it
  for _ in $(seq 1 300); do fuser /var/lib/dpkg/lock-frontend >/dev/null 2>&1 || break; sleep 1; done
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Redis: used if running, started if not
if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
  echo "[zenith] starting redis-server"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/zenith.log
  for _ in $(seq 1 30); do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done
fi
