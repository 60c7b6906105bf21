# UNNM Portal: `make run` serves the portal on the embedded default; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed

export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/unnm
export REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test install lint format migrate demo worker beat messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) $(NPM_STAMP)

# The embedded default: SQLite, Celery tasks run eagerly, email on the console.
run: install
	DEBUG=true DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= $(BIN)/python manage.py migrate --no-input
	DEBUG=true DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= $(BIN)/python manage.py seed_demo
	DEBUG=true DATABASE_URL=sqlite:///db.sqlite3 REDIS_URL= $(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite on PostgreSQL and Redis, then the linters and the migrations check.
test: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .
	DJANGO_SETTINGS_MODULE=unnm.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	@if [ -x /usr/bin/chromium ] || [ -n "$$CHROMIUM_PATH" ]; then \
		echo "Browser tests: using $${CHROMIUM_PATH:-/usr/bin/chromium}"; \
	else \
		echo "Browser tests: NO Chromium found (install Debian's chromium); they will be skipped."; \
	fi
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint:
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

format:
	$(BIN)/python -m ruff check --fix .
	$(BIN)/python -m ruff format .

messages:
	$(BIN)/python manage.py makemessages -l ar --ignore=.venv --ignore=node_modules
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) node_modules db.sqlite3 staticfiles .test-media
