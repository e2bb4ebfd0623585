# newsevents: the two set-up commands are `make demo` and `make test`; both create .venv when it is missing.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= newsevents.duckdb

.PHONY: install demo test test-fast clean browser serve

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The browser for the web UI's end-to-end tests: Debian's Chromium, driven by Playwright through its
# executable path (Playwright's own browser download does not work offline). Skipped where it is present.
CHROMIUM ?= /usr/bin/chromium
$(CHROMIUM):
	command -v apt-get >/dev/null && (apt-get install -y -q chromium >/dev/null 2>&1 || \
	  (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) || \
	  echo "warning: could not install chromium; the browser tests will skip"

browser:
	@test -x $(CHROMIUM) || $(MAKE) --no-print-directory $(CHROMIUM)

demo: $(STAMP)
	rm -rf $(DB) $(DB).parts
	$(BIN)/newsevents ingest --db $(DB) src/newsevents/samples
	$(BIN)/newsevents stats --db $(DB)
	$(BIN)/newsevents articles --db $(DB)
	$(BIN)/newsevents quotes --db $(DB) --limit 10
	$(BIN)/newsevents events --db $(DB) --limit 10

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

serve: $(STAMP)
	$(BIN)/newsevents serve --db $(DB)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

clean:
	rm -rf $(VENV) $(DB) $(DB).parts .pytest_cache
