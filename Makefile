# The two commands of the README's Quick start: `make build` and `make test`.
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test setup setup-test lint bench clean

build: setup
	$(BIN)/docgen build

test: setup-test lint
	$(BIN)/pytest

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

clean:
	rm -rf output/*/ .pytest_cache .mypy_cache .ruff_cache
