"""The partners service's stored-data migrations: `make migrate SERVICE=partners [ARGS=--dry-run]`.

Add a step when a document's stored shape changes: `Migration(Handover, 1, 2, change, "why")`, and
raise that document's `schema_version` default to 2 in documents.py.
"""
from services.partners.documents import ALIAS, Credential, Handover, Partner, WebhookDelivery, WebhookMessage
from shared.migrations import baseline, main

MIGRATIONS = baseline(Partner, Credential, Handover, WebhookMessage, WebhookDelivery)

if __name__ == "__main__":
    raise SystemExit(main("partners", ALIAS, MIGRATIONS))
