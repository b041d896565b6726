# msht — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEMO_ARGS ?=

.PHONY: install install-dev demo test check lint types imports docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# What the demo needs: the package and its runtime dependencies.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

# What the tests need as well: dev tools and the Spark engine (pyspark, built once, ~1 min).
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev,spark]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

demo: install
	$(BIN)/msht demo $(DEMO_ARGS)

test: install-dev
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: install-dev
	$(BIN)/ruff format --check msht tests benchmarks
	$(BIN)/ruff check msht tests benchmarks

types: install-dev
	$(BIN)/mypy

imports: install-dev
	$(BIN)/lint-imports

check: lint types imports test

# Regenerate the documentation that tests check against the code.
docs: install
	$(BIN)/python -m msht.cli.reference --write .

bench: install-dev
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/synth.py
	$(BIN)/python benchmarks/resolve.py
	$(BIN)/python benchmarks/network.py
	$(BIN)/python benchmarks/indicators.py
	$(BIN)/python benchmarks/api.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis demo
