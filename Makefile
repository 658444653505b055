# Homeward: `make run` starts the embedded network, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
ROLE ?= consultant
# `make test` runs the test files on this many processes (pytest-xdist; a file's tests stay together)
TEST_WORKERS ?= 2

.PHONY: install run lint test unit-tests integration-tests e2e-tests token bench migrate translations clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) -m deploy.run_embedded

lint: install
	$(VENV)/bin/ruff check .

test: lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

unit-tests: install
	$(PY) -m pytest tests/unit

integration-tests: install
	$(PY) -m pytest tests/integration

e2e-tests: install
	$(PY) -m pytest tests/e2e

token: install
	@$(PY) -m shared.auth $(ROLE)

migrate: install
	$(PY) -m services.$(SERVICE).migrations $(ARGS)

bench: install
	$(PY) -m bench.run

# The staff pages' gettext catalogues: the .po files are the source; translate new msgids in
# services/web/translations/<lang>/LC_MESSAGES/messages.po, then run this again to compile the .mo.
# Then the labels of each service's code lists: the template is written from services/<svc>/vocabulary.py;
# translate new codes in services/<svc>/translations/{nl,en,fr}/LC_MESSAGES/messages.po and run it again.
WEB_TR := services/web/translations
VOCABULARY_SERVICES := intake partners monitoring
# The partner portal's pages (French and English; a new language is `pybabel init -l <code> -d $(PORTAL_TR)
# -i $(PORTAL_TR)/messages.pot`, translated, then this again).
PORTAL_TR := services/portal/translations
# The APIs' problem texts (domain `problems`, shared/texts.py): the seedwork's and marshmallow's in
# shared/translations, each service's own in services/<svc>/translations; the templates are written from
# the code, translate new msgids in <dir>/{nl,fr}/LC_MESSAGES/problems.po (English is the msgid) and run it again.
PROBLEM_LOCALES := nl fr
translations: install
	$(VENV)/bin/pybabel extract -F services/web/babel.cfg --no-location --sort-output \
		--project="Homeward web" -o $(WEB_TR)/messages.pot services/web
	$(VENV)/bin/pybabel update -i $(WEB_TR)/messages.pot -d $(WEB_TR) --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d $(WEB_TR) --statistics
	$(PY) -m shared.vocabulary shared.vocabulary:NETWORK shared/translations/messages.pot
	@for lang in nl en fr; do test -f shared/translations/$$lang/LC_MESSAGES/messages.po || \
		$(VENV)/bin/pybabel init -i shared/translations/messages.pot -d shared/translations -l $$lang || exit 1; done
	$(VENV)/bin/pybabel update -i shared/translations/messages.pot -d shared/translations --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d shared/translations --statistics
	@for svc in $(VOCABULARY_SERVICES); do \
		tr=services/$$svc/translations; \
		$(PY) -m shared.vocabulary services.$$svc.vocabulary $$tr/messages.pot && \
		$(VENV)/bin/pybabel update -i $$tr/messages.pot -d $$tr --no-fuzzy-matching --ignore-obsolete && \
		$(VENV)/bin/pybabel compile -d $$tr --statistics || exit 1; \
	done
	@# printed texts (domain `printed`, shared/printed.py): the seedwork's PDF margins, intake's brief and reports, monitoring's workbooks
	@for folder in shared services/intake services/monitoring; do \
		tr=$$folder/translations; \
		$(VENV)/bin/pybabel extract -F $$folder/babel.cfg --no-location --sort-output \
			--project="Homeward printed" -o $$tr/printed.pot $$folder && \
		for lang in nl en fr; do test -f $$tr/$$lang/LC_MESSAGES/printed.po || \
			$(VENV)/bin/pybabel init -D printed -i $$tr/printed.pot -d $$tr -l $$lang || exit 1; done && \
		$(VENV)/bin/pybabel update -D printed -i $$tr/printed.pot -d $$tr --no-fuzzy-matching --ignore-obsolete && \
		$(VENV)/bin/pybabel compile -D printed -d $$tr --statistics || exit 1; \
	done
	$(VENV)/bin/pybabel extract -F services/portal/babel.cfg --no-location --sort-output \
		--project="Homeward portal" -o $(PORTAL_TR)/messages.pot services/portal
	$(VENV)/bin/pybabel update -i $(PORTAL_TR)/messages.pot -d $(PORTAL_TR) --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -d $(PORTAL_TR) --statistics
	@for scope in shared $(VOCABULARY_SERVICES); do \
		tr=$$($(PY) -m shared.text_templates $$scope) && \
		for lang in $(PROBLEM_LOCALES); do test -f $$tr/$$lang/LC_MESSAGES/problems.po || \
			$(VENV)/bin/pybabel init -D problems -i $$tr/problems.pot -d $$tr -l $$lang || exit 1; done && \
		$(VENV)/bin/pybabel update -D problems -i $$tr/problems.pot -d $$tr --no-fuzzy-matching --ignore-obsolete && \
		$(VENV)/bin/pybabel compile -D problems -d $$tr --statistics || exit 1; \
	done
	@# the mails' texts (domain `mail`, shared/mail/texts.py: the N_ marks), Dutch and French; English is the msgid
	$(VENV)/bin/pybabel extract -k N_ --no-location --sort-output --project="Homeward mail" \
		-o shared/translations/mail.pot shared/mail/texts.py
	$(VENV)/bin/pybabel update -D mail -i shared/translations/mail.pot -d shared/translations --no-fuzzy-matching --ignore-obsolete
	$(VENV)/bin/pybabel compile -D mail -d shared/translations --statistics

clean:
	rm -rf $(VENV) var .pytest_cache
