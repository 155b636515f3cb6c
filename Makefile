# Every target bootstraps .venv with nothing but python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_STAMP := $(VENV)/.installed-demo
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: venv test coverage test-deep test-httpx028 generate generate-check mutation lint typecheck pytest docs docs-sync check-dist demo bench bench-limiter bench-handover bench-fleet test-versions clean

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
	$(BIN)/ruff check src tests examples benchmarks tools hatch_build.py
	$(BIN)/ruff format --check src tests examples benchmarks tools hatch_build.py

typecheck: venv
	$(BIN)/mypy

# The whole suite on two workers.
pytest: venv
	$(BIN)/python -m pytest -q -n 2

# The whole suite under coverage, held to the floor in pyproject.toml (CI runs it after make
# test: measuring every subprocess the suite starts nearly doubles its time). Erase first: a
# previous run's data (of files since removed) would otherwise be combined in.
coverage: venv
	$(BIN)/python -m coverage erase
	$(BIN)/python -m coverage run -m pytest -q -n 2
	$(BIN)/python -m coverage report

# Not --quiet: it hides the warnings that --strict turns into a failure (broken links).
docs: venv
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

# The docs write out the code of examples/ (and a test file) where a reader of the Markdown
# sees it; after changing such a file, this rewrites those copies (tests/docs checks them).
docs-sync: venv
	$(BIN)/python -m tests.docs.snippets --write

# Builds the sdist and the wheel, checks their metadata (twine) and installs the wheel in new
# venvs as a user would: import, `smsc --help`, the emulator (tests/packaging/check_dist.py).
# One to three minutes of installs: CI runs it after make test, which stays quick.
check-dist: venv
	$(BIN)/python -m tests.packaging.check_dist

test: generate-check lint typecheck pytest docs

# The synchronous face (src/smsc/_sync/) is generated from the async modules: rewrite it...
generate: venv
	$(BIN)/python tools/unasync.py

# ...and fail when a committed generated file differs from what the generator makes.
generate-check: venv
	$(BIN)/python tools/unasync.py --check

# The property tests (every test file using Hypothesis) with every example each asks for;
# make test runs an eighth of them. CI runs this after make test.
test-deep: venv
	SMSC_HYPOTHESIS=deep $(BIN)/python -m pytest -q -n 2 -p no:cacheprovider $$(grep -rl --include='test_*.py' '@given' tests)

# The core against the previous httpx release (0.28; .venv has the newest, 0.29): its unit,
# SDK and socket suites in a venv of their own.
test-httpx028:
	test -x .venv-httpx028/bin/python || $(PYTHON) -m venv .venv-httpx028
	.venv-httpx028/bin/python -m pip install --quiet -e '.[dev]' 'httpx==0.28.1'
	.venv-httpx028/bin/python -m pytest -q -n 2 -p no:cacheprovider tests/unit tests/sdk tests/integration

# Plants each catalogued bug (tests/mutants/*.json) in a scratch copy and runs the test that
# must catch it (tools/mutation.py); every mutant must be caught.
mutation: venv
	$(BIN)/python tools/mutation.py

demo: $(DEMO_STAMP)
	$(BIN)/python -m smsc.testing.demo

# Just what the benchmarks run: the SDK, aiohttp and httpx2 (raw baselines and backends).
$(BENCH_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[aiohttp,httpx2]'
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
