# jixing — two commands for a fresh machine:  make demo   |   make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install install-test system-deps system-deps-test lint test-sqlite test-postgres serve clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

system-deps:
	@scripts/system-deps.sh runtime

# The test suite also needs chromium (tests/browser): installed here when missing and allowed.
system-deps-test:
	@scripts/system-deps.sh test

# Imports run in the background: a worker (jixing db_worker) beside the server, stopped when the server stops.
demo: install system-deps
	$(BIN)/jixing migrate --noinput
	$(BIN)/jixing demo-data
	$(BIN)/jixing db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/jixing runserver $(HOST):$(PORT)

lint: install-test
	$(BIN)/ruff check jixing tests benchmarks
	$(BIN)/ruff format --check jixing tests benchmarks

test-sqlite: install-test system-deps-test
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: install-test system-deps-test
	@echo "== test suite on PostgreSQL ($(PG_URL)) =="
	@$(BIN)/python scripts/check_database.py "$(PG_URL)"
	DATABASE_URL="$(PG_URL)" $(BIN)/pytest -q

# CI=true (or PG=1) adds the PostgreSQL pass.
test: install-test system-deps-test lint test-sqlite
	@if [ "$${CI:-}" = "true" ] || [ -n "$${PG:-}" ]; then $(MAKE) --no-print-directory test-postgres; fi

clean:
	rm -rf $(VENV) var
