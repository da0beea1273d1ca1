# Two commands: `make run` and `make test`. Each sets up what it needs first.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
BENCH_STAMP := $(VENV)/.bench-stamp
# The NHS.UK design system's compiled CSS/JS (npm package nhsuk-frontend, pinned in
# package-lock.json), served by web/assets.py; never committed.
NPM_STAMP := node_modules/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: setup help run test unit check bench bench-load clean-venv
# `make` alone sets up (the production section of the README starts so).
.DEFAULT_GOAL := setup

# Reinstall only when the package list changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The load-test tools, only for `make bench`.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Reinstall when the lock file changes, or when the package is missing.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NPM_STAMP)
ifeq ($(wildcard node_modules/nhsuk-frontend/package.json),)
.PHONY: $(NPM_STAMP)
endif

## Set up only: the virtual environment and the NHS.UK styles (what `make` alone does).
setup: $(STAMP) $(NPM_STAMP)

## List these targets.
help:
	@awk '/^## /{doc=substr($$0, 4)} /^[a-z-]+:/{if (doc) printf "  make %-10s %s\n", substr($$1, 1, length($$1)-1), doc; doc=""}' $(MAKEFILE_LIST)

## Serve the app with the demo community (loaded only into an empty store).
run: $(STAMP) $(NPM_STAMP)
	$(VENV)/bin/community demo --if-empty
	COMMUNITY_PLAIN_HTTP=1 $(VENV)/bin/community serve --host $(HOST) --port $(PORT)

## Run every test.
# On two processes (pytest-xdist), a file's tests together so a module's shared world
# (tests/security) is built once: most of a test's time is spent waiting on the store
# server, a subprocess or the browser, so two cores carry two runs.
TEST_WORKERS ?= 2
test: $(STAMP) $(NPM_STAMP)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

## Run the fast unit tests only (domain rules and pure functions; no database).
unit: $(STAMP)
	$(PY) -m pytest -q tests/unit

## Lint (ruff) and type-check (mypy) the code; settings are in pyproject.toml.
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## Measure speed against baselines taken in the same run.
# The national store: `community synth` at this size, then rebuilt against a raw read.
NATIONAL_EVENTS ?= 200000
NATIONAL_STORE  ?= /tmp/community-national.sqlite
# Where the rebuild figures are kept for the summary at the end (beside the store).
NATIONAL_REBUILD = $(NATIONAL_STORE).rebuild.txt
# The load benchmark (bench.load): 16 logged-in clients against `community serve` on a
# national community of LOAD_EVENTS events, on SQLite (a copy of LOAD_STORE, built once
# when missing) and PostgreSQL, served as in production: LOAD_WORKERS gunicorn web
# processes and the projection worker; LOAD_SECONDS per endpoint, or LOAD_ARGS=--mixed=60.
LOAD_STORES  ?= both
LOAD_SECONDS ?= 10
LOAD_EVENTS  ?= 34000
LOAD_STORE   ?= /tmp/community-national-34k.sqlite
LOAD_WORKERS ?= 2
LOAD_ARGS    ?=
LOAD = $(PY) -m bench.load --store $(LOAD_STORES) --seconds $(LOAD_SECONDS) \
	--workers $(LOAD_WORKERS) --events $(LOAD_EVENTS) --sqlite-store $(LOAD_STORE) $(LOAD_ARGS)
bench: $(BENCH_STAMP)
	$(PY) -m bench.rebuild
	rm -f $(NATIONAL_STORE)
	$(VENV)/bin/community synth --events $(NATIONAL_EVENTS) --database-url sqlite:///$(NATIONAL_STORE) --kinds
	$(PY) -m bench.rebuild --existing --runs 3 --database-url sqlite:///$(NATIONAL_STORE) \
		> $(NATIONAL_REBUILD) && cat $(NATIONAL_REBUILD)
	$(PY) -m bench.directory
	$(PY) -m bench.pairing
# The rebuild figures again below the load tables, so the run ends with every figure
# issue 14 sets a target for, even when an endpoint answered errors (exit status kept).
	status=0; $(LOAD) || status=$$?; \
		echo; echo "rebuild of the national store ($(NATIONAL_EVENTS) events, SQLite; measured above):"; \
		cat $(NATIONAL_REBUILD); exit $$status

## Only the load benchmark (part of `make bench`): the table for both stores.
bench-load: $(BENCH_STAMP)
	$(LOAD)

## Remove the virtual environment (the next make builds it again).
clean-venv:
	rm -rf $(VENV)
