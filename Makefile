# Two commands on a fresh machine: `make serve` and `make test`. Every target is safe to re-run.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.podium-installed
CHROMIUM := /usr/lib/chromium/chromium-headless-shell
# apt needs root; use sudo when we are not root and it is there.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

.PHONY: setup browser serve build test lint bench images clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Debian's headless Chromium for the browser tests (never `playwright install`: it cannot download here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends chromium-headless-shell fonts-liberation2 >/dev/null; \
	fi

build: setup
	$(VENV)/bin/podium build slides -o _site

serve: setup
	$(VENV)/bin/podium build slides -o _site
	@echo "Open _site/intro-keras/index.html in a browser (presenter view: press p)."

lint: setup
	$(PY) -m ruff check src tests benchmarks scripts
	$(PY) -m ruff format --check src tests benchmarks scripts
	$(PY) -m mypy

test: setup browser lint
	$(PY) -m pytest

clean:
	rm -rf _site dist build .pytest_cache .mypy_cache .ruff_cache
