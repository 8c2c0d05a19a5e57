# Two commands do all the set-up: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test serve lint migrate seed bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps, so that a second run skips installs when pyproject.toml has not changed.
$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet '.[dev]'
	touch $@ $(VENV)/.installed-run

migrate: $(VENV)/.installed-run
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo --if-empty

## make run: install, migrate, load demo data, then serve on http://127.0.0.1:8000 (SQLite by
## default) with a background worker beside it; Ctrl-C stops both (config/Procfile.dev)
run: seed
	$(BIN)/honcho -f config/Procfile.dev -d . start

## make test: install test tools, then lint, migrations check and the whole suite, spread over
## the machine's cores (pytest-xdist; a module's tests stay on one worker)
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n auto --dist loadscope $(PYTEST_ARGS)

## make serve: daphne (HTTP and WebSocket) and a task worker with production settings (config/Procfile); needs
## SECRET_KEY, SITE_URL, DATABASE_URL, ALLOWED_HOSTS
serve: $(VENV)/.installed-run
	DEBUG=0 $(MANAGE) migrate --noinput
	DEBUG=0 $(MANAGE) collectstatic --noinput
	DEBUG=0 $(BIN)/honcho -f config/Procfile -d . start

## make bench: page timings and query counts on generated data, in a throwaway database
bench: $(VENV)/.installed-dev
	$(MANAGE) bench

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
