# Two commands on a fresh Debian machine:
#   make demo   build .venv, install layermodel (and Graphviz if missing), run the demo
#   make test   lint, type-check, run the whole test suite and build the docs site

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DIR ?= layermodel-demo

.PHONY: demo test lint typecheck unit docs bench bench-analyze bench-render graphviz browser venv clean lint-assets

venv: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "layermodel needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

# Graphviz's `dot` renders the diagrams. Installed with apt-get when it is missing and
# apt is usable (as root, or with password-less sudo); otherwise we say how.
graphviz:
	@if command -v dot >/dev/null 2>&1; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Graphviz with apt-get..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  echo "Installing Graphviz with sudo apt-get..."; \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	else \
	  echo "Graphviz (the 'dot' program) is not installed; diagrams need it."; \
	  echo "  Debian/Ubuntu: sudo apt-get install graphviz    macOS: brew install graphviz"; \
	fi

# The browser tests drive Debian's chromium with Playwright (never a downloaded
# browser) and check Mermaid output with the real Mermaid parser from npm. Chromium
# (and npm) are installed like Graphviz; Mermaid with `npm ci` when node_modules is
# missing or older than the lock file.
BROWSER_DIR := tests/browser
browser:
	@pkgs=""; \
	command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || pkgs="chromium"; \
	command -v npm >/dev/null 2>&1 || pkgs="$$pkgs npm"; \
	if [ -z "$$pkgs" ]; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing$$pkgs with apt-get for the browser tests..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then \
	  echo "Installing$$pkgs with sudo apt-get for the browser tests..."; \
	  sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$pkgs >/dev/null; \
	else \
	  echo "Not installed:$$pkgs; the browser tests that need them will be skipped."; \
	  echo "  Debian/Ubuntu: sudo apt-get install chromium npm"; \
	fi
	@if command -v npm >/dev/null 2>&1 && { [ ! -f $(BROWSER_DIR)/node_modules/.package-lock.json ] || \
	    [ $(BROWSER_DIR)/package-lock.json -nt $(BROWSER_DIR)/node_modules/.package-lock.json ]; }; then \
	  echo "Installing Mermaid for the browser tests (npm ci)..."; \
	  cd $(BROWSER_DIR) && npm ci --silent --no-audit --no-fund; \
	fi

# The HTML page's CSS and JavaScript (package files under diagrams/html/assets) are
# checked with stylelint and ESLint, installed by `npm ci` in $(BROWSER_DIR) with the
# browser tests' packages; the configs are $(BROWSER_DIR)/*.config.mjs.
ASSETS_DIR := src/layermodel/diagrams/html/assets
SITE_ASSETS_DIR := src/layermodel/site/assets
lint-assets: browser
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to lint $(ASSETS_DIR)"; exit 1; }
	$(BROWSER_DIR)/node_modules/.bin/eslint --config $(BROWSER_DIR)/eslint.config.mjs --max-warnings 0 $(ASSETS_DIR) $(SITE_ASSETS_DIR)
	$(BROWSER_DIR)/node_modules/.bin/stylelint --config $(BROWSER_DIR)/stylelint.config.mjs --max-warnings 0 '$(ASSETS_DIR)/*.css' '$(SITE_ASSETS_DIR)/*.css'

demo: $(STAMP) graphviz
	$(BIN)/layermodel demo $(DEMO_DIR)
	@echo "(The layermodel command is in $(BIN); run '. $(BIN)/activate' to put it on your PATH.)"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks examples docs
	$(BIN)/ruff format --check src tests benchmarks examples docs
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

# In parallel, one worker a core (pytest-xdist); worksteal: an idle worker takes tests
# queued on a busy one, so a long test (the 1,500-page site crawl) does not end the run
# alone. The slow tests start first (tests/conftest.py).
unit: $(STAMP) graphviz browser
	$(BIN)/pytest -q -n auto --dist worksteal

# The documentation site, into site/. --strict: a broken link, a missing page or an
# API reference that does not resolve fails the build, and so `make test`.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

test: lint lint-assets typecheck unit docs

# Benchmarks take minutes; they run outside `make test`.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py

bench-analyze: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py --sizes 10000 100000 --repeat 3 --peer

bench-render: $(STAMP) graphviz
	$(BIN)/python benchmarks/bench_render.py --repeat 3

clean:
	rm -rf $(VENV) build dist site *.egg-info .pytest_cache .mypy_cache .ruff_cache $(DEMO_DIR)
