# sanctions-summarizer — `make demo` sets everything up and summarizes the example; `make test` runs the checks.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test test-all lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required (set PYTHON=python3.11)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[local,dev,analyst,ray]"
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/summarizer summarize examples/treasury_iran_russia.txt --format markdown

lint: setup
	$(BIN)/ruff check summarizer tests bench
	$(BIN)/ruff format --check summarizer tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

test-all: lint
	$(BIN)/python -m pytest -q -m "slow or not slow"

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
