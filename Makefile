# `make run` opens the app, `make test` runs every check. Both build .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

# An editable install leaves our own modules uncompiled; where PYTHONDONTWRITEBYTECODE is
# set they would be compiled again at every start (~30 ms). compileall skips what is current.
run: $(STAMP)
	$(BIN)/python -m compileall -q tracker migrations
	$(BIN)/tracker

lint: $(STAMP)
	$(BIN)/ruff check tracker migrations tests benchmarks
	$(BIN)/ruff format --check tracker migrations tests benchmarks
	$(BIN)/mypy tracker
	$(BIN)/lint-imports

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV)
