# Two commands for a fresh machine: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint fmt test-sqlite test-postgres soak install assets system-libs chromium bench clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/activate pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/jigsaw/static_build/jigsaw.css: node_modules/.installed package.json $(wildcard src/jigsaw/static_src/scss/*.scss)
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed system-libs

# WeasyPrint (the PDF report) draws text with Pango; Debian's package when it is missing.
system-libs:
	@ldconfig -p | grep -q libpango-1.0 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; }

assets: install src/jigsaw/static_build/jigsaw.css
	$(BIN)/jigsaw collectstatic --no-input --verbosity 0

chromium:
	@[ -x $(CHROMIUM) ] || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

run: assets
	$(BIN)/jigsaw migrate --no-input --verbosity 0
	$(BIN)/jigsaw demo
	@echo "Serving Jigsaw at http://127.0.0.1:8000 with its task worker (Ctrl+C stops both)"
	$(BIN)/jigsaw serve

# The style is ruff's (rules and why in pyproject.toml): `make fmt` applies it, `make lint` checks it.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: assets chromium
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -n 2 --dist loadgroup

test-postgres:
	@echo "== Test suite on PostgreSQL"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadgroup

# Long hardening runs (not part of `make test`), on SQLite and then PostgreSQL: imports killed at
# random points, repeated database restarts under load, the importers fuzzed with many more
# examples, and the fast fault tests. About 10 minutes; JIGSAW_SOAK_SECONDS (per timed test),
# JIGSAW_SOAK_IMPORT_ROWS and JIGSAW_FUZZ_EXAMPLES lengthen it; SOAK_SEED=n replays a run.
ifndef SOAK_SEED
SOAK_SEED := $(shell od -An -N3 -tu4 /dev/urandom | tr -d ' ')
endif
SOAK_RUN = JIGSAW_SOAK_SEED=$(SOAK_SEED) JIGSAW_FUZZ_PROFILE=soak $(BIN)/pytest tests/hardening -m "soak or not soak" -s -q --hypothesis-seed=$(SOAK_SEED)

soak: assets
	@echo "== Soak on SQLite (seed $(SOAK_SEED); SOAK_SEED=$(SOAK_SEED) make soak replays it)"
	env -u DATABASE_URL $(SOAK_RUN)
	@echo "== Soak on PostgreSQL (seed $(SOAK_SEED))"
	DATABASE_URL=$(PG_URL) $(SOAK_RUN)

# Speed and memory figures against same-run baselines, on SQLite and PostgreSQL (not part of `make test`).
bench: assets
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf $(VENV) node_modules var src/jigsaw/static_build
