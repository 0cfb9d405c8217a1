# Cổng thông tin huyện. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= auto
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help run test lint format messages bench screenshots audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

run: export BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(VENV)/.installed-run ## Serve the portal with demo content and a background worker (PORT=8000)
	$(PY) manage.py compile_catalogues --verbosity 0
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py setup_roles --verbosity 0
	$(PY) manage.py load_demo_content
	$(PY) manage.py runportal --port $(PORT)

test: $(VENV)/.installed-dev ## Run the whole test suite (SQLite here; PostgreSQL and Redis in CI)
	$(PY) manage.py compile_catalogues --verbosity 0 --settings=portal.settings.test
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev ## ruff, Django checks, migrations, templates, catalogues
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/djlint portal --lint --quiet
	$(VENV)/bin/bandit -q -r portal -x '*/migrations/*' --severity-level medium --confidence-level medium
	$(PY) -m pytest -q -p no:randomly tests/core/test_catalogues.py

format: $(VENV)/.installed-dev ## Format the Python code
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

APPS_WITH_CATALOGUES := home news eservices checkpoints reports api notifications notifications/alerts \
	participation/questions participation/consultations participation/ratings
messages: $(VENV)/.installed-dev ## Extract new strings into the catalogues (needs GNU gettext)
	$(PY) manage.py makemessages --locale vi --locale en --no-obsolete --ignore '.venv/*' \
		--ignore 'var/*' --ignore 'tests/*' --ignore 'bench/*' --ignore 'locale/*' \
		$(foreach app,$(sort $(foreach a,$(APPS_WITH_CATALOGUES),$(firstword $(subst /, ,$(a))))),--ignore 'portal/$(app)/*')
	for app in $(APPS_WITH_CATALOGUES); do \
		mkdir -p portal/$$app/locale && (cd portal/$$app && DJANGO_SETTINGS_MODULE=portal.settings.dev \
		PYTHONPATH=$(CURDIR) $(CURDIR)/$(PY) -m django makemessages --locale vi --locale en --no-obsolete \
		$$(for sub in $(APPS_WITH_CATALOGUES); do case $$sub in $$app/*) echo --ignore "$${sub#$$app/}/*";; esac; done)) \
		|| exit 1; \
	done

bench: $(VENV)/.installed-dev ## Run the benchmarks under bench/ and write bench/results.md
	$(PY) bench/run.py

screenshots: $(VENV)/.installed-dev ## Phone and desktop screenshots of every page type into screenshots/
	$(PY) -m pytest -q -n 0 tests/e2e/test_screenshots.py --screenshots

audit: $(VENV)/.installed-dev ## Check the pinned requirements for known vulnerabilities (needs the network)
	$(PY) -m pip install --quiet pip-audit
	$(VENV)/bin/pip-audit -r requirements.txt

clean: ## Remove the local database, media and queues (var/)
	rm -rf var
