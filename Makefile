# The two commands of the README's Quick start: `make build` and `make test`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test test-min constraints setup setup-test lint bench clean

build: setup
	$(BIN)/docgen build

test: setup-test lint
	$(BIN)/pytest

# The suite against every dependency at its lower bound in pyproject.toml, in a throwaway
# venv (not part of `make test`, which installs the pins of constraints.txt).
test-min:
	@scripts/test-min.sh

# After upgrading a dependency in .venv and passing `make test`: pin what is installed now.
constraints:
	{ grep '^#' constraints.txt; $(BIN)/pip freeze --exclude-editable | grep -iv '^docgen'; } \
		> constraints.txt.new
	mv constraints.txt.new constraints.txt

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh --test

lint:
	$(BIN)/ruff check docgen tests bench
	$(BIN)/ruff format --check docgen tests bench
	$(BIN)/mypy

bench: setup-test
	$(BIN)/python bench/bench_build.py
	$(BIN)/python bench/bench_typography.py
	$(BIN)/python bench/bench_cold.py
	$(BIN)/python bench/bench_sheet_fit.py

clean:
	rm -rf output/*/ .pytest_cache .mypy_cache .ruff_cache
