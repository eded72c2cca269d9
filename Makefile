# Peyvand: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= peyvand-demo.sqlite
PYTEST_WORKERS ?= 2

.PHONY: setup demo test test-sqlite lint bench postgres clean

TEXT_SOURCES := $(wildcard src/peyvand/text/*.py)
COMPILED_TEXT := src/peyvand/text/_compiled.json

setup: $(VENV)/.installed $(COMPILED_TEXT)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# The message pipeline compiled with mypyc (scripts/compile_text.py); without a C compiler the sources run.
$(COMPILED_TEXT): $(VENV)/.installed $(TEXT_SOURCES) scripts/compile_text.py
	$(BIN)/python scripts/compile_text.py

demo: setup
	$(BIN)/peyvand demo --db $(DEMO_DB)

postgres:
	@scripts/ensure-postgres.sh

test: setup postgres
	PEYVAND_REQUIRE_POSTGRES=1 PEYVAND_TEST_POSTGRES_URL=$${PEYVAND_TEST_POSTGRES_URL:-postgresql+psycopg://postgres:peyvand@127.0.0.1:5432/peyvand_test} \
		$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider
	PEYVAND_PURE_PYTHON=1 $(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider -q tests/text

test-sqlite: setup
	$(BIN)/pytest -n $(PYTEST_WORKERS) -p no:cacheprovider --no-postgres

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: setup
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -f src/peyvand/text/*.so src/peyvand/text/*.pyd src/*__mypyc* $(COMPILED_TEXT)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
