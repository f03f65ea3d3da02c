# RJ Admin. The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | md5sum | cut -c1-12)

ADDR ?= 127.0.0.1:8000
# Without DATABASE_URL, every command below uses the embedded PostgreSQL in var/pgdata (started when
# needed; see rjadmin/embedded_pg.py). `make run` and `make test` stop it when they end.
EMBEDDED := $(PY) -m rjadmin.embedded_pg

.PHONY: install system-deps run test lint format bench clean db-stop db-reset

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## The whole app with demo data on http://$(ADDR): web server, Celery worker and beat. Ctrl-C stops all,
## and the embedded PostgreSQL with them.
run: install
	@trap '[ -n "$$DATABASE_URL" ] || $(EMBEDDED) stop' EXIT; \
	$(PY) manage.py migrate --noinput -v 0 && \
	$(PY) manage.py seed_demo --addr $(ADDR) && \
	$(PY) manage.py load_schedule && \
	$(PY) manage.py run_all --addr $(ADDR)

## The whole test suite, on the embedded PostgreSQL unless DATABASE_URL is set (Redis when REDIS_URL is
## set, else the filesystem broker). The run stops the embedded server it started.
test: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

## Chromium (browser tests), poppler-utils (PDF text) and the fonts WeasyPrint needs, from Debian.
system-deps:
	@bash .ci/system-deps

db-stop: install
	$(EMBEDDED) stop

## Throw the embedded database away; the next command starts a new, empty one.
db-reset: install
	$(EMBEDDED) reset

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	@running=$$($(EMBEDDED) status); \
	trap '[ -n "$$DATABASE_URL" ] || case "$$running" in running*) ;; *) $(EMBEDDED) stop ;; esac' EXIT; \
	$(PY) manage.py check --fail-level WARNING && \
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Speed and memory figures (the embedded server, or DATABASE_URL's).
bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) var/celery var/staticfiles
