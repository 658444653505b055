"""The intake service's stored-data migrations: `make migrate SERVICE=intake [ARGS=--dry-run]`.

Add a step when a document's stored shape changes: `Migration(Returnee, 1, 2, change, "why")`, and
raise that document's `schema_version` default to 2 in documents.py.
"""
from services.intake.documents import ALIAS, CountryInsight, PersonalKey, Returnee
from shared.migrations import baseline, main

MIGRATIONS = baseline(Returnee, CountryInsight, PersonalKey)

if __name__ == "__main__":
    raise SystemExit(main("intake", ALIAS, MIGRATIONS))
