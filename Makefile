# Two commands do all the set-up on a fresh machine:
#   make run   - create .venv if missing, install, rebuild outputs/ from corpus/
#   make test  - create .venv if missing, install with test extras, run the tests
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test bench check-outputs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt pins every dependency: outputs/ is rebuilt byte for byte only with the
# same library versions (Parquet and OpenCC output depend on them).
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/policy-targets dataset --corpus bundled=corpus/raw --gold bundled=corpus/gold --corpus dev=corpus/dev/raw --gold dev=corpus/dev/gold --output outputs

test: install-test
	$(BIN)/python -m pytest

# Rebuild the dataset in a temporary folder and fail if it differs from outputs/.
check-outputs: install
	tmp=$$(mktemp -d) && $(BIN)/policy-targets dataset --out "$$tmp" && diff -r "$$tmp" outputs && rm -rf "$$tmp"

bench: install
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
