# RJ Admin. The two commands that matter: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | md5sum | cut -c1-12)

.PHONY: install run test lint format bench clean

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[dev]"
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## The whole app with demo data on http://127.0.0.1:8000: web server, Celery worker and beat. Ctrl-C stops all.
run: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	$(PY) manage.py load_schedule
	$(PY) manage.py run_all

## The whole test suite (PostgreSQL when DATABASE_URL is set, else SQLite; Redis when REDIS_URL is set).
test: install
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## Speed and memory figures (needs DATABASE_URL pointing at PostgreSQL for the large ones).
bench: install
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) var/celery var/staticfiles
