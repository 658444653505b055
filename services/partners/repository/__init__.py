"""Persistence for partners: the only package that touches `documents.py` or builds a query (the
people of partner organisations have theirs in `people_repository.py`). One part per aggregate:
`organisations.py` (organisations and their API credentials), `handovers.py`, `webhooks.py` (the queue,
the endpoints and the delivery log); `shapes.py` beside it turns stored documents into API answers.

Handlers and views speak in domain words (`add_handover`, `transition`, `due_messages`...) and get
plain dicts in the stored shape (`_id` and field names as in the collections). The guarantees:

- a handover's state change and its outbox events (and a queued webhook) are one conditional update
  (compare-and-set on `status`); consumed events are applied once (`store.apply_once`);
- after every write that queued outbox events the repository calls `notify(Handover, id)`, and it
  remembers the handovers that queued a webhook, so neither relay has to scan to find them;
- the hot lookups go by `_id` (the embedded store scans for anything else): a credential by its
  client id, a handover or a message by its id. The webhook relay's "what is due" question, asked
  every second, reads only `webhook_queue`: one small document per message still pending.
"""
from __future__ import annotations

import threading
from typing import Callable

from services.partners.repository.handovers import AbstractHandovers, Handovers
from services.partners.repository.organisations import AbstractOrganisations, Organisations
from services.partners.repository.webhooks import AbstractWebhookQueue, WebhookQueue

__all__ = ["AbstractPartnersRepository", "PartnersRepository"]


class AbstractPartnersRepository(AbstractOrganisations, AbstractHandovers, AbstractWebhookQueue):
    """The partners service's persistence port. Reads return stored-shape dicts (`_id`) or None."""


class PartnersRepository(Organisations, Handovers, WebhookQueue, AbstractPartnersRepository):
    """The mongoengine implementation, on the `partners` alias: one part per aggregate."""

    def __init__(self, notify: Callable = lambda document_class, doc_id: None):
        self.notify = notify
        self._webhook_hints: set[str] = set()  # handovers that queued a webhook since the last collect
        self._lock = threading.Lock()

