# Two commands on a fresh machine with Python 3.11 and Node.js 20 (npm): `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
NPM    ?= npm
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app
HOST   ?= 127.0.0.1
PORT   ?= 5000
PYTEST_ARGS ?= -n 2

.PHONY: run test lint bench clean translations

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

# The Chinese catalogue, compiled from the .po in the repository (the .mo is built, not kept).
CATALOGUES := app/translations/zh_Hans/LC_MESSAGES/messages.mo
$(CATALOGUES): app/translations/zh_Hans/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -d app/translations

# After changing wrapped strings: collect them and merge them into the catalogue to translate.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F app/translations/babel.cfg -k _l -k N_ -o app/translations/messages.pot .
	$(BIN)/pybabel -q update -N --ignore-obsolete -d app/translations -i app/translations/messages.pot

run: $(VENV)/.installed $(VENDOR) $(CATALOGUES)
	$(FLASK) db upgrade
	$(FLASK) demo seed
	$(FLASK) run --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test $(VENDOR) $(CATALOGUES)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/lint-imports

bench: $(VENV)/.installed-test
	$(BIN)/python -m bench.check_bench

clean:
	rm -rf $(VENV) $(CATALOGUES) .pytest_cache .ruff_cache .hypothesis node_modules app/static/vendor
