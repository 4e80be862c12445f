# Two set-up-and-go targets: `make demo` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

## Install kgtool from this checkout and print the sourced timeline of the shipped graph.
demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	$(BIN)/kgtool query timeline

## Install kgtool with its test extras, lint, type-check and run the whole test suite.
test: $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[test]'
	$(BIN)/ruff check kgtool tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
