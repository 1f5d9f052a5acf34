# Two commands on a fresh machine: `make serve` and `make test`. Every target is safe to re-run.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# Two installs, each stamped: what presenting needs (podium and its runtime dependencies), and
# the developer's (that plus the test extras: pytest, Playwright, Selenium, linters).
RUNTIME_STAMP := $(VENV)/.podium-runtime
STAMP := $(VENV)/.podium-installed
# Debian packages of the browser tests: Chromium and Firefox (driven by Playwright), WebKit
# (WebKitGTK's WebDriver, driven by Selenium, needs an X server: Xvfb) and fonts (the extra
# DejaVu has a MATH font: MathML's stretched delimiters and big operators). About 900 MB with LibreOffice.
# LibreOffice Impress is the real client that opens `podium export pptx` files in a test.
CHROMIUM_PACKAGES := chromium-headless-shell fonts-liberation2
BROWSER_PACKAGES := $(CHROMIUM_PACKAGES) firefox-esr webkit2gtk-driver xvfb fonts-dejavu-core \
	fonts-dejavu-extra libreoffice-impress
# apt needs root; use sudo when we are not root and it is there.
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo)

# apt-get only the packages not installed yet (nothing to do, no apt-get update, when all are).
define apt_install
	@missing=$$(for p in $(1); do \
		dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q 'ok installed' || echo "$$p"; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "apt-get install" $$missing; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

.PHONY: setup runtime browser browsers serve build test lint bench bench-marp bench-export bench-serve bench-page images clean

# The developer's install (tests, lint); `make serve` and `make build` need only `runtime`.
setup: $(STAMP)
runtime: $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -e '.[test]'
	touch $(RUNTIME_STAMP) $@

# Debian's browsers, never `playwright install` (it downloads from a CDN, which fails here).
# `browser`: headless Chromium only (benchmarks, images); `browsers`: every engine the tests use.
browser:
	$(call apt_install,$(CHROMIUM_PACKAGES))

browsers:
	$(call apt_install,$(BROWSER_PACKAGES))

build: runtime
	$(VENV)/bin/podium build slides -o _site

# Present the Keras deck with live reload: edit slides/intro-keras.md and the browser follows.
serve: runtime
	$(VENV)/bin/podium serve slides/intro-keras.md $(SERVE_ARGS)

lint: setup
	$(PY) -m ruff check src tests benchmarks scripts
	$(PY) -m ruff format --check src tests benchmarks scripts
	$(PY) -m mypy
	$(VENV)/bin/lint-imports --no-cache

test: setup browsers lint
	$(PY) -m pytest

# Peers for the benchmark, installed beside it (never into the project venv); each step
# runs only when its tool is missing, and a failed install only makes the bench skip it.
BENCH_PEERS := benchmarks/.venv-peers
MARP := benchmarks/node_modules/.bin/marp

# marp-cli from npm into benchmarks/node_modules, pinned by the committed lock file.
bench-marp:
	@if [ ! -x $(MARP) ]; then \
		if ! command -v npm >/dev/null; then echo "bench: npm not found, marp will be skipped"; \
		elif [ -f benchmarks/package-lock.json ]; then \
			npm ci --prefix benchmarks --no-audit --no-fund --loglevel=error || echo "bench: marp-cli install failed, it will be skipped"; \
		else \
			npm install --prefix benchmarks --no-audit --no-fund --loglevel=error @marp-team/marp-cli@4 || echo "bench: marp-cli install failed, it will be skipped"; \
		fi; \
	fi

# Build speed next to the peers, then PDF export next to marp --pdf (its own options: make
# bench-export BENCH_ARGS=...).
bench: setup browser bench-marp
	@if [ ! -x $(BENCH_PEERS)/bin/darkslide ]; then \
		{ test -x $(BENCH_PEERS)/bin/python || $(PYTHON) -m venv $(BENCH_PEERS); } && \
		$(BENCH_PEERS)/bin/python -m pip install --quiet --disable-pip-version-check 'darkslide==6.0.0' \
		|| echo "bench: darkslide install failed, it will be skipped"; \
	fi
	$(PY) benchmarks/bench_build.py $(BENCH_ARGS)
	$(PY) benchmarks/bench_export.py

# PDF export next to marp --pdf (Keras and 100 slides), both printing with Debian's headless
# Chromium (marp is given its path; nothing downloads a browser).
bench-export: setup browser bench-marp
	$(PY) benchmarks/bench_export.py $(BENCH_ARGS)

# Save-to-screen latency of `podium serve` in headless Chromium (Keras and 1000 slides).
bench-serve: setup browser
	$(PY) benchmarks/bench_serve.py $(BENCH_ARGS)

# The audience view in headless Chromium: time to interactive, next-slide time.
bench-page: setup browser
	$(PY) benchmarks/bench_page.py $(BENCH_ARGS)

# Redraw the Keras deck's figures (needs Debian's fonts-inter and fonts-jetbrains-mono).
images: setup browser
	$(PY) scripts/make_images.py

clean:
	rm -rf _site dist build .pytest_cache .mypy_cache .ruff_cache
