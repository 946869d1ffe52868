# jixing — two commands for a fresh machine:  make demo   |   make test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000
# The lock files (requirements/): every package of .venv, pip and setuptools included, pinned with hashes
# for Python 3.11 on Linux x86_64, what the machines and CI run. `make lock` regenerates both.
LOCK := requirements/lock.txt
LOCK_TEST := requirements/lock-test.txt
UV_VERSION := 0.13.9
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml requirements/tools.in --generate-hashes --quiet \
	--python-version 3.11 --python-platform x86_64-manylinux_2_28 --custom-compile-command "make lock" \
	$(if $(UPGRADE),--upgrade)

.PHONY: demo test install install-test lock system-deps system-deps-test lint typecheck test-sqlite test-postgres serve clean

# pip comes from the lock too: the venv's bundled pip only runs the first install.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r $(LOCK)
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.installed-test: $(LOCK_TEST) $(VENV)/.installed
	$(BIN)/pip install -q --require-hashes -r $(LOCK_TEST)
	touch $@

# One command after changing pyproject's dependencies: keeps every pin that still fits and resolves the
# rest (`make lock UPGRADE=1` moves everything to the newest allowed). The test lock is resolved first; the
# runtime lock is then held to its versions, so production runs exactly what the tests ran.
lock: | $(BIN)/python
	$(BIN)/pip install -q "uv==$(UV_VERSION)"
	$(UV_COMPILE) --extra test -o $(LOCK_TEST)
	$(UV_COMPILE) --constraint $(LOCK_TEST) -o $(LOCK)

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

# The way a province runs it: gunicorn with several workers and task workers of their own (scripts/serve.sh;
# README 部署 lists the environment). Set DATABASE_URL and the keys first; nothing demo is loaded.
serve: install system-deps
	BIN=$(BIN) HOST=$(HOST) PORT=$(PORT) scripts/serve.sh

lint: install-test
	$(BIN)/ruff check jixing tests benchmarks
	$(BIN)/ruff format --check jixing tests benchmarks

# Types (mypy with django-stubs: strict on eligibility/ and tables/) and the one-way floors of
# docs/architecture.md (import-linter's contracts); both are configured in pyproject.toml.
typecheck: install-test
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Each pass runs on TEST_WORKERS processes (pytest-xdist; 2, the machines' cores; TEST_WORKERS=0 runs it in
# one). A test module stays whole on one process (--dist loadfile): its module-scoped fixtures (a demo
# province, a whole campaign) are built once, and its tests run in their order. Each process has a test
# database, a DATA_DIR and image slots of its own (tests/conftest.py).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

test-sqlite: install-test system-deps-test
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(PYTEST)

test-postgres: install-test system-deps-test
	@echo "== test suite on PostgreSQL ($(PG_URL)) =="
	@$(BIN)/python scripts/check_database.py "$(PG_URL)"
	DATABASE_URL="$(PG_URL)" $(PYTEST)

# The PostgreSQL pass runs whenever PostgreSQL answers at PG_URL (it does on every machine of this project:
# the race tests can only fail there); CI=true (or PG=1) makes an unreachable server an error, PG=0 skips it.
test: install-test system-deps-test lint typecheck test-sqlite
	@if [ "$${PG:-}" = "0" ]; then echo "== PostgreSQL pass skipped (PG=0) =="; \
	elif [ "$${CI:-}" = "true" ] || [ -n "$${PG:-}" ] || $(BIN)/python scripts/check_database.py "$(PG_URL)" >/dev/null 2>&1; then \
	  $(MAKE) --no-print-directory test-postgres; \
	else echo "== PostgreSQL unreachable at $(PG_URL): only the SQLite pass ran; the race tests prove little there =="; fi

clean:
	rm -rf $(VENV) var
