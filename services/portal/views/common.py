"""What several pages use: the portal, the signed-in person, the page language, names and codes in it."""
from __future__ import annotations

from datetime import date
from functools import wraps

from urllib.parse import urlencode

from flask import abort, current_app, g, request
from flask_babel import get_locale

from services.portal import messages
from services.portal.clients import PAGE_MOST, ApiError, ApiUnavailable
from shared.pages.formatting import currency_of


def portal():
    return current_app.extensions["portal"]


def locale() -> str:
    return str(get_locale())


def today() -> date:
    return portal().clock.today()


def coordinator_only(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.session.partner_role != "coordinator":
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def choices(service: str, name: str) -> list[tuple[str, str]]:
    return portal().vocab.choices(service, name, locale())


def label(service: str, name: str, code) -> str:
    return portal().vocab.label(service, name, code, locale())


def person_name(handover: dict | None) -> str:
    """The returnee's name as the partners API gives it once the case is accepted; else empty."""
    personal = (handover or {}).get("personal") or {}
    return " ".join(p for p in (personal.get("given_name"), personal.get("family_name")) if p)


def latest_by_returnee(handovers: list) -> dict:
    """{returnee id: the latest of `handovers` for it}, in the order the returnees first come."""
    found = {}
    for handover in handovers:
        kept = found.get(handover["returnee_id"])
        if kept is None or (handover.get("offered_at") or "") > (kept.get("offered_at") or ""):
            found[handover["returnee_id"]] = handover
    return found


def handovers_of(returnee_ids, statuses: tuple[str, ...]) -> dict:
    """{returnee id: the organisation's latest handover in one of `statuses`} for these returnees (one page's
    worth, at most 200): one call, never the organisation's whole caseload."""
    ids = list(dict.fromkeys(returnee_ids))[:PAGE_MOST]
    if not ids:
        return {}
    return latest_by_returnee(portal().partners.handovers(statuses, ids, limit=PAGE_MOST)["items"])


def optional(call, default=None):
    """A call whose answer the page can do without (it says so instead of failing)."""
    try:
        return call()
    except (ApiError, ApiUnavailable):
        return default


def lang_url(code: str) -> str:
    """This page in another language (the choice is remembered)."""
    return request.path + "?" + urlencode({**request.args.to_dict(), "lang": code})


def install(app) -> None:
    """What every template may use."""
    app.jinja_env.globals.update(vocab_label=label, lang_url=lang_url, contact_label=messages.contact_label,
                                 config_due_days=app.extensions["portal"].settings.due_days, currency_of=currency_of)
