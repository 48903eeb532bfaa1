# The two commands a newcomer needs: `make run` and `make test`.
# Django 6.1 needs Python >= 3.12; on these machines `python3` may be 3.11, so we
# look for a suitable interpreter ourselves. `make run PYTHON=/path/to/python3.12` overrides.

VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
CHROMIUM ?= /usr/bin/chromium

# Prints the first interpreter that is Python >= 3.12. An explicit PYTHON is the only
# candidate, so a wrong override fails loudly instead of being silently replaced.
define find_python
candidates="$(PYTHON)"; \
if [ -z "$$candidates" ]; then \
  candidates="python3.14 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.*/bin/python3 2>/dev/null | sort -rV) python3"; \
fi; \
for c in $$candidates; do \
  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v $$c; exit 0; \
  fi; \
done; \
echo "No Python >= 3.12 found (tried: $$candidates). Install one or pass PYTHON=/path/to/python3.12." >&2; exit 1
endef

.PHONY: run test lint venv messages browser bench check-deploy clean

$(BIN)/.installed: requirements.txt
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "Removing $(VENV): it was built with Python < 3.12"; rm -rf $(VENV); fi
	@if [ ! -x $(BIN)/python ]; then \
		py=$$($(find_python)) || exit 1; \
		echo "Creating $(VENV) with $$py ($$($$py --version))"; \
		$$py -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

venv: $(BIN)/.installed

# The Russian and Kazakh catalogues (locale/*/LC_MESSAGES/django.po) are compiled on install;
# gettext's msgfmt does it, so it is installed where missing, as Chromium is for the tests.
messages: venv
	@command -v msgfmt >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext >/dev/null; \
		else echo "The portal needs gettext to compile its catalogues (sudo apt-get install gettext)" >&2; exit 1; fi; }
	$(BIN)/python manage.py compilemessages --ignore='.venv*' --verbosity 0

# The web server and, beside it, the task worker that sends mail (printed to this console unless
# EMAIL_HOST is set) and runs the daily digest tick; Ctrl-C stops both.
run: venv messages
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_portal
	$(BIN)/python manage.py mail_schedule
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --interval 2 & worker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here);
# the PDF export needs Pango for WeasyPrint; the slow-client test runs nginx in front of gunicorn;
# LibreOffice Writer (headless) opens the exported Word files as a reviewer's office would.
browser:
	@missing=""; [ -x $(CHROMIUM) ] || missing="chromium"; \
	command -v nginx >/dev/null 2>&1 || missing="$$missing nginx"; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	for pkg in libpango-1.0-0 libpangoft2-1.0-0; do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
		else echo "The tests need:$$missing (sudo apt-get install$$missing)" >&2; exit 1; fi; \
	fi

test: venv browser messages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# What CI checks before the suites: lint and format (pyproject.toml), migrations in step with
# the models, and Django's system checks.
lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check --fail-level WARNING

bench: venv
	$(BIN)/python bench/bench_text.py
	$(BIN)/python bench/bench_markdown.py
	$(BIN)/python bench/bench_export.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_serve.py

check-deploy: venv
	DEBUG=false SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	ALLOWED_HOSTS=concept.example.kz CSRF_TRUSTED_ORIGINS=https://concept.example.kz EMAIL_HOST=smtp.example.kz \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Backups of DATABASE_URL's database (PostgreSQL: pg_dump -Fc; SQLite: the online backup API) into
# backups/, named by kind and local time; KEEP_DAYS=14 also deletes older ones. A restore goes into
# an empty database; FORCE=1 restores over one that has tables. See deploy/backup.py.
.PHONY: backup restore
backup: venv
	$(BIN)/python deploy/backup.py backup --dir $(or $(BACKUP_DIR),backups) $(if $(KEEP_DAYS),--keep-days $(KEEP_DAYS))

restore: venv
	@[ -n "$(FILE)" ] || { echo "Usage: make restore FILE=backups/kisi-....dump [FORCE=1]" >&2; exit 2; }
	$(BIN)/python deploy/backup.py restore "$(FILE)" $(if $(filter 1 yes true,$(FORCE)),--force)

clean:
	rm -rf $(VENV) .pytest_cache
