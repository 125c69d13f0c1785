# Two commands do all the set-up (see README): `make run` and `make test`.
PY ?= python3
VENV := .venv

$(VENV)/.installed: pyproject.toml
	@echo "creating $(VENV) and installing the project and its test tools (a few minutes the first time)..."
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# Browser tests need Debian's chromium and a CJK font; they skip with a reason without them.
# Say what the quiet steps are doing, so a silent minute is not taken for a hang.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && echo "installing chromium and a CJK font for the browser tests (about a minute)..." && (apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei) >/dev/null 2>&1 && echo "chromium installed" || echo "chromium not installed: browser tests will skip"; }

run: $(VENV)/.installed
	$(VENV)/bin/kg build

test: $(VENV)/.installed browser
	@echo "running the test suite (about 8 minutes on 2 cores; one dot per test)..."
	@start=$$(date +%s); $(VENV)/bin/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  echo "test suite took $$(( $$(date +%s) - start )) s"; exit $$rc

.PHONY: run test browser
