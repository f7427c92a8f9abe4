# Vigía — `make run` serves the application at http://127.0.0.1:8000 with the official data;
# `make test` runs every test (SQLite, PostgreSQL, headless Chromium) and the benchmarks' smoke runs.
# Both create the virtual environment (.venv) on first use.
PYTHON ?= $(shell scripts/find-python)
VENV ?= .venv
PY := $(VENV)/bin/python
export VIGIA_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test bench clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Se necesita Python 3.12 o posterior"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/vigia serve --host 127.0.0.1 --port 8000

test: $(VENV)/.installed
	scripts/system-deps
	scripts/test-assets
	VIGIA_DATA_DIR=$(CURDIR)/var/test $(PY) -m pytest
	VIGIA_DATA_DIR=$(CURDIR)/var/test scripts/with-postgres $(PY) -m pytest tests/web tests/registry/test_postgres.py -m "not pages and not browser"
	$(PY) benchmarks/sinaplan.py --scale 0.01 --check
	$(PY) benchmarks/reports.py --smoke --check
	$(PY) benchmarks/registry.py --smoke --check
	$(PY) benchmarks/uploads.py --check
	$(PY) benchmarks/plans.py --indicators 300 --check
	VIGIA_DATA_DIR=$(CURDIR)/var/test $(PY) benchmarks/web_load.py --seconds 2 --clients 10 --only tablero portal "api avance"
	$(PY) benchmarks/ceplan_load.py --users 120 --seconds 5 --think 1 --check --target-ms 20000
	$(PY) benchmarks/page_weight.py --check

bench: $(VENV)/.installed
	scripts/system-deps
	$(PY) benchmarks/sinaplan.py
	$(PY) benchmarks/reports.py
	$(PY) benchmarks/registry.py
	$(PY) benchmarks/uploads.py
	$(PY) benchmarks/plans.py
	$(PY) benchmarks/web_load.py
	scripts/with-postgres $(PY) benchmarks/web_load.py
	$(PY) benchmarks/ceplan_load.py
	$(PY) benchmarks/page_weight.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
