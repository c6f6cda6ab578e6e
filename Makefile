# inspectorate — the two commands are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
export DEBUG ?= 1
PYTEST_ARGS ?= -n 2 --dist loadfile --durations=15

.PHONY: demo test install venv assets translations messages migrate lint typecheck pytest bench serve worker scheduler clean

$(PYTHON):
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.lock | $(PYTHON)
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed assets translations

venv: $(VENV)/.installed

# Front-end libraries from the npm registry, copied into the git-ignored static/vendor/.
static/vendor/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/htmx static/vendor/leaflet static/vendor/chartjs
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images static/vendor/leaflet/
	cp node_modules/chart.js/dist/chart.umd.js node_modules/chart.js/dist/chart.umd.js.map static/vendor/chartjs/
	touch $@

assets: static/vendor/.installed

translations: $(VENV)/.installed
	$(MANAGE) compile_translations

messages: $(VENV)/.installed
	$(MANAGE) makemessages -l zh_Hans -l en --ignore=.venv --ignore=node_modules --no-obsolete
	$(MANAGE) compile_translations

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	@echo "Starting the web server on http://$(HOST):$(PORT)/, one task worker and the scheduler (Ctrl-C stops all three)."
	@$(MANAGE) db_worker & worker=$$!; $(MANAGE) run_scheduler & scheduler=$$!; \
	  trap "kill $$worker $$scheduler 2>/dev/null" EXIT INT TERM; \
	  $(MANAGE) runserver $(HOST):$(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy

test: install
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run --noinput
	$(BIN)/pytest $(PYTEST_ARGS)

# The test suite alone (CI runs it again with INSPECTORATE_CLOCK_SHIFT_DAYS set to move the clock ahead).
pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install
	$(PYTHON) -m bench

# The production profile (README "Production profile"): gunicorn with WEB_WORKERS (4) workers, TASK_WORKERS (1) task
# workers and the scheduler on PostgreSQL and Redis, after check --deploy, collectstatic and migrate; Ctrl-C stops all.
# Needs SECRET_KEY, INSPECTORATE_FIELD_KEY, INSPECTORATE_AUDIT_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL.
serve: install
	DEBUG=0 bin/serve --host $(HOST) --port $(PORT)

# Several thousand complaints at once through the form, the API and Open311 on the production profile (gunicorn,
# 4 workers, a throwaway PostgreSQL cluster, 127.0.0.1 only); prints sent/stored/lost/duplicates and p50/p95.
.PHONY: load
load: install
	$(PYTHON) -m bench.load $(LOAD_ARGS)

worker: install
	$(MANAGE) db_worker

# The periodic runner: deadline warnings and reminders, the audit anchor, the daily intake cut-off, nightly maintenance.
scheduler: install
	$(MANAGE) run_scheduler

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles
