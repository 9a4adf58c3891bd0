# The two commands: `make run` serves the application with demo data, `make test` runs
# every check. Both install what is missing first (see scripts/bootstrap.sh).
SHELL := /bin/bash
PY := .venv/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bootstrap bootstrap-test lint messages compilemessages bench clean

bootstrap:
	@scripts/bootstrap.sh

bootstrap-test:
	@scripts/bootstrap.sh test

compilemessages:
	@$(MANAGE) compilemessages --ignore=.venv -v0

## Serve the application on embedded defaults (SQLite, folder broker) unless DATABASE_URL/REDIS_URL are set.
run: bootstrap
	@export DJANGO_DEBUG=$${DJANGO_DEBUG:-true}; \
	$(MANAGE) compilemessages --ignore=.venv -v0 && \
	$(MANAGE) migrate --no-input -v0 && \
	( $(MANAGE) shell -c "import sys; from pmo.core.models import Project; sys.exit(0 if Project.objects.exists() else 1)" \
	  || $(MANAGE) seed_demo ) && \
	scripts/run.sh $(HOST) $(PORT)

## Every check of CI: lint, import graph, migrations, translations, compose file, tests.
test: bootstrap-test
	@eval "$$(scripts/ensure-services.sh)" && \
	export DJANGO_SECRET_KEY=test-secret-key && \
	echo "== ruff" && .venv/bin/ruff check . && .venv/bin/ruff format --check . && \
	echo "== import graph" && .venv/bin/lint-imports --no-cache && \
	echo "== migrations" && DJANGO_SETTINGS_MODULE=pmo.settings_test $(MANAGE) makemigrations --check --dry-run && \
	echo "== translations" && $(PY) scripts/check_translations.py && \
	$(MANAGE) compilemessages --ignore=.venv -v0 && \
	echo "== compose file" && docker-compose -f docker-compose.yml config -q && \
	echo "== tests" && DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/pytest -n 2 --dist loadfile -q

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/lint-imports --no-cache

## Refresh the zh-hans catalogue after changing strings (then translate the new entries).
messages:
	$(MANAGE) makemessages -l zh_Hans --no-obsolete --ignore=.venv/* --ignore=var/* --ignore=static/vendor/* --ignore=bench/* --ignore=docs/*

## Throughput of the main pages at 5,000 projects (not part of make test).
bench: bootstrap-test
	@bench/run.sh

clean:
	rm -rf var/celery var/static
