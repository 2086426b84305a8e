# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install messages setup run test lint worker beat demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The English catalogue: django.mo is committed, and recompiled from django.po where gettext's
# msgfmt is installed (a test checks that the two agree).
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0; \
	else echo "msgfmt not found (apt-get install gettext): using the committed django.mo"; fi

# Migrate, load the four plans and the cities' reporting set-up, create the demo accounts
# (credentials printed) and demo data.
setup: messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_plans
	$(BIN)/python manage.py load_city_setup
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py load_demo_data

run: setup
	@echo "Starting http://127.0.0.1:8000/ (embedded SQLite, tasks run in-process)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Two workers (pytest-xdist), one per core of the project's machines; TEST_WORKERS=0 runs serially.
# Whole files go to the workers in collection order, which tests/conftest.py starts with the
# longest files (xdist's own reordering, by number of tests, would leave them for last).
# Bytecode is written even where PYTHONDONTWRITEBYTECODE is set (the Dockerfile and this
# workplace's shell set it): the workers, the servers and Celery workers the tests start, and
# mypy's run would otherwise each compile the app and its libraries from source again.
TEST_WORKERS ?= 2
test: messages
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# A real worker and beat against REDIS_URL (required: without it tasks run in-process).
worker: install
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0" && exit 1)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	@test -n "$$REDIS_URL" || (echo "Set REDIS_URL, e.g. redis://127.0.0.1:6379/0" && exit 1)
	$(BIN)/celery -A config beat --loglevel=INFO --schedule=$(VENV)/celerybeat-schedule

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
