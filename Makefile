# The two commands of the README's quickstart, and the checks CI runs.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin
# The demo's clock: its events are dated around this moment, so the demo always looks the same
# (upcoming storytimes, a cancelled talk, past events). `make demo DEMO_NOW=` uses the real time.
DEMO_NOW ?= 2026-12-01T09:00:00-06:00

.PHONY: demo test lint setup bench browser-tools

$(BIN)/sitegen: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/sitegen

setup: $(BIN)/sitegen

demo: setup
	$(BIN)/sitegen build $(if $(DEMO_NOW),--now $(DEMO_NOW))

test: setup browser-tools
	$(BIN)/ruff check sitegen tests bench
	$(BIN)/ruff format --check sitegen tests bench
	$(BIN)/mypy
	$(BIN)/pytest

# Chromium, Java, axe-core and the Nu Html Checker for tests/browser (apt only in CI as root).
browser-tools:
	tests/browser/install-tools

bench: setup
	$(BIN)/python bench/build_speed.py
