PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install test lint bench clean

install:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned: the CPU build on disk; an unpinned torch pulls several GB of CUDA.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e ".[dev,export,server,bench]"

test:
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

lint:
	$(BIN)/ruff check consistency tests benchmarks
	$(BIN)/ruff format --check consistency tests benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
