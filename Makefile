# Every target bootstraps .venv with nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: venv test lint typecheck pytest docs demo bench bench-limiter bench-handover bench-fleet test-versions clean

venv: $(STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Everything: the SDK, its extras and the tools of `make test`.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $(DEMO_STAMP) $(BENCH_STAMP)

# Just what the demo runs: the SDK and the emulator's SMTP ingest.
$(DEMO_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[testing]'
	touch $(DEMO_STAMP)

lint: venv
	$(BIN)/ruff check src tests examples benchmarks
	$(BIN)/ruff format --check src tests examples benchmarks

typecheck: venv
	$(BIN)/mypy

# erase first: a previous run's data (of files since removed) would otherwise be combined in.
pytest: venv
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q -n 2
	$(BIN)/python -m coverage report

# Not --quiet: it hides the warnings that --strict turns into a failure (broken links).
docs: venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

test: lint typecheck pytest docs

demo: $(DEMO_STAMP)
	$(BIN)/python -m smsc.testing.demo

# Just what the benchmarks run: the SDK and aiohttp (a raw baseline and a backend).
$(BENCH_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[aiohttp]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.bulk

# The Redis limiter against the in-process one (needs the dev extra's redis-server).
bench-limiter: venv
	$(BIN)/python benchmarks/limiter.py

# Processes on one login, each with its own cap, then sharing the Redis limiter (error 9s).
bench-handover: venv
	$(BIN)/python benchmarks/handover.py

bench-fleet: venv
	$(BIN)/python benchmarks/fleet.py

# The suite on every other Python (3.10-3.13) this machine has, each in its own venv.
test-versions:
	@for v in 3.10 3.11 3.12 3.13; do \
	  if command -v python$$v >/dev/null 2>&1; then \
	    echo "== Python $$v"; \
	    test -x .venv-$$v/bin/python || python$$v -m venv .venv-$$v; \
	    .venv-$$v/bin/python -m pip install --quiet -e '.[dev]' && \
	    .venv-$$v/bin/python -m pytest -q -p no:cacheprovider || exit 1; \
	  fi; \
	done

clean:
	rm -rf $(VENV) .venv-3.* site .mypy_cache .pytest_cache .ruff_cache
