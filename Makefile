# Two commands a newcomer needs: `make run` and `make test`. Each sets up .venv on first use.
PYTHON ?= python3
VENV ?= .venv
STAMP := $(VENV)/.installed
ARGS ?=
# make run serves the web client here too (WEB_PORT= turns it off).
WEB_PORT ?= 4080

.PHONY: run test test-slow test-browser test-min test-all bench bench-server fuzz clean lint confusables

$(STAMP): pyproject.toml Makefile
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/python -m pip install --quiet -e '.[test,lint]' --config-settings editable_mode=compat
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/tessera run $(if $(WEB_PORT),--web-port $(WEB_PORT)) $(ARGS)

# The suite but its slow tier (tests/slow, tens of seconds a test) and its browser tier
# (tests/browser), which CI runs too.
FAST_TESTS := $(filter-out tests/slow/ tests/browser/,$(sort $(dir $(wildcard tests/*/__init__.py)))) \
	$(wildcard tests/test_*.py)

# The whole suite (no TESTS=) is followed by the checks (make lint): what lands
# on main stays clean.
test: $(STAMP)
	$(VENV)/bin/python -m twisted.trial $(or $(TESTS),$(FAST_TESTS))
	$(if $(TESTS),,@$(MAKE) --no-print-directory lint)

test-slow: $(STAMP)
	$(VENV)/bin/python -m twisted.trial tests.slow

# The browser tier: the web client in Debian's headless Chromium, driven by selenium through
# Debian's chromedriver (both installed with apt-get when missing, as root; CI is root).
BROWSER_STAMP := $(VENV)/.browser
$(BROWSER_STAMP): $(STAMP)
	@$(VENV)/bin/python -m pip install --quiet -e '.[test,lint,browser]' --config-settings editable_mode=compat
	@touch $(BROWSER_STAMP)

test-browser: $(BROWSER_STAMP)
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "make test-browser needs chromium and chromedriver:" \
	      "sudo apt-get install chromium chromium-driver" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium chromium-driver >/dev/null; \
	fi
	$(VENV)/bin/python -m twisted.trial tests.browser

# The suite against the oldest versions pyproject.toml allows (each ">=X" pinned "==X"), in .venv-min.
test-min:
	@test -x .venv-min/bin/python || $(PYTHON) -m venv .venv-min
	@.venv-min/bin/python -c 'import re, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(re.sub(r">=", "==", d) for d in p["dependencies"] + p["optional-dependencies"]["test"]))' \
	  > .venv-min/pins.txt
	@.venv-min/bin/python -m pip install --quiet -r .venv-min/pins.txt
	@.venv-min/bin/python -m pip install --quiet --no-deps -e . --config-settings editable_mode=compat
	.venv-min/bin/python -m twisted.trial $(FAST_TESTS)

# The suite on every supported CPython: 3.11, 3.12 and 3.13, found on PATH or under pyenv.
test-all:
	@set -e; for v in 3.11 3.12 3.13; do \
	  py=$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$$v.*/bin/python$$v 2>/dev/null | tail -1); \
	  if [ -z "$$py" ]; then py=$$(command -v python$$v || true); fi; \
	  if [ -z "$$py" ]; then echo "python$$v not found (install it, e.g. with pyenv)" >&2; exit 1; fi; \
	  echo "== Python $$v ($$py) =="; \
	  $(MAKE) --no-print-directory test test-slow PYTHON=$$py VENV=.venv-$$v; \
	done

# Regenerate world/confusables.txt (the UTS #39 skeleton table names are compared by) from
# ICU's spoof checker, after a new Unicode release: PyICU's wheels in a throwaway venv on the
# oldest supported Python. The server itself never needs ICU.
PYTHON_OLDEST ?= python3.11
confusables:
	@test -x .venv-icu/bin/python || $(PYTHON_OLDEST) -m venv .venv-icu
	@.venv-icu/bin/python -m pip install --quiet --upgrade pyicu-wheels
	PYTHONPATH=. .venv-icu/bin/python -m world.confusables

# The fuzz tier's long form (its short form runs in make test): every attack class for minutes, thousands
# of generated telnet streams, twenty rounds of kill -9; prints the figures docs/reliability.md records.
fuzz: $(STAMP)
	TESSERA_FUZZ=long $(VENV)/bin/python -m twisted.trial tests.fuzz

bench: $(STAMP)
	@$(VENV)/bin/python -m pip install --quiet -e '.[test,bench]' --config-settings editable_mode=compat
	$(VENV)/bin/python -m bench $(ARGS)

# The server under telnet load, beside Evennia 6.1 (installed from the package
# index into .bench-server/evennia-venv, with Python 3.12+ from PATH or pyenv).
# Long: ARGS=--quick for a few minutes' run while developing.
bench-server: $(STAMP)
	$(VENV)/bin/python -m bench.server $(ARGS)

# ruff (rules chosen in pyproject.toml) and mypy with the zope plugin.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .venv-3.* _trial_temp build *.egg-info
