# A fresh clone needs only Python 3.11+ and make. The first target run installs uv (exact
# version, hashes checked) into .tools, then uv builds .venv from uv.lock: the exact versions and
# hashes that passed at the last landing, never whatever is newest that day.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS := .tools
UV := $(TOOLS)/bin/uv
# Never let uv fetch a Python of its own: the machine's Python 3.11+ is the one.
UV_ENV := UV_PYTHON_DOWNLOADS=never UV_PYTHON=$(PYTHON)
LATEST := $(TOOLS)/latest

.PHONY: demo test test-latest lock check lint typecheck bench catalog clean

$(UV): requirements-uv.txt
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
		--no-deps --require-hashes \
		--upgrade --target $(TOOLS) -r requirements-uv.txt
	touch $(UV)

$(STAMP): $(UV) uv.lock pyproject.toml
	$(UV_ENV) $(UV) sync --quiet --locked --extra dev
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/educonnect demo --db demo-data/educonnect.json

# Two workers per core: a third of a worker's time is spent waiting (on Textual's idle
# points, server subprocesses, PostgreSQL, fsync), and a second worker computes meanwhile.
TEST_WORKERS ?= $(shell echo $$(( $$(nproc) * 2 )))
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal

# The suite against the newest versions pyproject.toml's ranges allow, in a throwaway
# environment; uv.lock and .venv are left as they are. Run it before `make lock`.
test-latest: $(UV)
	rm -rf $(LATEST)
	$(UV_ENV) $(UV) venv --quiet $(LATEST)
	$(UV_ENV) $(UV) pip install --quiet --python $(LATEST)/bin/python -e '.[dev]'
	$(UV) pip list --python $(LATEST)/bin/python
	$(LATEST)/bin/python -m pytest -p no:cacheprovider

# Refresh the lock on purpose: the newest versions the ranges allow, and the newest uv.
lock: $(UV)
	$(UV_ENV) $(UV) lock --upgrade
	printf 'uv\n' | $(UV_ENV) $(UV) pip compile --quiet --generate-hashes --universal \
		--python-version 3.11 --no-header - -o requirements-uv.new
	{ sed -n '1,2p' requirements-uv.txt; cat requirements-uv.new; } > requirements-uv.tmp
	mv requirements-uv.tmp requirements-uv.txt
	rm -f requirements-uv.new

lint: $(STAMP)
	$(BIN)/ruff check store services tui tests bench
	$(BIN)/ruff format --check store services tui tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

# The text catalog: locale/educonnect.pot extracted from the sources (babel.cfg says which), then
# the French source catalog updated from it. No creation date and no line numbers, so that the
# files change only when a message does (tests/test_catalog.py compares them with a fresh
# extraction). N_plural marks a counted module constant (services/i18n.py).
POT := locale/educonnect.pot
FR_PO := locale/fr/LC_MESSAGES/educonnect.po
catalog: $(STAMP)
	mkdir -p locale
	$(BIN)/pybabel -q extract -F babel.cfg -k N_plural:1,2 --add-location=file --sort-output \
		--project=educonnect-tui --copyright-holder="educonnect-tui" -o $(POT) .
	sed -i '/^"POT-Creation-Date:/d' $(POT)
	# French plurals as gettext writes them (CLDR's third form, for millions, is not used).
	test -f $(FR_PO) || { $(BIN)/pybabel -q init -w 200 -i $(POT) -d locale -D educonnect -l fr \
		&& sed -i 's/^"Plural-Forms: .*/"Plural-Forms: nplurals=2; plural=(n > 1);\\n"/' $(FR_PO); }
	$(BIN)/pybabel -q update -i $(POT) -d locale -D educonnect -l fr --no-fuzzy-matching \
		--ignore-obsolete
	sed -i '/^"POT-Creation-Date:/d; /^"PO-Revision-Date:/d' $(FR_PO)
	# The translations (issue 17): each updated from the .pot (a changed sentence keeps its old
	# translation marked fuzzy, which tests/test_translations.py refuses until it is checked),
	# then compiled. The .mo files are committed: the app reads them with the standard library's
	# gettext, and Babel is only a development tool. Compiled with a fixed date (pybabel compile
	# would write the day's), so that a .mo changes only when its .po does.
	for po in locale/*/LC_MESSAGES/educonnect.po; do \
		language=$$(basename $$(dirname $$(dirname $$po))); \
		test "$$language" = fr && continue; \
		$(BIN)/pybabel -q update -i $(POT) -d locale -D educonnect -l $$language --ignore-obsolete \
			&& sed -i '/^"POT-Creation-Date:/d; /^"PO-Revision-Date:/d' $$po \
			&& $(BIN)/python -c "$$COMPILE_MO" $$po || exit 1; \
	done

define COMPILE_MO
import datetime, sys
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
with open(sys.argv[1], "rb") as po:
    catalog = read_po(po)
catalog.creation_date = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[1][:-3] + ".mo", "wb") as mo:
    write_mo(mo, catalog)
endef
export COMPILE_MO

bench: $(STAMP)
	$(BIN)/python bench/store_bench.py

clean:
	rm -rf $(VENV) $(TOOLS) demo-data .pytest_cache .mypy_cache .ruff_cache
