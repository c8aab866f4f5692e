# Everything a fresh machine with Python 3.11 and make needs.
#   make demo          set up, then check an example plan (the main job)
#   make test          set up, then lint, type-check, test (the wheel too) and build the docs
#   make test-latest   the same in .venv-latest, with the newest release of every dependency
#   make lock          refresh requirements/dev.lock after a dependency changed in a pyproject.toml
#   make lock-upgrade  the same, moving every locked version to the newest release
#   make bench         the benchmarks (about an hour; bench/README.md has quicker runs)
#
# `make setup` installs with pip alone, using requirements/dev.lock as constraints: the
# versions the tests ran with. A dependency that the lock does not list yet still
# installs (unconstrained) until `make lock` adds it.
PY ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK ?= requirements/dev.lock
CONSTRAINTS := $(if $(LOCK),-c $(LOCK))
INSTALL_UPGRADE ?=
PLUGINS := $(foreach p,$(wildcard plugins/*/pyproject.toml),-e $(dir $(p)))
UV_VERSION := 0.13.8
UV_COMPILE := $(BIN)/uv pip compile --no-config --universal --python-version 3.11 \
	--no-emit-package techdiversity --no-emit-package techdiversity-docx --no-emit-package techdiversity-indimae \
	--custom-compile-command "make lock" requirements/dev.in -o requirements/dev.lock

.PHONY: setup demo test test-latest lint typecheck pytest docs docs-ref lock lock-upgrade bench clean

$(STAMP): pyproject.toml Makefile $(LOCK) $(wildcard plugins/*/pyproject.toml)
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade $(CONSTRAINTS) pip
	$(BIN)/python -m pip install --quiet $(INSTALL_UPGRADE) $(CONSTRAINTS) -e '.[dev]' $(PLUGINS)
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

# TECHDIVERSITY_LOCK tells the wheel test which constraints to install the wheel's
# dependencies with (none for test-latest).
pytest: setup
	TECHDIVERSITY_LOCK="$(LOCK)" $(BIN)/python -m pytest

docs-ref: setup
	$(BIN)/techdiversity --no-plugins checks --format markdown > docs/reference/checks.md
	$(BIN)/python -m techdiversity.docs rubrics > docs/reference/rubrics.md
	$(BIN)/python -m techdiversity.docs exporters > docs/reference/exporters.md
	$(BIN)/python -m techdiversity.docs scores > docs/reference/scores.md

docs: setup
	$(BIN)/mkdocs build --strict --quiet

test: lint typecheck pytest docs

test-latest:
	rm -f .venv-latest/.installed-stamp
	$(MAKE) test VENV=.venv-latest LOCK= INSTALL_UPGRADE="--upgrade --upgrade-strategy eager"

lock: setup
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE)

lock-upgrade: setup
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) --upgrade

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .venv-latest site build dist .pytest_cache .mypy_cache .ruff_cache
