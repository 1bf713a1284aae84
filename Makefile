# Zenith — run `make help` for the list.
SHELL := /bin/bash
PY := .venv/bin/python
DEVCLOUD := tools/devcloud/devcloud
export DJANGO_SETTINGS_MODULE ?= dashboard.settings
# the tests' own settings (their key, Redis prefix, limits): pytest-django would take the variable above
PYTEST := $(PY) -m pytest --ds=tests.settings

.DEFAULT_GOAL := help
# Zenith will not start without DASHBOARD_SECRET_KEY (DEBUG off): local targets use this checkout's own
# random key (tools/local-secret-key.sh, in var/); a deployment sets its own. Tests set theirs.
migrate static worker messages: export DASHBOARD_SECRET_KEY ?= $(shell tools/local-secret-key.sh)
.PHONY: help demo test test-postgres run lint format system-deps venv assets devcloud devcloud-down devcloud-status devcloud-reset migrate static worker bench unit integration browser messages messages-compile

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

demo: system-deps venv assets devcloud migrate static ## install everything, start the local cloud, Zenith and a worker; print URL and logins
	@tools/run-demo.sh

test: system-deps venv assets devcloud static ## the whole suite: unit, integration (devcloud) and browser tests
	$(PYTEST) tests -p no:cacheprovider

test-postgres: system-deps venv messages-compile devcloud ## unit and integration tests on PostgreSQL (127.0.0.1:5432, started and given a test role if needed)
	tools/postgres-for-tests.sh $(PYTEST) tests/unit tests/integration -p no:cacheprovider

unit: venv messages-compile ## unit tests only (no cloud)
	$(PYTEST) tests/unit

integration: venv messages-compile devcloud ## integration tests against the devcloud
	$(PYTEST) tests/integration

browser: venv assets devcloud static ## browser tests in headless Chromium
	$(PYTEST) tests/browser

run: venv assets migrate static ## Zenith (uvicorn on :8000, DASHBOARD_WORKERS processes) + a worker, against the cloud the environment points at
	@ZENITH_NO_DEVCLOUD_HINT=1 tools/run-demo.sh

worker: venv ## a Celery worker only
	.venv/bin/celery -A dashboard worker -l info

lint: venv ## ruff check + format check
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv ## ruff format + autofix
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

bench: venv assets devcloud ## fill the devcloud at scale, time every view over HTTP (page + its parts) and in Chromium, live updates and load (one and two processes), clean up (about 15-25 min here; populate + pages + browser + clean: 7-16 min, target 20)
	$(PY) bench/run.py

system-deps: ## Debian packages Zenith needs (node, chromium, redis, haproxy, postgresql, qemu), installed if missing
	@tools/install-system-deps.sh

venv: .venv/.installed ## the Python virtualenv (.venv)
.venv/.installed: requirements.txt
	@test -x .venv/bin/python || python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -r requirements.txt
	@touch $@

assets: dashboard/static/vendor/.copied ## front-end files from npm into dashboard/static/vendor
dashboard/static/vendor/.copied: package.json tools/copy-assets.sh
	npm install --no-audit --no-fund --silent
	tools/copy-assets.sh
	@touch $@

devcloud: ## bring the local OpenStack up (no-op when it is up)
	@$(DEVCLOUD) up

devcloud-down: ## stop the local OpenStack
	@$(DEVCLOUD) down

devcloud-status: ## which devcloud service is up or down
	@$(DEVCLOUD) status

devcloud-reset: ## wipe and rebuild the local OpenStack
	@$(DEVCLOUD) reset

migrate: venv
	@mkdir -p var
	@$(PY) manage.py migrate --noinput -v 0

static: venv assets messages-compile
	@mkdir -p var
	@$(PY) manage.py collectstatic --noinput -v 0

# Languages: English in the code, French in locale/fr/LC_MESSAGES/{django,djangojs}.po. The .mo files
# are build output (gitignored): made from the .po files here, on the install path (static, unit, ...).
CATALOGUES := locale/fr/LC_MESSAGES/django locale/fr/LC_MESSAGES/djangojs
MESSAGES_IGNORE := --ignore=.venv --ignore=node_modules --ignore=var --ignore=test-artifacts \
	--ignore=dashboard/static/vendor --ignore=tests --ignore=bench --ignore=tools
messages: venv ## refresh the French catalogues from the code (folds locale/fr/fragments/*.po in first); then translate what is new
	@for po in $(addsuffix .po,$(CATALOGUES)); do \
	  for fragment in locale/fr/fragments/*.po; do \
	    [ -e "$$fragment" ] || continue; \
	    [ -e "$$po" ] || break; msgcat --use-first -o "$$po" "$$po" "$$fragment" || exit 1; \
	  done; \
	done
	$(PY) manage.py makemessages -l fr -d django --no-obsolete --add-location=file $(MESSAGES_IGNORE) -v 0
	$(PY) manage.py makemessages -l fr -d djangojs --no-obsolete --add-location=file $(MESSAGES_IGNORE) -v 0
	@echo "[zenith] catalogues refreshed: translate the empty and fuzzy entries of locale/fr/LC_MESSAGES/*.po"

messages-compile: $(addsuffix .mo,$(CATALOGUES)) ## compile the catalogues (.po -> .mo), as compilemessages does
locale/%.mo: locale/%.po
	msgfmt --check-format -o $@ $<
