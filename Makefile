# The two commands of the README's quickstart, and the checks CI runs.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

.PHONY: demo test lint setup bench

$(BIN)/sitegen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/sitegen

setup: $(BIN)/sitegen

demo: setup
	$(BIN)/sitegen build

test: setup
	$(BIN)/ruff check sitegen tests bench
	$(BIN)/ruff format --check sitegen tests bench
	$(BIN)/mypy
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/build_speed.py
