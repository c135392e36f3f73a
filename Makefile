# goodwill — the two commands: `make demo` and `make test`. Needs only python3 (3.11+), git, make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB ?= demo.sqlite3
DEMO_PEOPLE ?= 2000
DEMO_EMAIL ?= demo@example.com
DEMO_PASSWORD ?= goodwill-demo
PORT ?= 8000
export GOODWILL_HOME ?= $(CURDIR)/.goodwill

.DEFAULT_GOAL := help
.PHONY: help demo test lint format bench system-deps venv clean

help:
	@echo "make demo   - install, fill a demo network, print today's plan, serve http://127.0.0.1:$(PORT)"
	@echo "make test   - install test dependencies (chromium, postgresql via apt-get) and run everything"
	@echo "make lint   - ruff (lint + format check) and mypy on core/ and services/"
	@echo "make bench  - benchmarks at 10k and 100k people (BENCH_FULL=1 adds 1M)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs exactly the tested versions (constraints.txt); re-runs when they change.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

venv: $(VENV)/.installed

demo: venv
	@if [ ! -f "$(DEMO_DB)" ]; then \
	  $(BIN)/goodwill --db $(DEMO_DB) demo --people $(DEMO_PEOPLE) --seed 1 && \
	  GOODWILL_PASSWORD=$(DEMO_PASSWORD) $(BIN)/goodwill --db $(DEMO_DB) user add $(DEMO_EMAIL) --staff; \
	fi
	$(BIN)/goodwill --db $(DEMO_DB) today --count 3
	@echo "Log in at http://127.0.0.1:$(PORT)/ as $(DEMO_EMAIL) / $(DEMO_PASSWORD)"
	$(BIN)/goodwill --db $(DEMO_DB) serve --port $(PORT)

# Debian's chromium (for Playwright) and postgresql (for pytest-postgresql), when missing.
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing with apt-get"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

lint: venv
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: venv
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# The whole suite twice: on SQLite, then on a throwaway PostgreSQL cluster; with a
# data directory of its own (secret key, static root), removed after, not the user's.
test: venv system-deps lint
	home=$$(mktemp -d) && mkdir $$home/static && export GOODWILL_HOME=$$home && \
	  $(BIN)/pytest -n 2 --dist loadgroup && \
	  GOODWILL_TEST_POSTGRES=1 $(BIN)/pytest -n 2 --dist loadgroup; \
	  status=$$?; rm -rf $$home; exit $$status

bench: venv
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .goodwill $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
