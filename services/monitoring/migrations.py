"""The monitoring service's stored-data migrations: `make migrate SERVICE=monitoring [ARGS=--dry-run]`.

Version 2 of a case stores days and instants as BSON dates; before, they were ISO strings (version 1,
or no `schema_version` at all). The step converts every declared field through the same
declarations the repository writes with, so a migrated case reads back exactly as a new one.
"""
from services.monitoring.documents import ALIAS, CASE_SCHEMA_VERSION, Case
from shared.document_dicts import field_to_stored
from shared.migrations import Migration, main

BOOKKEEPING = {"id", "outbox", "seen_events", "version", "schema_version"}


def dates_as_bson(doc: dict) -> dict:
    """Every declared field of a stored case, converted (ISO strings -> dates) and validated."""
    fields = {}
    for name, field in Case._fields.items():
        key = field.db_field or name
        if name in BOOKKEEPING or key not in doc or doc[key] is None:
            continue
        fields[key] = field_to_stored(Case, name, doc[key])
    return fields


MIGRATIONS = [Migration(Case, old, CASE_SCHEMA_VERSION, dates_as_bson, "days and instants as dates, not strings")
              for old in (0, 1)]

if __name__ == "__main__":
    raise SystemExit(main("monitoring", ALIAS, MIGRATIONS))
