# Two commands for a fresh machine (Python 3.11 is all they need):
#   make run    install, migrate, load the seed data, start the server on SQLite
#   make test   install dev tools, run every check, then the suite on SQLite and PostgreSQL
# .ci/run calls `make test` with REQUIRE_POSTGRES=1, so a skipped PostgreSQL run fails CI.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): one per core of the 2-core CI machine.
TEST_WORKERS ?= 2

.PHONY: run test check pytest pytest-postgres api-fuzz messages bench replica-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet ".[dev]"
	touch $@

run: $(VENV)/.runtime
	DJANGO_DEBUG=1 $(MANAGE) migrate --no-input
	DJANGO_DEBUG=1 $(MANAGE) prepare_local_site --url http://$(HOST):$(PORT)/admin/
	DJANGO_DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# Static checks first: lint, format, Django's system checks (also against production-like
# settings), migrations in step with the models, and the seed fixture in step with its builder.
check: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	DJANGO_DEBUG=1 $(MANAGE) check --fail-level WARNING
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(MANAGE) edition_models --check
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  DJANGO_ALLOWED_HOSTS=tracker.example.org DJANGO_SECURE_HSTS_SECONDS=31536000 \
	  DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS=1 DJANGO_SECURE_HSTS_PRELOAD=1 \
	  $(MANAGE) check --deploy --fail-level WARNING
	$(BIN)/python fixtures/build_seed.py --check

pytest: $(VENV)/.dev
	@echo "=== test suite on SQLite ==="
	env -u DATABASE_URL $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Exit code 77 from scripts/with-postgres means: no PostgreSQL server binaries here.
pytest-postgres: $(VENV)/.dev
	@echo "=== test suite on PostgreSQL ==="
	@rc=0; scripts/with-postgres $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 77 ]; then \
	  echo "PostgreSQL run SKIPPED: no PostgreSQL server binaries (apt-get install postgresql)."; \
	  if [ -n "$$REQUIRE_POSTGRES" ]; then echo "REQUIRE_POSTGRES is set: failing."; exit 1; fi; \
	elif [ $$rc -ne 0 ]; then exit $$rc; fi

# schemathesis against a real server (gunicorn) with the seed data; bounded and seeded.
api-fuzz: $(VENV)/.dev
	@echo "=== schemathesis against the running API ==="
	scripts/api-fuzz

test: check pytest pytest-postgres api-fuzz

# For developers: re-extract the strings marked for translation, update locale/*/django.po
# (and every app's own locale/), and compile the committed .mo files. Python only (polib).
messages: $(VENV)/.dev
	DJANGO_DEBUG=1 $(BIN)/python -m tracker.catalogues

# Not part of `make test`: the API, the exports and the editors' admin at scale over HTTP
# through gunicorn, on a throwaway PostgreSQL (benchmarks/run.py, benchmarks/admin.py).
# Over 2 hours on 2 cores (at 100,000 people: 25 min to generate, 60 to measure); a smoke run:
# BENCH_SIZES=2000 BENCH_IMPORT_ROWS=500.
BENCH_SIZES ?= 10000 100000
bench: $(VENV)/.dev
	BENCH_SIZES="$(BENCH_SIZES)" $(BIN)/python -m benchmarks.run

# Not part of `make test`: a primary and a logical replica of the edition on loopback, a
# public process on each with the read-only role, and the checks of scripts/replica_check.py.
replica-check: $(VENV)/.dev
	$(BIN)/python scripts/replica_check.py

clean:
	rm -rf $(VENV) var staticfiles test-artifacts
