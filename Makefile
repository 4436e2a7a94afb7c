# The two commands a newcomer needs: `make run` and `make test`.
# Both install what they need on first use.

PYTHON ?= python3
VENV := backend/.venv
PY := $(VENV)/bin/python
BACKEND_STAMP := $(VENV)/.installed
FRONTEND_STAMP := frontend/node_modules/.installed

.PHONY: help install run seed test backend-test frontend-test e2e-test migrate clean \
	bench bench-smoke bench-migrations backend-test-pgbouncer smoke-run frontend-image-test load load-smoke \
	audit lock lint format eval-triage eval-triage-smoke backup restore load-streams lighthouse

help:
	@echo "make run    start the API on :8000 and the app on :3000 (Ctrl-C stops both)"
	@echo "make test   run the linters, then every test (backend, frontend, end-to-end, smoke, load)"
	@echo "make lint   ruff (Python), ESLint and Prettier (frontend); make format fixes what they can"
	@echo "make seed   fill the database with demo tickets"
	@echo "make bench N=1000000   time every endpoint against raw SQL on N seeded tickets"
	@echo "make load   a 10-minute load and soak run (LOAD_USERS, LOAD_DURATION)"
	@echo "make eval-triage   score the configured LLM, the similar classifier and the defaults"
	@echo "make load-streams   500 open event streams beside the mixed load (STREAMS, N)"
	@echo "make lighthouse   Lighthouse scores of the built app (mobile preset)"
	@echo "make audit  known vulnerabilities in the dependencies"
	@echo "make lock   re-pin backend/requirements*.txt (with hashes) from requirements*.in"
	@echo "make backup            a consistent dump of the database to backups/"
	@echo "make restore FILE=...  restore a dump into an empty database (FORCE=1 replaces a non-empty one)"

$(BACKEND_STAMP): backend/requirements.txt backend/requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r backend/requirements-dev.txt
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

# The linters run first and stop the run on any finding.
test: lint backend-test eval-triage-smoke bench-smoke load-smoke frontend-test e2e-test smoke-run frontend-image-test

# Python: ruff lint and format check (ruff.toml); frontend: ESLint and Prettier.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	cd frontend && npm run lint

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	cd frontend && npm run format

backend-test: $(BACKEND_STAMP)
	scripts/ensure-nginx.sh
	cd backend && ../$(PY) -m pytest

frontend-test: $(FRONTEND_STAMP)
	cd frontend && npm test

e2e-test: install
	scripts/e2e.sh

# Lighthouse (mobile preset) on the production build as the image serves it, against the
# real API: prints the four scores and the Core Web Vitals; not part of `make test`.
lighthouse: install
	scripts/e2e.sh node tools/lighthouse.mjs

# The benchmark: a fresh PostgreSQL database tickets_bench_N on the server of
# BENCH_DATABASE_URL (default: postgres on 127.0.0.1:5432). BENCH_ARGS=--explain
# adds query plans. Results go to bench/results/.
N ?= 100000
bench: $(BACKEND_STAMP)
	$(PY) -m bench --n $(N) $(BENCH_ARGS)

# Migrations under load: a database built and served by an older commit's code
# (default: the last one before any migration past tickets 0004), N tickets, the
# mixed load, then this checkout's migrations; failed requests and lock waits.
bench-migrations: $(BACKEND_STAMP)
	$(PY) -m bench.migrations --n $(N) $(BENCH_ARGS)

# The backend's live-server tests with a PgBouncer (transaction pooling) of their own in front.
backend-test-pgbouncer: $(BACKEND_STAMP)
	cd backend && LIVE_THROUGH_PGBOUNCER=1 ../$(PY) -m pytest tickets/tests/test_faults.py \
		tickets/tests/test_hardening.py tickets/tests/test_pgbouncer.py tickets/tests/test_rolling_restart.py

# The benchmark at a small N: checks that it runs and that every fast path
# answers as the raw SQL does. It prints figures but asserts no timing.
bench-smoke: $(BACKEND_STAMP)
	$(PY) -m bench --n 2000 --smoke --database tickets_bench_smoke

# The triage evaluation on the labelled set (backend/triage/evaluation/): the LLM that
# OPENAI_API_KEY / OPENAI_BASE_URL / OPENAI_MODEL configure, the `similar` classifier
# (5-fold cross-validation) and the defaults. Results go to bench/results/.
eval-triage: $(BACKEND_STAMP)
	cd backend && ../$(PY) -m triage.evaluation $(EVAL_ARGS)

# The same against the fake LLM; fails unless `similar` beats the defaults.
eval-triage-smoke: $(BACKEND_STAMP)
	cd backend && ../$(PY) -m triage.evaluation --fake-llm --check

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

# 500 open event streams beside the mixed load, in rounds without and with them: p99 of
# each, memory per stream, delivery time of an event to every stream. Its own database.
STREAMS ?= 500
load-streams: $(BACKEND_STAMP)
	$(PY) loadtest/streams.py --n $(N) --streams $(STREAMS) --seconds 10 --rounds 3

# Known vulnerabilities in the pinned backend requirements and the frontend's runtime packages.
audit: $(BACKEND_STAMP)
	$(PY) -m pip install --quiet pip-audit==2.10.1
	$(PY) -m pip_audit --strict -r backend/requirements.txt
	if [ -f frontend/package-lock.json ]; then cd frontend && npm audit --omit=dev; fi

# Pin every backend dependency, transitive ones included, with their hashes:
# requirements.in -> requirements.txt (the API image), requirements-dev.in ->
# requirements-dev.txt (tests and tools, same runtime versions). Run it after
# editing a .in file; versions already pinned stay unless the .in file changes them.
PIP_COMPILE := cd backend && CUSTOM_COMPILE_COMMAND="make lock" ../$(PY) -m piptools compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in

# Backup and restore of the database in DATABASE_URL (DATABASE_DIRECT_URL when set):
# pg_dump custom format or SQLite's online backup, to backups/<name>-<UTC time>.
backup: $(BACKEND_STAMP)
	cd backend && ../$(PY) manage.py backup_database --directory ../backups

restore: $(BACKEND_STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file> [FORCE=1]"; exit 2; }
	cd backend && ../$(PY) manage.py restore_database "$(abspath $(FILE))" $(if $(FORCE),--force)
