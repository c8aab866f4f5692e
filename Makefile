# Everything a fresh machine with Python 3.11 and make needs.
#   make demo   set up, then check an example plan (the main job)
#   make test   set up, then lint, type-check, test and build the docs
#   make bench  the benchmarks (about an hour; bench/README.md has quicker runs)
PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint typecheck pytest docs docs-ref bench clean

$(STAMP): pyproject.toml Makefile $(wildcard plugins/*/pyproject.toml)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]' $(foreach p,$(wildcard plugins/*/pyproject.toml),-e $(dir $(p)))
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/techdiversity check examples/bielsko-biala.yaml examples/trikala.yaml

lint: setup
	$(BIN)/ruff check src tests plugins tools $(wildcard bench)
	$(BIN)/ruff format --check src tests plugins tools $(wildcard bench)

typecheck: setup
	$(BIN)/mypy
	$(BIN)/mypy --strict $(wildcard plugins/*/src)

pytest: setup
	$(BIN)/python -m pytest

docs-ref: setup
	$(BIN)/techdiversity --no-plugins checks --format markdown > docs/reference/checks.md
	$(BIN)/python -m techdiversity.docs rubrics > docs/reference/rubrics.md
	$(BIN)/python -m techdiversity.docs exporters > docs/reference/exporters.md
	$(BIN)/python -m techdiversity.docs scores > docs/reference/scores.md

docs: setup
	$(BIN)/mkdocs build --strict --quiet

test: lint typecheck pytest docs

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site build .pytest_cache .mypy_cache .ruff_cache
