# Buurthuis — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
APP    := $(BIN)/flask --app wsgi
PO     := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)

.PHONY: install run serve test test-sqlite test-postgresql lint format translations-extract translations-check bench clean vendor

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@ -l $*

install: $(VENV)/.installed $(MO)

# A local development instance: generated secret key, plain HTTP, the mail viewer at /post.
run: export BUURTHUIS_ENV = development
run: install
	$(APP) db upgrade
	$(APP) demo
	@echo "Buurthuis draait op http://127.0.0.1:5000 (stoppen met Ctrl+C)"
	$(APP) run --host 127.0.0.1 --port 5000

test: install lint translations-check
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		$(MAKE) --no-print-directory test-postgresql; \
	else \
		echo "TEST_DATABASE_URL is not set: the suite ran on SQLite only."; \
	fi

test-sqlite: install
	@echo "== test suite on SQLite =="
	$(BIN)/python -m pytest

test-postgresql: install
	@echo "== test suite on PostgreSQL ($$TEST_DATABASE_URL) =="
	TEST_DB_URL="$$TEST_DATABASE_URL" $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

translations-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -o translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete -w 100

translations-check: install
	$(BIN)/python scripts/check_translations.py

bench: install
	$(BIN)/python bench/booking_bench.py

# The kiosk's QR decoder for browsers without BarcodeDetector (issue 14), served from
# static/vendor/ (no CDN). The file is committed: `make run` and `make test` need no npm;
# run `make vendor` only to fetch it again or after changing the pinned version.
JSQR_VERSION := 1.4.0
vendor:
	rm -rf .vendor-tmp && mkdir -p .vendor-tmp static/vendor/jsqr
	cd .vendor-tmp && npm pack --silent jsqr@$(JSQR_VERSION) >/dev/null && tar xzf jsqr-$(JSQR_VERSION).tgz
	cp .vendor-tmp/package/dist/jsQR.js static/vendor/jsqr/jsQR.js
	cp .vendor-tmp/package/LICENSE static/vendor/jsqr/LICENSE
	echo "jsqr $(JSQR_VERSION) from the npm registry (npm pack), dist/jsQR.js unchanged" > static/vendor/jsqr/VERSION
	rm -rf .vendor-tmp

clean:
	rm -rf $(VENV) instance/*.sqlite* .pytest_cache .ruff_cache
