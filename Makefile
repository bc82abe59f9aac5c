# Two commands do all the set-up on a fresh machine:
#   make run   - create .venv from pyproject.toml, run the bundled scenarios, write the report
#   make test  - create .venv from pyproject.toml (with test extras), run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= outputs/main
REPLICATES ?= 20
UNTIL  ?= 2035-12-31

.PHONY: run test bench lint clean venv

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# the test extras add pytest, hypothesis and ema_workbench (for the EMA export's round trip)
$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(BIN)/.installed

run: $(BIN)/.installed
	$(BIN)/greensim run scenarios/no_transition.yaml scenarios/as_reported.yaml \
		--until $(UNTIL) --replicates $(REPLICATES) --out $(OUT)
	$(BIN)/greensim report $(OUT)/no_transition $(OUT)/as_reported --base no_transition \
		--out $(OUT)/report.html

test: $(BIN)/.installed-test
	$(BIN)/python -m pytest -q

bench: $(BIN)/.installed
	$(BIN)/greensim bench

lint: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/ruff check sim tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) outputs/main
