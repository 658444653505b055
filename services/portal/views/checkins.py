"""The check-in form, the list of check-ins waiting on this device, and `POST /sync`, which sends them.

The form is the same page for every case (the case and the month come in the address), so the service
worker keeps one copy for offline use. The page's script files each check-in in the device's queue
(static/queue.js) with its Idempotency-Key, and sends the queue here when there is a connection; this route
forwards it to monitoring's `POST /v1/checkins/batch` with the person's token and answers each item's
result as monitoring gave it (the script keeps what was refused and what must be retried).
"""
from __future__ import annotations

from flask import Blueprint, g, jsonify, render_template, request

from services.portal.views.common import choices, locale, optional, portal
from shared.pages.formatting import currency_of, currency_options

bp = Blueprint("checkins", __name__)
SUPPORT_ROWS = 3
MOST_PER_SYNC = 50  # monitoring takes at most CHECKIN_BATCH_MAX_ITEMS (100) per batch
KEY_LENGTH = 200


@bp.route("/checkin")
def form():
    usual, default = _currencies()
    names = dict(currency_options(locale()))
    return render_template("checkin.html", rubric=portal().vocab.rubric(locale()),
                           contact_modes=choices("monitoring", "contact_modes"),
                           statuses=choices("monitoring", "checkin_statuses"),
                           support_types=choices("monitoring", "support_types"), rows=range(SUPPORT_ROWS),
                           usual_currencies=[(code, names.get(code, code)) for code in usual],
                           other_currencies=[o for o in currency_options(locale()) if o[0] not in usual],
                           default_currency=default)


def _currencies() -> tuple[list[str], str]:
    """(the currencies offered first: the organisation's countries', the euro, the dollar; the form's default:
    its country's currency when it works in one, else the euro). The page's script then picks the case's."""
    partner = optional(lambda: portal().partners.partner(g.session.partner_id)) or {}
    local = [c for c in dict.fromkeys(currency_of(country) for country in partner.get("countries") or []) if c]
    return list(dict.fromkeys([*local, "EUR", "USD"])), local[0] if len(local) == 1 else "EUR"


@bp.route("/waiting")
def waiting():
    return render_template("waiting.html")


def _well_formed(item) -> bool:
    return (isinstance(item, dict) and set(item) == {"idempotency_key", "checkin"}
            and isinstance(item["idempotency_key"], str) and 0 < len(item["idempotency_key"]) <= KEY_LENGTH
            and isinstance(item["checkin"], dict))


@bp.route("/sync", methods=["POST"])
def sync():
    """{"items": [{"idempotency_key", "checkin"}]} -> {"results": [...]}, one per item in order (monitoring's)."""
    body = request.get_json(silent=True)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or not all(_well_formed(item) for item in items):
        return jsonify(error="malformed"), 400
    if len(items) > MOST_PER_SYNC:
        return jsonify(error="too_many", most=MOST_PER_SYNC), 413
    answer = portal().monitoring.batch(items)
    return jsonify(results=answer["results"])
