# Two commands: `make run` serves the app with demo data; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
VENDOR := static/vendor
RUN_ENV := DEBUG=true

.PHONY: run test venv dev-deps assets migrate demo lint system-deps messages clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
dev-deps: $(VENV)/.installed-dev

# Bootstrap, its icons and Chart.js from npm, copied (with their .map files) into the git-ignored static/vendor/.
$(VENDOR)/.copied: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)/bootstrap/css $(VENDOR)/bootstrap/js $(VENDOR)/bootstrap-icons $(VENDOR)/chartjs
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/css/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/js/
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map $(VENDOR)/chartjs/
	touch $@

assets: $(VENDOR)/.copied

messages: venv
	$(RUN_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: venv
	$(RUN_ENV) $(PY) manage.py migrate --noinput -v 0
	$(RUN_ENV) $(PY) manage.py sync_schedule

demo: migrate
	$(RUN_ENV) $(PY) manage.py seed_demo

run: venv assets messages demo
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Debian packages the tests need (browser, PDF rendering and fonts), installed only where missing.
SYSTEM_PACKAGES := chromium poppler-utils fonts-liberation2 libharfbuzz-subset0
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test

test: dev-deps system-deps assets messages lint
	$(PY) -m pytest -m "not browser" -n 2 --dist loadfile
	$(PY) -m pytest -m browser -p no:xdist

clean:
	rm -rf $(VENV) node_modules $(VENDOR) staticfiles
