# Rehab: `make run` serves the app on SQLite, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
CATALOGUES := rehab/translations/nl/LC_MESSAGES/messages.mo rehab/translations/en/LC_MESSAGES/messages.mo
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?= -n auto

.PHONY: run demo install install-dev test bench lighthouse lint format translations compile-translations migrate clean system-check

# Demo log-ins (published passwords) only on the embedded SQLite default; with DATABASE_URL
# set, `make run` serves that database as it is (`make demo` adds them on purpose).
run: install compile-translations
	$(FLASK) db upgrade
	$(FLASK) rehab load-library
	@if [ -z "$$DATABASE_URL" ]; then $(FLASK) rehab seed-demo --if-empty; \
	else echo "DATABASE_URL is set: no demo accounts added (make demo adds them)."; fi
	@echo "Rehab runs at http://$(HOST):$(PORT)  (stop with Ctrl+C)"
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) --workers 2 wsgi:app

demo: install compile-translations
	$(FLASK) db upgrade
	$(FLASK) rehab load-library
	$(FLASK) rehab seed-demo --if-empty --any-database

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

install: $(STAMP)

install-dev: $(DEV_STAMP)

compile-translations: $(CATALOGUES)

rehab/translations/%/LC_MESSAGES/messages.mo: rehab/translations/%/LC_MESSAGES/messages.po | $(BIN)/python
	$(BIN)/pybabel compile --statistics -d rehab/translations -l $* 2>&1 | tail -n 1

system-check:
	@scripts/ensure-system-packages

test: install-dev compile-translations system-check
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Benchmarks (not part of `make test`): pages and PDFs on SQLite and PostgreSQL, demo and
# clinic scale; writes the table into benchmarks/README.md. E.g. make bench BENCH_ARGS=--quick
BENCH_ARGS ?=
bench: install-dev compile-translations
	PYTHONPATH=. $(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Lighthouse 12.2.3 (mobile) on the patient's Today page with the system Chromium; installed
# with npm into LIGHTHOUSE_DIR, outside the repository. Results: benchmarks/README.md.
LIGHTHOUSE_DIR ?= /tmp/rehab-lighthouse
lighthouse: install-dev compile-translations
	@test -x $(LIGHTHOUSE_DIR)/node_modules/.bin/lighthouse || \
		(mkdir -p $(LIGHTHOUSE_DIR) && cd $(LIGHTHOUSE_DIR) && npm init -y >/dev/null && \
		 npm install --no-audit --no-fund -E lighthouse@12.2.3)
	PYTHONPATH=. $(BIN)/python benchmarks/lighthouse.py --lighthouse $(LIGHTHOUSE_DIR)

# After changing user-facing text: extract, merge into both catalogues, then translate the
# new Dutch entries in rehab/translations/nl/LC_MESSAGES/messages.po.
translations: install-dev
	$(BIN)/pybabel extract --no-location --sort-output --width 100 -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 -o rehab/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --ignore-obsolete --width 100 -i rehab/translations/messages.pot -d rehab/translations
	$(BIN)/python scripts/english_catalogue.py

# After changing models: make a reviewed Alembic revision, e.g. make migrate m="add check-ins"
migrate: install-dev
	$(FLASK) db migrate -m "$(m)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
