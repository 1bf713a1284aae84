# shellcheck shell=bash
# devcloud's telemetry (issue 38), sourced by `devcloud` after its tables: Gnocchi (API under uwsgi
# on 8041, metricd; indexer in MariaDB, measures on local disk under $DATA/gnocchi) and Ceilometer
# (the notification agent, which publishes to Gnocchi, and the compute polling agent, which reads
# the libvirt host's guests every 30 s). README.md beside this file; NOTES.md gotcha 19.

# (the polling agent's python3-libvirt comes with the real host's packages)
PKGS+=(python3-gnocchi python3-ceilometer)
DATABASES+=(gnocchi)
SERVICES+=(gnocchi-api gnocchi-metricd ceilometer-notification ceilometer-polling)
PORT[gnocchi-api]=8041
# REAL_HOST, Nova's name for the libvirt compute host (set in `devcloud` before this file is read),
# is the polling agent's host (ceilometer.conf)
# no port, no heartbeat table: a live process is up
telemetry_alive_only() { case $1 in gnocchi-metricd|ceilometer-*) return 0 ;; *) return 1 ;; esac; }

# the services that read a telemetry file written under $OUT (path relative to $OUT); nothing
# for the other files
telemetry_readers_of() {
  case $1 in
    etc/gnocchi/*|run/gnocchi-api_wsgi.py) echo gnocchi-api gnocchi-metricd ;;
    etc/ceilometer/ceilometer.conf) echo ceilometer-notification ceilometer-polling ;;
    etc/ceilometer/polling.yaml) echo ceilometer-polling ;;
    etc/ceilometer/*) echo ceilometer-notification ;;
    *) return 1 ;;
  esac
}

telemetry_write_configs() { # etc-dir run-dir
  # ceilometer.conf names the libvirt host (REAL_HOST), a variable only these templates may use
  local TEMPLATE_VARS="$TEMPLATE_VARS REAL_HOST "
  mkdir -p "$1"/{gnocchi,ceilometer}
  write_template gnocchi.conf "$1/gnocchi/gnocchi.conf"
  # gotcha 19: Gnocchi's pipeline, with keystonemiddleware reading gnocchi.conf
  write_template gnocchi-api-paste.ini "$1/gnocchi/api-paste.ini"
  write_template gnocchi-api_wsgi.py "$2/gnocchi-api_wsgi.py"
  write_template ceilometer.conf "$1/ceilometer/ceilometer.conf"
  write_template ceilometer-pipeline.yaml "$1/ceilometer/pipeline.yaml"
  write_template ceilometer-event_pipeline.yaml "$1/ceilometer/event_pipeline.yaml"
  write_template ceilometer-polling.yaml "$1/ceilometer/polling.yaml"
}

# gnocchi-upgrade: the indexer's tables, the storage and incoming directories (16 sacks instead
# of 128: fewer directories for metricd to scan); no default archive policies (ours comes with
# seed_telemetry.py gnocchi)
schema_gnocchi() {
  mysql -e "CREATE DATABASE IF NOT EXISTS gnocchi" && mkdir -p "$DATA/gnocchi" &&
  PYTHONPATH=$LIB $PY -c "import sys; sys.argv[0] = 'gnocchi-upgrade'
from gnocchi.cli.manage import upgrade; sys.exit(upgrade())" --config-file "$ETC/gnocchi/gnocchi.conf" \
    --skip-archive-policies-creation --sacks-number 16
}

telemetry_start_service() {
  local gnocchi=(--config-file "$ETC/gnocchi/gnocchi.conf") ceilometer=(--config-file "$ETC/ceilometer/ceilometer.conf")
  case $1 in
    gnocchi-api) start_uwsgi gnocchi-api 8041 1 2 ;;
    gnocchi-metricd) start_python "$1" "from gnocchi.cli.metricd import metricd; sys.exit(metricd())" "${gnocchi[@]}" ;;
    ceilometer-notification) start_python "$1" "$(main_of ceilometer.cmd.agent_notification)" "${ceilometer[@]}" ;;
    ceilometer-polling) start_python "$1" "$(main_of ceilometer.cmd.polling)" "${ceilometer[@]}" \
      --polling-namespaces compute ;;
  esac
}

# After Keystone is up and the schemas are made, before the other services start: the users and
# the `metric` endpoints once; on a fresh cloud, Gnocchi's API first, then its archive policy and
# Ceilometer's resource types (ceilometer-upgrade), so that the agents' first samples find them.
telemetry_setup() {
  if [ ! -e "$STATE/telemetry-identity.done" ]; then
    say "registering Gnocchi and Ceilometer in Keystone"
    seed_telemetry identity && touch "$STATE/telemetry-identity.done"
  fi
  [ -e "$STATE/telemetry.done" ] && return 0
  ensure_services gnocchi-api
  say "creating Gnocchi's archive policy and Ceilometer's resource types"
  seed_telemetry gnocchi
  PYTHONPATH=$LIB $PY -c "import sys; sys.argv[0] = 'ceilometer-upgrade'
from ceilometer.cmd.storage import upgrade; sys.exit(upgrade())" \
    --config-file "$ETC/ceilometer/ceilometer.conf" --retry 5 >>"$LOG/schema-ceilometer.log" 2>&1 ||
    fail ceilometer-upgrade "$LOG/schema-ceilometer.log"
  touch "$STATE/telemetry.done"
}
seed_telemetry() { # phase
  PYTHONPATH=$LIB DEVCLOUD_PASSWORD=$PW $PY "$HERE/seed_telemetry.py" "$1" 2>&1 | tee -a "$LOG/seed.log" ||
    fail "telemetry seeding ($1)" "$LOG/seed.log"
}
