# make run   — start the bot on http://HOST:PORT (127.0.0.1:8000) as production runs it: gunicorn with the
#              Dockerfile's flags and server.py's hooks; settings from the environment, then .env;
#              WECHAT_TOKEN=dev-token when neither sets one
# make test  — run the test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test venv clean

# Beside the source reports (../shared/reports), `make run` checks every FAQ load against them.
# Only `run`: the tests make their own reports and must not depend on ../shared.
ifneq ($(wildcard ../shared/reports),)
run: export REPORTS_DIR ?= $(abspath ../shared/reports)
endif

venv: $(STAMP)

# Reinstall only when requirements.txt changes (the stamp is newer otherwise).
$(STAMP): requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/python server.py --gunicorn --default-token dev-token

test: $(STAMP)
	$(VENV)/bin/python -m pytest -q tests/

clean:
	rm -rf $(VENV) .pytest_cache
