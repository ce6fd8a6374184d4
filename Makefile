# Followthrough: `make run` starts the product, `make test` proves it.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# The newest supported interpreter on this machine (3.13 preferred, 3.12 works).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)

.PHONY: run test test-browser bench loadtest lint format check lock clean screenshots

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or 3.13 is required (see .python-version)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps keep a second run fast: dependencies reinstall only when the lock file changes.
$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	@bin/dev

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.dev
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# The README's screenshots, from the browser tests' sample-data account (docs/screenshots/).
screenshots: $(VENV)/.dev
	SCREENSHOT_DIR=docs/screenshots $(PY) -m pytest -m browser tests/e2e/test_every_page.py -q $(PYTEST_ARGS)

# PYTEST_ARGS=tests/bench/test_pages_bench.py runs that benchmark alone (the default: all of them).
bench: $(VENV)/.dev
	$(PY) -m pytest -m bench -s -q $(or $(PYTEST_ARGS),tests/bench)

# Locust against gunicorn on PostgreSQL + a private Redis at full volume (tests/bench/test_loadtest.py).
# Stops everything it started, also on Ctrl-C. LOADTEST_USERS=5 LOADTEST_SECONDS=20 for a smoke run.
LOADTEST_USERS ?= 50
LOADTEST_SECONDS ?= 300
LOADTEST_UNLOADED_SECONDS ?= 90
LOADTEST_SCALE ?= 1
loadtest: $(VENV)/.dev
	@case "$$DATABASE_URL" in postgres*) ;; \
		*) echo "make loadtest needs PostgreSQL: set DATABASE_URL=postgres://…"; exit 1;; esac
	LOADTEST_USERS=$(LOADTEST_USERS) LOADTEST_SECONDS=$(LOADTEST_SECONDS) \
	LOADTEST_UNLOADED_SECONDS=$(LOADTEST_UNLOADED_SECONDS) LOADTEST_SCALE=$(LOADTEST_SCALE) \
		$(PY) -m pytest tests/bench/test_loadtest.py -m bench -s -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Re-lock after editing pyproject.toml: hashes only, no download addresses.
lock: $(VENV)/.dev
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.12 \
		--no-annotate --no-header -q -o requirements.txt
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.12 --no-annotate --no-header -q -o requirements-dev.txt

clean:
	rm -rf $(VENV) var
