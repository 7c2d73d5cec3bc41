# Two commands do all the set-up on a fresh machine:
#   make run   - create .venv if missing, install, rebuild outputs/ from corpus/
#   make test  - create .venv if missing, install with test extras, run the tests
# The browser tests need Debian's chromium and chromium-driver (.ci/run installs them).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test bench check-outputs screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# constraints.txt pins every dependency: outputs/ is rebuilt byte for byte only with the
# same library versions (Parquet and OpenCC output depend on them).
# An editable install leaves the package's own modules uncompiled, and with
# PYTHONDONTWRITEBYTECODE set every run compiles them again (a tenth of a short plan's
# start-up): compile them once here, as pip does for an installed wheel.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e .
	$(BIN)/python -m compileall -q src
	@touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	$(BIN)/python -m compileall -q src
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

# The review reports of the bundled corpus and of the two dev sets, written below $(1).
REVIEWS = $(BIN)/policy-targets review corpus/raw --gold corpus/gold -o $(1)/review/corpus \
	&& $(BIN)/policy-targets review corpus/dev/raw --gold corpus/dev/gold -o $(1)/review/dev \
	&& $(BIN)/policy-targets review corpus/dev2/raw --gold corpus/dev2/gold -o $(1)/review/dev2

run: install
	$(BIN)/policy-targets dataset --corpus bundled=corpus/raw --gold bundled=corpus/gold --corpus dev=corpus/dev/raw --gold dev=corpus/dev/gold --corpus dev2=corpus/dev2/raw --gold dev2=corpus/dev2/gold --output outputs
	$(call REVIEWS,outputs)

test: install-test
	$(BIN)/python -m pytest

# Rebuild the dataset and the reports in a temporary folder and fail if they differ from outputs/.
check-outputs: install
	tmp=$$(mktemp -d) && $(BIN)/policy-targets dataset --out "$$tmp" && $(call REVIEWS,"$$tmp") && diff -r "$$tmp" outputs && rm -rf "$$tmp"

# The README's pictures of the report (docs/review-index.png, docs/review-plan.png), taken by
# the browser test in Debian's headless Chromium.
screenshots: install-test
	REVIEW_SCREENSHOTS=docs $(BIN)/python -m pytest -q tests/test_review_browser.py -k screenshot

# The benchmark writes its format fixtures with the test extra's PDF library.
bench: install-test
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
