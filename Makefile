# The two commands a newcomer needs: `make run` and `make test`.
# Both install what they need on first use.

PYTHON ?= python3
VENV := backend/.venv
PY := $(VENV)/bin/python
BACKEND_STAMP := $(VENV)/.installed
FRONTEND_STAMP := frontend/node_modules/.installed

.PHONY: help install run seed test backend-test frontend-test e2e-test migrate clean \
	bench bench-smoke smoke-run frontend-image-test load load-smoke load-streams audit

help:
	@echo "make run    start the API on :8000 and the app on :3000 (Ctrl-C stops both)"
	@echo "make test   run every test (backend, frontend, end-to-end, smoke, load)"
	@echo "make seed   fill the database with demo tickets"
	@echo "make bench N=1000000   time every endpoint against raw SQL on N seeded tickets"
	@echo "make load   a 10-minute load and soak run (LOAD_USERS, LOAD_DURATION)"
	@echo "make load-streams   500 open event streams beside the mixed load (STREAMS, N)"
	@echo "make audit  known vulnerabilities in the dependencies"

$(BACKEND_STAMP): backend/requirements.txt backend/requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r backend/requirements-dev.txt
	touch $@

$(FRONTEND_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

install: $(BACKEND_STAMP) $(FRONTEND_STAMP)

migrate: $(BACKEND_STAMP)
	cd backend && ../$(PY) manage.py migrate --noinput

run: install migrate
	scripts/run.sh

seed: migrate
	cd backend && ../$(PY) manage.py seed_tickets

test: backend-test bench-smoke load-smoke frontend-test e2e-test smoke-run frontend-image-test

backend-test: $(BACKEND_STAMP)
	cd backend && ../$(PY) -m pytest

frontend-test: $(FRONTEND_STAMP)
	cd frontend && npm test

e2e-test: install
	scripts/e2e.sh

# The benchmark: a fresh PostgreSQL database tickets_bench_N on the server of
# BENCH_DATABASE_URL (default: postgres on 127.0.0.1:5432). BENCH_ARGS=--explain
# adds query plans. Results go to bench/results/.
N ?= 100000
bench: $(BACKEND_STAMP)
	$(PY) -m bench --n $(N) $(BENCH_ARGS)

# The benchmark at a small N: checks that it runs and that every fast path
# answers as the raw SQL does. It prints figures but asserts no timing.
bench-smoke: $(BACKEND_STAMP)
	$(PY) -m bench --n 2000 --smoke --database tickets_bench_smoke

# A fresh copy of the repository: `make run` serves both, Ctrl-C stops both.
smoke-run:
	scripts/smoke-run.sh

# The frontend image's build, serve and `npm test` steps, run without Docker.
frontend-image-test:
	scripts/smoke-frontend-image.sh

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist backend/db.sqlite3

# Load and soak (loadtest/run.py): gunicorn on PostgreSQL under mixed traffic, a slow
# fake LLM failing 5% of the time; then nothing lost, stats equal to SQL, memory flat.
# It uses a database of its own: the DATABASE_URL database's name + "_load".
LOAD_USERS ?= 50
LOAD_DURATION ?= 10m
load: $(BACKEND_STAMP)
	$(PY) loadtest/run.py --users $(LOAD_USERS) --duration $(LOAD_DURATION)

# The short run that `make test` includes.
load-smoke: $(BACKEND_STAMP)
	$(PY) loadtest/run.py --users 20 --duration 30s

# 500 open event streams beside the mixed load: p99 with and without them, memory
# per stream, delivery time of an event to every stream. Its own database.
STREAMS ?= 500
load-streams: $(BACKEND_STAMP)
	$(PY) loadtest/streams.py --n $(N) --streams $(STREAMS) --seconds 15

# Known vulnerabilities in the pinned backend requirements and the frontend's runtime packages.
audit: $(BACKEND_STAMP)
	$(PY) -m pip install --quiet pip-audit==2.10.1
	$(PY) -m pip_audit --strict -r backend/requirements.txt
	if [ -f frontend/package-lock.json ]; then cd frontend && npm audit --omit=dev; fi
