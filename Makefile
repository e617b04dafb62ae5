# dagkeeper: `make run` starts everything with the example DAGs on SQLite;
# `make test` installs what the tests need and runs all of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
PIP := $(PY) -m pip --disable-pip-version-check -q
STATIC := backend/dagkeeper/api/static/index.html
export DAGKEEPER_HOME ?= $(CURDIR)/var

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.runtime: backend/requirements.txt backend/pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install -r backend/requirements.txt
	$(PIP) install --no-deps -e backend
	touch $@

$(VENV)/.dev: $(VENV)/.runtime backend/requirements-dev.txt
	$(PIP) install -r backend/requirements-dev.txt
	touch $@

venv: $(VENV)/.runtime ## create .venv with the pinned runtime dependencies

frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(STATIC): frontend/node_modules/.stamp $(shell find frontend/src frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
	cd frontend && npm run --silent build

frontend: $(STATIC) ## build the single-page app into the Flask package

migrate: venv ## migrate the database to the newest revision
	$(BIN)/dagkeeper db migrate

run: venv frontend migrate ## set up and start everything with the example DAGs (SQLite)
	$(BIN)/dagkeeper dags parse
	$(BIN)/dagkeeper standalone

system-deps: ## install Chromium, PostgreSQL and Redis from Debian if missing
	scripts/install-system-deps.sh

lint: $(VENV)/.dev ## ruff, formatting, the architecture contract and mypy (strict, on the modules listed in pyproject)
	$(BIN)/ruff check backend bench e2e
	$(BIN)/ruff format --check backend bench e2e
	cd backend && ../$(BIN)/lint-imports
	cd backend && ../$(BIN)/mypy

test-backend: $(VENV)/.dev system-deps ## backend tests on SQLite and PostgreSQL
	cd backend && ../$(BIN)/pytest -q -n 2 -p no:cacheprovider -m "not distributed"

test-distributed: $(VENV)/.dev system-deps ## Celery workers on separate hosts (namespaces; root)
	cd backend && ../$(BIN)/pytest -q -p no:cacheprovider -m distributed tests/distributed

test-frontend: $(VENV)/.runtime frontend/node_modules/.stamp ## lint, type-check, unit-test the frontend; API types match the backend
	cd frontend && npm run --silent check:api && npm run --silent lint && npm run --silent typecheck && npm run --silent test

test-e2e: $(VENV)/.dev system-deps frontend ## browser tests against the real stack
	$(BIN)/pytest -q -p no:cacheprovider e2e

test: lint test-backend test-distributed test-frontend test-e2e ## everything CI runs

bench: $(VENV)/.dev frontend ## the benchmark suite; writes bench/results/
	scripts/install-system-deps.sh --bench
	$(PY) -m bench

bench-peers: $(VENV)/.dev ## Apache Airflow 3.3.2 (own venv in bench/.scratch) and dagkeeper on the same data, one sitting (~15 min)
	scripts/install-system-deps.sh --bench
	$(PY) -m bench.peers

clean: ## remove the venv, build output and local database
	rm -rf $(VENV) var frontend/node_modules backend/dagkeeper/api/static

.PHONY: help venv frontend migrate run system-deps lint test-backend test-distributed test-frontend test-e2e test bench bench-peers clean
