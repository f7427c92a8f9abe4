# Vigía — `make run` shows the 2024 progress of the policy; `make test` runs every test and the
# benchmarks' smoke runs. Both create the virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: run test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(VENV)/bin/vigia progress pnp2030 --year 2024

test: $(VENV)/.installed
	$(PY) -m pytest
	$(PY) benchmarks/sinaplan.py --scale 0.01 --check

bench: $(VENV)/.installed
	$(PY) benchmarks/sinaplan.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
