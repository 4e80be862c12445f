# Two set-up-and-go targets: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint install-test pictures clean test-virtuoso

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

## Install kgtool from this checkout and print the sourced timeline of the shipped graph.
demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	$(BIN)/kgtool query timeline

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[test]'

## ruff (lint and format check) and mypy.
lint: install-test
	$(BIN)/ruff check kgtool tests benchmarks
	$(BIN)/ruff format --check kgtool tests benchmarks
	$(BIN)/mypy

## What CI runs (.ci/run): lint, type-check and the whole test suite.
test: lint
	$(BIN)/python -m pytest -q

## The everyday loop: the suite without the tests marked `slow` (under 2 minutes on 2 cores).
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not slow"

## The remote-store tests against a private Virtuoso Open Source (Debian virtuoso-opensource), started
## and stopped here (see docs/scaling-out.md); not part of `make test`.
test-virtuoso: install-test
	bash .ci/virtuoso

## Redraw the pictures the README shows, with the commands themselves, from the shipped graph.
pictures: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	$(BIN)/kgtool timeline -o docs/timeline.png
	$(BIN)/kgtool graph -o docs/network.png

## Redraw docs/event-page.png, the README's event page, from the real `kgtool serve` in headless Chromium.
.PHONY: screenshot
screenshot: install-test
	$(BIN)/python docs/screenshot.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
