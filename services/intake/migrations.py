"""The intake service's stored-data migrations: `make migrate SERVICE=intake [ARGS=--dry-run]`.

Add a step when a document's stored shape changes: `Migration(Returnee, 1, 2, change, "why")`, and
raise that document's `schema_version` default to 2 in documents.py.
"""
from services.intake import search
from services.intake.documents import ALIAS, CountryInsight, PersonalKey, Returnee
from shared.migrations import Migration, baseline, main


def searchable(doc: dict) -> dict:
    """Version 1 -> 2: the search field from the names and client reference (none for an erased returnee)."""
    return {search.FIELD: [] if doc.get("erased") else search.words(doc)}


MIGRATIONS = baseline(Returnee, CountryInsight, PersonalKey) + [
    Migration(Returnee, 1, 2, searchable, "the search field of names and client reference (search by name)")]

if __name__ == "__main__":
    raise SystemExit(main("intake", ALIAS, MIGRATIONS))
