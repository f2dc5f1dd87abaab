# Tsunagari — `make demo` serves the site, `make test` runs every test.
SHELL := /bin/bash
PY_WANTED := $(shell cat .python-version)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

# Find a Python >= 3.12: pyenv's version from .python-version, else python3.13/3.12.
PYTHON ?= $(shell (command -v pyenv >/dev/null && pyenv which python 2>/dev/null) || command -v python$(PY_WANTED) || command -v python3.13 || command -v python3.12 || command -v python3)

.PHONY: demo test test-postgres prod-smoke lint typecheck check-migrations bench bench-matching bench-surveys bench-visible bench-http bench-pages worker clean help

help:
	@echo "make demo   - set up .venv, migrate, load sample data and serve http://127.0.0.1:8000"
	@echo "make test   - set up .venv and run every test (SQLite; browser tests in Chromium)"
	@echo "make prod-smoke - the production stack (nginx, gunicorn x2, workers, PostgreSQL, Redis) over HTTPS"
	@echo "make lint   - ruff;  make typecheck - mypy;  make check-migrations"
	@echo "make bench  - search speed at 100,000 resources (ARGS=\"--count N\"; DATABASE_URL for PostgreSQL)"
	@echo "make bench-matching - matching relevance (labelled set) and speed (100,000 seeds, 10,000 needs)"
	@echo "make bench-pages   - the new pages on the demo data (VAR_DIR with load_demo run)"
	@echo "make bench-surveys - self-check aggregates at 1,000,000 responses (SURVEYS_ARGS; DATABASE_URL for PostgreSQL)"
	@echo "make bench-visible - the dashboard /visible/ and its tallies at 100,000 resources (BENCH_SCALE; DATABASE_URL)"
	@echo "make bench-http - pages under a spike: gunicorn + wrk, req/s and p99 beside a hello world (HTTP_ARGS)"

$(PY):
	@$(PYTHON) -c 'import sys; v=sys.version_info; sys.exit(0 if v >= (3, 12) else 1)' || \
	  { echo "Tsunagari needs Python 3.12 or newer (3.13 preferred, see .python-version); found: $$($(PYTHON) --version 2>&1)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	bash scripts/ensure-fonts
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@echo "Starting the task worker (e-mails print on this console) and the site at http://127.0.0.1:8000"
	HTTPS=false $(PY) manage.py db_worker & trap 'kill %1' EXIT; \
	  DEMO=true HTTPS=false $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
	bash scripts/ensure-chromium
	$(PY) -m pytest -q

test-postgres: $(STAMP)
	bash scripts/test-postgres

# nginx + two gunicorn instances + two workers + PostgreSQL + Redis, walked over HTTPS.
prod-smoke: $(STAMP)
	bash scripts/prod-smoke

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy tsunagari

check-migrations: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# make bench ARGS="--count 10000 --no-naive"; DATABASE_URL=postgres://... make bench for PostgreSQL.
bench: $(STAMP)
	$(PY) bench/search.py $(ARGS)

# make bench-matching MATCHING_ARGS="--count 5000 --needs 1000" (default: 100,000 seeds)
bench-matching: $(STAMP)
	$(PY) bench/matching.py
	$(PY) bench/matching_speed.py $(MATCHING_ARGS)

# make bench-surveys SURVEYS_ARGS="--count 100000 --runs 10 --no-naive"; DATABASE_URL=postgres://... for PostgreSQL.
bench-surveys: $(STAMP)
	$(PY) bench/surveys.py $(SURVEYS_ARGS)

# The courses, May month, news, meetings, groups and network pages on the demo data
# (load it first into the same VAR_DIR or DATABASE_URL), page cache off.
bench-pages: $(STAMP)
	PAGE_CACHE_SECONDS=0 HTTPS=false $(PY) bench/pages.py

# make bench-visible VISIBLE_ARGS="--runs 10 --fresh"; BENCH_SCALE=0.01 for a quick run;
# DATABASE_URL=postgres://... make bench-visible for PostgreSQL.
bench-visible: $(STAMP)
	PAGE_CACHE_SECONDS=0 HTTPS=false $(PY) bench/visible.py $(VISIBLE_ARGS)

# make bench-http HTTP_ARGS="--duration 10 --connections 16 --redis redis://127.0.0.1:6379/7"
bench-http: $(STAMP)
	$(PY) bench/http_load.py $(HTTP_ARGS)

worker: $(STAMP)
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) var
