#!/usr/bin/env bash
# Copies the front-end files Zenith serves from the npm packages into dashboard/static/vendor: the
# files its pages load and nothing else (collectstatic hashes and compresses each one: docs/caches.md),
# with the source maps they name (collectstatic checks that what a file names exists).
set -euo pipefail
cd "$(dirname "$0")/.."
V=dashboard/static/vendor
N=node_modules
rm -rf "$V"; mkdir -p "$V"/{bootstrap/css,bootstrap/js,bootstrap-icons/font,htmx,chartjs,swagger-ui}
cp "$N"/bootstrap/dist/css/bootstrap.min.css{,.map} "$V/bootstrap/css/"
cp "$N"/bootstrap/dist/js/bootstrap.bundle.min.js{,.map} "$V/bootstrap/js/"
cp -r "$N"/bootstrap-icons/font/bootstrap-icons.min.css "$N"/bootstrap-icons/font/fonts "$V/bootstrap-icons/font/"
cp "$N"/htmx.org/dist/htmx.min.js "$V/htmx/"
cp "$N"/chart.js/dist/chart.umd.min.js{,.map} "$V/chartjs/"
# /api/docs/: Swagger UI, started by dashboard/api/static/api/docs.js
cp "$N"/swagger-ui-dist/swagger-ui-bundle.js{,.map} "$N"/swagger-ui-dist/swagger-ui.css{,.map} "$V/swagger-ui/"
echo "[zenith] front-end files copied to $V"
