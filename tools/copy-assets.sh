#!/usr/bin/env bash
# Copies the front-end files Zenith serves from the npm packages into dashboard/static/vendor.
set -euo pipefail
cd "$(dirname "$0")/.."
V=dashboard/static/vendor
rm -rf "$V"; mkdir -p "$V"/{bootstrap,bootstrap-icons/font,htmx,chartjs,swagger-ui}
cp -r node_modules/bootstrap/dist/css node_modules/bootstrap/dist/js "$V/bootstrap/"
cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts "$V/bootstrap-icons/font/"
cp node_modules/htmx.org/dist/htmx.min.js "$V/htmx/"
cp node_modules/chart.js/dist/chart.umd.js "$V/chartjs/chart.umd.min.js"
# /api/docs/: Swagger UI, started by dashboard/api/static/api/docs.js
cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css "$V/swagger-ui/"
echo "[zenith] front-end files copied to $V"
