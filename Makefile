# UNNM Portal: `make run` serves the portal on the embedded default; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unnm
export REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install lint format messages clean screenshots bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NPM_STAMP)

# The embedded default: SQLite, a real Celery worker and beat on kombu's filesystem broker (no
# Redis), email on the console. Closing due decisions ticks every few seconds instead of every minute.
RUN_ENV := DEBUG=true DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= CELERY_BROKER_URL= \
	CELERY_TASK_ALWAYS_EAGER=false CELERY_DEV_BROKER_DIR=.run/broker \
	DECISIONS_CLOSE_EVERY_SECONDS=$${DECISIONS_CLOSE_EVERY_SECONDS:-10}

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --no-input
	$(RUN_ENV) $(BIN)/python manage.py seed_demo
	@# Messages taken by the worker are kept in processed/ until the next start.
	rm -rf .run/broker/processed
	@echo "Sign in at http://127.0.0.1:8000 as rco@example.org (or any demo account in README.md)" \
		"with the password $${DEMO_PASSWORD:-Demo-Network-2026!}"
	@# honcho runs the web server, the worker and beat (Procfile.dev) and stops them all on Ctrl-C.
	@# `--env /dev/null`: the settings read .env themselves and never override what is set here.
	$(RUN_ENV) $(BIN)/honcho start --procfile Procfile.dev --env /dev/null

# The suite runs in parallel with pytest-xdist, one worker per core. Each worker has its own test
# database (test_<name>_gw0, …) and its own Redis namespace (unnm/settings_test.py). `loadfile`
# sends each test file whole to one worker: module-scoped fixtures are built once.
# `make test PYTEST_XDIST=` runs the suite in one process.
PYTEST_XDIST ?= -n auto --dist loadfile

# The whole suite on PostgreSQL and Redis, then the linters and the migrations check. Every step
# runs even when an earlier one fails; the exit status is non-zero when any of them failed.
test: install
	@failed=""; \
	chromium="$${CHROMIUM_PATH:-$$(command -v chromium || true)}"; \
	if [ -n "$$chromium" ] && [ -x "$$chromium" ]; then \
		echo "Browser tests: using $$chromium"; \
	else \
		echo "Browser tests: NO Chromium found (install Debian's chromium, or set CHROMIUM_PATH): they will be SKIPPED."; \
	fi; \
	echo "Tests on DATABASE_URL=$$DATABASE_URL REDIS_URL=$$REDIS_URL"; \
	$(BIN)/python -m pytest -rs $(PYTEST_XDIST) $(PYTEST_ARGS) || failed="$$failed pytest"; \
	$(BIN)/python -m ruff check . || failed="$$failed ruff-check"; \
	$(BIN)/python -m ruff format --check . || failed="$$failed ruff-format"; \
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=unnm.settings_test \
		$(BIN)/python manage.py makemigrations --check --dry-run \
		|| failed="$$failed makemigrations"; \
	if [ -n "$$failed" ]; then echo "make test: FAILED:$$failed"; exit 1; fi; \
	echo "make test: all checks passed"

# Every page measured as it runs in production (gunicorn, DEBUG off, PostgreSQL, Redis) on the
# benchmark dataset of SIZE (tiny, realistic, stress): the table goes into docs/BENCHMARKS.md.
# Its database is unnm_bench_$(SIZE) on the server of DATABASE_URL, seeded once (realistic: a
# few minutes; stress: much longer). BENCH_ARGS: e.g. `--duration 10` or `--only Decisions`.
SIZE ?= realistic
BENCH_ARGS ?=
bench: install
	@command -v wrk >/dev/null || { echo "make bench needs wrk, the HTTP load generator:" \
		"sudo apt-get install wrk (Debian/Ubuntu), brew install wrk (macOS)."; exit 1; }
	$(BIN)/python -m bench.run --size $(SIZE) $(BENCH_ARGS)

lint:
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

format:
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

# Refresh the Arabic catalogue from the code and templates, then compile it (needs gettext).
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l ar --no-obsolete \
		--ignore=.venv --ignore=node_modules --ignore=staticfiles --ignore=tests --ignore=media
	DEBUG=true $(BIN)/python manage.py compilemessages -l ar --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) node_modules db.sqlite3 db.sqlite3-wal db.sqlite3-shm .run staticfiles .test-media

# Screenshots of the key pages (English and Arabic, desktop and phone) for the README, taken on a
# fresh SQLite demo database by scripts/screenshots.py with Debian's chromium. Never edited by hand.
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py
