"""Mail to a partner organisation's people (issue 21): who hears what, in their language, as they chose.

Coordinators and field workers of the organisation, active and with an address, hear of a new offer, an
offer about to expire (`OFFER_WARNING_DAYS` before), a check-in due soon (monitoring's reminder, 3 days
before by default) and a check-in overdue (monitoring's alert). Each person chooses per kind `immediate`,
`digest` (the daily digest) or `none` (`mail_preferences`; immediate by default); the language is the
person's (`language`: French or English, as the portal). A mail names the kind, the country, the due date
and a link to the portal page, never the returnee (shared.mail.texts).

The entries are queued in the same write as their cause (the handover's `mail_outbox`); the worker's
sender (shared.mail.sender) sends them.
"""
from __future__ import annotations

from datetime import date

from marshmallow import fields

from shared.fields import ReaderSchema
from shared.mail.outbox import MODES, mail_entry
from shared.mail.texts import PARTNER_KINDS, line, render

OFFER_WARNING_DAYS = 2


class AlertRaisedSchema(ReaderSchema):
    """Monitoring's `alert.raised.v1`, as partners reads it: a check-in overdue is mailed to the partner's people."""
    returnee_id = fields.String(required=True)
    partner_id = fields.String(required=True, allow_none=True)
    country = fields.String(required=True)
    type = fields.String(required=True)
LANGUAGES = ("fr", "en")
DEFAULT_MODE = "immediate"


def mode(person: dict, kind: str) -> str:
    chosen = (person.get("mail_preferences") or {}).get(kind)
    return chosen if chosen in MODES else DEFAULT_MODE


def preferences(person: dict) -> dict:
    """Every kind with the person's choice (or the default)."""
    return {kind: mode(person, kind) for kind in PARTNER_KINDS}


class PartnerMail:
    """Makes the entries for one notification of an organisation; `people` lists its recipients."""

    def __init__(self, people, portal_url: str):
        self.people = people  # PeopleRepository
        self.portal_url = portal_url.rstrip("/")

    def entries(self, partner_id: str, kind: str, country: str | None, due_on: date | None, path: str) -> list[dict]:
        link = f"{self.portal_url}{path}"
        found = []
        for person in self.people.mail_recipients(partner_id):
            chosen = mode(person, kind)
            if chosen == "none":
                continue
            lang = person.get("language") if person.get("language") in LANGUAGES else "en"
            settings = f"{self.portal_url}/settings"  # the person's mail settings page (List-Unsubscribe)
            found.append(mail_entry(person["email"], kind, lang, render(kind, lang, country, due_on, link, settings),
                                    digest=chosen == "digest", line=line(kind, lang, country, due_on, link),
                                    unsubscribe=settings))
        return found


def entries(deps, partner_id: str, kind: str, country: str | None, due_on: date | None, path: str) -> list[dict]:
    """The mails of one notification, or none where the service sends no mail (a test's `Deps`)."""
    mail = getattr(deps, "mail", None)
    return mail.entries(partner_id, kind, country, due_on, path) if mail is not None else []
