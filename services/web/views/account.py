"""A staff member's own mail settings (`/account/mail`): the address, the language of the mails and per kind at
once, in the daily summary or not at all; a safety concern about a client one follows always comes at once
(shown fixed; a form that says otherwise is refused with 422). Administrators' delivery log (`/staff/mail`):
the staff mails and the partner people's, who, what kind, state, attempts and times, never a text."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services.web import accounts, notifications_repository
from services.web.clients import ApiError, ApiUnavailable
from services.web.notifications.rules import FIXED, preferences, token_valid
from services.web.security import roles, web
from shared.mail.outbox import MODES
from shared.mail.texts import STAFF_KINDS

bp = Blueprint("account", __name__)
KIND_LABELS = {"safety_concern": _l("A safety concern about a client I follow"),
               "critical_domain": _l("A critical score in a check-in"), "lost_contact": _l("Contact lost"),
               "handover_declined": _l("A handover declined"), "handover_expired": _l("A handover offer expired"),
               "re_migrated": _l("Reported as re-migrated"), "deceased": _l("Reported as deceased"),
               "checkin_overdue": _l("A check-in overdue")}
MODE_LABELS = {"immediate": _l("At once"), "digest": _l("In the daily summary"), "none": _l("Not at all")}


def _page(values: dict, errors: dict, status: int = 200):
    return render_template("account_mail.html", values=values, errors=errors, kinds=STAFF_KINDS, fixed=FIXED,
                           kind_labels=KIND_LABELS, modes=MODES, mode_labels=MODE_LABELS), status


@bp.route("/account/mail", methods=["GET", "POST"])
@roles("consultant", "project_lead", "admin")
def mail_settings():
    account = accounts.account(g.user.username)
    if request.method == "GET":
        return _page({"email": account.email, "mail_language": account.mail_language,
                      "preferences": preferences(account)}, {})
    chosen = {kind: request.form.get(f"preferences.{kind}", "") for kind in STAFF_KINDS}
    values = {"email": request.form.get("email", ""), "mail_language": request.form.get("mail_language", ""),
              "preferences": {**preferences(account), **{k: v for k, v in chosen.items() if v}}}
    try:
        accounts.set_mail_settings(g.user.username, values["email"], values["mail_language"], chosen)
    except accounts.AccountError as error:
        return _page(values, {error.field: str(error.message)}, 422)
    flash(_("Your mail settings are saved."))
    return redirect(url_for("account.mail_settings"))


@bp.route("/mail/unsubscribe", methods=["GET", "POST"])
def unsubscribe():
    """A mail's one-click link (List-Unsubscribe-Post, RFC 8058): POST turns that kind of mail off for the account
    the link was signed for; GET (a person following the link, or a mail scanner) only asks to confirm."""
    username, kind, token = (request.args.get(name, "") for name in ("u", "k", "t"))
    if not token_valid(notifications_repository.mail_link_key(username) if username else "", username, kind, token):
        return render_template("unsubscribe.html", refused=True), 404
    done = request.method == "POST"
    if done:
        notifications_repository.turn_off(username, kind)
    return render_template("unsubscribe.html", refused=False, done=done, kind=KIND_LABELS[kind])


@bp.route("/staff/mail")
@roles("admin")
def mail_log():
    """The newest mails of both logs: the staff's (this service's) and the partner people's (partners' API)."""
    staff = web().notifications.mails.log_page(200, None, request.args.get("state") or None)["items"]
    try:
        partners = web().partners.get("/v1/mail-deliveries", limit=200).get("items", [])
        partners_error = False
    except (ApiError, ApiUnavailable):
        partners, partners_error = [], True
    return render_template("mail_log.html", staff=staff, partners=partners, partners_error=partners_error)
