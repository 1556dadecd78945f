PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXTRAS := dev,torch,export,server,browser,distributed,frames,bench,postgres

.PHONY: install browser postgres test lint clean core-cli

install: browser postgres
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip
	# torch first, pinned: the CPU build on disk; an unpinned torch pulls several GB of CUDA.
	$(BIN)/pip install torch==2.13.0
	$(BIN)/pip install -e ".[$(EXTRAS)]"

# The agent page's browser test drives Debian's Chromium (playwright's own browser
# download does not work offline). Installed when we may; the test skips, saying why, if not.
browser:
	@if command -v chromium >/dev/null 2>&1; then \
		echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	else \
		echo "chromium not installed and not root: the browser test will be skipped"; \
	fi

# The history tests also run against PostgreSQL: they start a throwaway server (initdb and
# pg_ctl on a temporary folder). Debian's postgresql is installed when we may; else they skip.
postgres:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
		echo "postgresql: $$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | head -1)"; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) \
			|| echo "postgresql could not be installed: the PostgreSQL history tests will be skipped"; \
	else \
		echo "postgresql not installed and not root: the PostgreSQL history tests will be skipped"; \
	fi

test:
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

# `pip install consistency` with no extras: the CLI's main commands must work (serve says
# which extra it needs). A separate venv, so nothing from the full install leaks in.
CORE := .venv-core
core-cli:
	$(PY) -m venv $(CORE)
	$(CORE)/bin/pip install -q --upgrade pip
	$(CORE)/bin/pip install -q .
	HF_HUB_OFFLINE=1 $(CORE)/bin/python tests/core_cli.py $(CORE)/bin/consistency

# The README's screenshots, from the shipped sample (needs Chromium, as the browser tests do).
docs:
	HF_HUB_OFFLINE=1 $(BIN)/python docs/screenshot_audit_report.py --out docs/audit-report.png
	HF_HUB_OFFLINE=1 $(BIN)/python docs/screenshot_agent_page.py --out docs/agent-page.png

lint:
	$(BIN)/ruff check consistency tests benchmarks
	$(BIN)/ruff format --check consistency tests benchmarks
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) $(CORE) .pytest_cache .ruff_cache
