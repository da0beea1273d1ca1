# Two commands: `make run` and `make test`. Each sets up what it needs first.
VENV   ?= .venv
PYTHON ?= python3
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test bench clean-venv

# Reinstall only when the package list changes.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Serve the app with the demo community (loaded only into an empty store).
run: $(STAMP)
	$(VENV)/bin/community demo --if-empty
	$(VENV)/bin/community serve --host $(HOST) --port $(PORT)

## Run every test.
test: $(STAMP)
	$(PY) -m pytest

## Measure speed against baselines taken in the same run.
bench: $(STAMP)
	$(PY) -m bench.rebuild

clean-venv:
	rm -rf $(VENV)
