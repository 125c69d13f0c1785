# Two commands do all the set-up (see README): `make run` and `make test`.
PY ?= python3
VENV := .venv

$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# Browser tests need Debian's chromium and a CJK font; they skip with a reason without them.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && (apt-get update -q && apt-get install -y -q chromium fonts-wqy-microhei) >/dev/null 2>&1 || echo "chromium not installed: browser tests will skip"; }

run: $(VENV)/.installed
	$(VENV)/bin/kg build

test: $(VENV)/.installed browser
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider

.PHONY: run test browser
