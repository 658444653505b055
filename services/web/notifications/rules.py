"""Who among the staff hears what, and how (issue 21).

The consultant who follows the client hears of a safety concern, a critical domain, lost contact, a
declined or expired handover, a re-migration or death report at once (each may choose the daily digest
or none instead, except the safety concern: always at once), and of overdue check-ins in the daily
digest (or at once, or not). The office's team address (WEB_MAIL_TEAMS) hears the same, in Dutch, as
the defaults say. A mail names the kind, the country, the due date and a link to the returnee's page.
"""
from __future__ import annotations

import hashlib
import hmac

from flask_babel import lazy_gettext as _l

from shared.mail.outbox import MODES, mail_entry
from shared.mail.texts import STAFF_KINDS, line, render

FIXED = {"safety_concern": "immediate"}  # the following consultant cannot turn these off
DEFAULTS = {**{kind: "immediate" for kind in STAFF_KINDS}, "checkin_overdue": "digest"}
ALERT_KINDS = ("safety_concern", "critical_domain", "lost_contact", "re_migrated", "deceased", "checkin_overdue")
HANDOVER_KINDS = {"handover.declined.v1": "handover_declined", "handover.expired.v1": "handover_expired"}
STAFF_PREFIX = "web:"  # the `sub` of the tokens the web app signs: intake records it as the consultant


class PreferenceRefused(ValueError):
    """A choice that is not one, or a fixed kind turned off: `field` names it, `message` says why."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field, self.message = field, message


def mode(account, kind: str) -> str:
    if kind in FIXED:
        return FIXED[kind]
    chosen = (getattr(account, "mail_preferences", None) or {}).get(kind)
    return chosen if chosen in MODES else DEFAULTS[kind]


def preferences(account) -> dict:
    return {kind: mode(account, kind) for kind in STAFF_KINDS}


def check_preferences(chosen: dict) -> dict:
    """The choices to store, every kind named; raises PreferenceRefused naming the wrong one."""
    checked = {}
    for kind in STAFF_KINDS:
        value = chosen.get(kind) or DEFAULTS[kind]
        if value not in MODES:
            raise PreferenceRefused(f"preferences.{kind}", _l("Choose one of the options."))
        if kind in FIXED and value != FIXED[kind]:
            raise PreferenceRefused(f"preferences.{kind}", _l("A safety concern always comes at once: it cannot be turned off."))
        checked[kind] = value
    return checked


def username_of(consultant: str | None) -> str | None:
    """The staff account a consultant recorded at intake names (`web:<username>`), if any."""
    if not consultant or not consultant.startswith(STAFF_PREFIX):
        return None
    return consultant[len(STAFF_PREFIX):]


def link_token(key: str, username: str, kind: str) -> str:
    """What a one-click unsubscribe link carries: the account's key signs the account and the kind."""
    return hmac.new(key.encode(), f"{username}\n{kind}".encode(), hashlib.sha256).hexdigest()[:40]


def token_valid(key: str, username: str, kind: str, token: str) -> bool:
    return bool(key) and kind in STAFF_KINDS and kind not in FIXED and \
        hmac.compare_digest(link_token(key, username, kind), token or "")


def entries(kind: str, account, team: str | None, country: str | None, link: str, due_on=None,
            settings: str = "", one_click: str = "") -> list[dict]:
    """The mails of one notification: the consultant's account (active, with an address, as it chose) and the
    office's team address (Dutch, by the defaults). `settings`: the account's mail settings page, named in the
    mail and its List-Unsubscribe (a team address has no page: it is a setting, WEB_MAIL_TEAMS); `one_click`:
    the link that turns this kind off with one POST (List-Unsubscribe-Post; never for a fixed kind)."""
    found = []
    if account is not None and account.active and account.email and mode(account, kind) != "none":
        lang = account.mail_language if account.mail_language in ("nl", "en") else "nl"
        found.append(mail_entry(account.email, kind, lang, render(kind, lang, country, due_on, link, settings),
                                digest=mode(account, kind) == "digest", line=line(kind, lang, country, due_on, link),
                                unsubscribe=settings, one_click="" if kind in FIXED else one_click))
    if team:
        found.append(mail_entry(team, kind, "nl", render(kind, "nl", country, due_on, link),
                                digest=DEFAULTS[kind] == "digest", line=line(kind, "nl", country, due_on, link)))
    return found
