# Two commands on a fresh machine with Python 3.11 and Node.js 20 (npm): `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
NPM    ?= npm
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?= -n 2

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the package definition changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# Browser packages (package-lock.json pins them): installed again only when the lock file
# changes; what the pages load is copied to app/static/vendor/ (built, never committed).
node_modules/.installed: package.json package-lock.json
	@command -v $(NPM) >/dev/null || { echo "npm not found: install Node.js 20 (it brings npm)" >&2; exit 1; }
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

VENDOR := app/static/vendor/.built
$(VENDOR): node_modules/.installed
	$(NPM) run --silent vendor
	touch $@

run: $(VENV)/.installed $(VENDOR)
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test $(VENDOR)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.check_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis node_modules app/static/vendor
