"""The signed-in person's mail settings: the address, the language of the mails, and per kind whether a mail
comes at once, in the daily summary or not at all (PUT /v1/partner-users/me/mail-settings). The mails name
the kind, the country, the due date and a link here, never the person followed."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l

from services.portal.clients import ApiError
from services.portal.messages import field_errors, problem_message
from services.portal.views.common import portal

bp = Blueprint("settings", __name__)
ME = "/v1/partner-users/me"
KINDS = {"offer_new": _l("A new offer to my organisation"), "offer_expiring": _l("An offer about to expire"),
         "checkin_due_soon": _l("A check-in due in 3 days"), "checkin_overdue": _l("A check-in overdue")}
MODES = {"immediate": _l("At once"), "digest": _l("In the daily summary"), "none": _l("Not at all")}
LANGUAGES = {"fr": "Français", "en": "English"}


def _page(me: dict, errors=None, error=None, status=200):
    return render_template("settings.html", me=me, kinds=KINDS, modes=MODES, mail_languages=LANGUAGES,
                           errors=errors or {}, error=error, saved=request.args.get("done") == "saved"), status


@bp.route("/settings")
def settings():
    return _page(portal().partners.get(ME))


@bp.route("/settings", methods=["POST"])
def save():
    body = {"preferences": {kind: request.form.get(f"preferences.{kind}", "") for kind in KINDS},
            "language": request.form.get("language", "")}
    if request.form.get("email", "").strip():
        body["email"] = request.form["email"].strip()
    try:
        portal().partners.call("PUT", f"{ME}/mail-settings", json=body)
    except ApiError as refused:
        if refused.status != 422:
            raise
        me = {**portal().partners.get(ME), "email": body.get("email", ""), "language": body["language"],
              "mail_preferences": body["preferences"]}
        return _page(me, field_errors(refused), problem_message(refused), 422)
    return redirect(url_for("settings.settings", done="saved"), code=303)
