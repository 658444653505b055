"""Administrators' pages: partner organisations (credentials, webhook, deliveries) and staff accounts."""
from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from services.web import accounts, forms
from services.web.clients import ApiError
from services.web.security import roles, web
from services.web.views.common import confirmed
from shared.auth import STAFF_ROLES

bp = Blueprint("admin", __name__)


def _account_message(error: accounts.AccountError) -> str:
    return str(error.message)  # a gettext message: in the page's language


def _list(raw: str, upper: bool = False) -> list[str]:
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    return [p.upper() for p in parts] if upper else parts


def _partner_page(status: int = 200, **extra):
    return render_template("partners/list.html", partners=web().partners.partners(),
                           values=extra.pop("values", {}), errors=extra.pop("errors", {}), **extra), status


@bp.route("/partners", methods=["GET", "POST"])
@roles("admin")
def partners():
    """Partner organisations, and a form to add one."""
    if request.method == "GET":
        return _partner_page(values=forms.kept_values() or {})
    body = {"name": request.form.get("name", "").strip(), "countries": _list(request.form.get("countries", ""), True),
            "services": request.form.getlist("services"), "languages": _list(request.form.get("languages", "")),
            "contact": {k: v for k in ("name", "email", "phone")
                        if (v := request.form.get(f"contact.{k}", "").strip())}}
    try:
        created = web().partners.create(body)
    except ApiError as error:
        if error.status != 422:
            raise
        return _partner_page(422, values=forms.form_values(request.form), errors=forms.field_errors(error))
    web().extras.pop("partner_names", None)
    flash(_("Partner organisation added."))
    return redirect(url_for("admin.partner", partner_id=created["id"]))


@bp.route("/partners/<partner_id>")
@roles("admin")
def partner(partner_id):
    """One organisation: credentials, webhook and its delivery log."""
    client = web().partners
    webhook = client.webhook(partner_id)
    return render_template("partners/detail.html", p=client.partner(partner_id),
                           credentials=client.credentials(partner_id), webhook=webhook,
                           deliveries=client.deliveries(partner_id) if webhook else [], errors={})


@bp.route("/partners/<partner_id>/credentials", methods=["POST"])
@roles("admin")
def new_credential(partner_id):
    """New client credentials: the secret is on this answer's page only, never stored here."""
    cred = web().partners.new_credential(partner_id)
    return render_template("partners/secret.html", partner_id=partner_id, kind="credential",
                           client_id=cred["client_id"], secret=cred["client_secret"])


@bp.route("/partners/<partner_id>/credentials/<client_id>/revoke", methods=["POST"])
@roles("admin")
def revoke(partner_id, client_id):
    """Revoke client credentials, after a confirmation that says the partner's systems using them stop working."""
    answer = confirmed()
    if not answer:
        client = web().partners
        credentials = client.credentials(partner_id)
        live = [c for c in credentials if not c.get("revoked_at")]
        if client_id not in {c["client_id"] for c in live}:
            flash(_("This credential is already revoked or does not exist."), "error")
            return redirect(url_for("admin.partner", partner_id=partner_id))
        return render_template("partners/revoke.html", p=client.partner(partner_id), client_id=client_id,
                               last=len(live) == 1, error=answer is False), 200 if answer is None else 422
    web().partners.revoke(partner_id, client_id)
    flash(_("Credential %(client_id)s revoked: the partner's systems that use it can no longer connect.",
            client_id=client_id))
    return redirect(url_for("admin.partner", partner_id=partner_id))


@bp.route("/partners/<partner_id>/webhook", methods=["POST"])
@roles("admin")
def webhook(partner_id):
    try:
        answer = web().partners.set_webhook(partner_id, request.form.get("url", "").strip())
    except ApiError as error:
        if error.status != 422:
            raise
        client = web().partners
        return render_template("partners/detail.html", p=client.partner(partner_id),
                               credentials=client.credentials(partner_id), webhook=client.webhook(partner_id),
                               deliveries=[], errors=forms.field_errors(error)), 422
    return render_template("partners/secret.html", partner_id=partner_id, kind="webhook", client_id=answer.get("url"),
                           secret=answer.get("secret"))


@bp.route("/partners/<partner_id>/deliveries/<webhook_id>/replay", methods=["POST"])
@roles("admin")
def replay(partner_id, webhook_id):
    try:
        web().partners.replay(partner_id, webhook_id)
        flash(_("The message will be sent again."))
    except ApiError as error:
        if error.status not in (404, 409):
            raise
        flash(_("This message cannot be sent again now (it is still queued or already delivered)."))
    return redirect(url_for("admin.partner", partner_id=partner_id))


@bp.route("/partners/<partner_id>/deliveries/replay", methods=["POST"])
@roles("admin")
def replay_failed(partner_id):
    """Every failed message again, oldest first (after the partner fixed its endpoint)."""
    answer = web().partners.replay_failed(partner_id)
    flash(ngettext("%(num)d failed message will be sent again.", "%(num)d failed messages will be sent again, oldest first.",
                   answer.get("replayed", 0)))
    return redirect(url_for("admin.partner", partner_id=partner_id))


@bp.route("/partners/<partner_id>/webhook/resume", methods=["POST"])
@roles("admin")
def resume_webhook(partner_id):
    """A paused webhook sends again: the messages queued meanwhile go out in order."""
    try:
        answer = web().partners.resume_webhook(partner_id)
        flash(ngettext("Sending resumed: %(num)d queued message goes out.",
                       "Sending resumed: %(num)d queued messages go out in order.", answer.get("messages_due", 0)))
    except ApiError as error:
        if error.status != 409:
            raise
        flash(_("The webhook is not paused."))
    return redirect(url_for("admin.partner", partner_id=partner_id))


def _staff_page(status: int = 200, **extra):
    return render_template("staff.html", accounts=accounts.list_accounts(), roles=STAFF_ROLES,
                           values=extra.pop("values", {}), errors=extra.pop("errors", {}), **extra), status


@bp.route("/staff", methods=["GET", "POST"])
@roles("admin")
def staff():
    """Staff accounts: add one, reset a password, deactivate."""
    if request.method == "GET":
        return _staff_page(values=forms.kept_values() or {})
    try:
        accounts.create_account(request.form.get("username", ""), request.form.get("role", ""),
                                request.form.get("password", ""), web().clock.now(),
                                request.form.get("display_name", ""), email=request.form.get("email", ""))
    except accounts.AccountError as error:
        return _staff_page(422, values=forms.form_values(request.form), errors={error.field: _account_message(error)})
    flash(_("Account created."))
    return redirect(url_for("admin.staff"))


@bp.route("/staff/<username>", methods=["POST"])
@roles("admin")
def staff_account(username):
    action = request.form.get("action")
    if action == "password":
        try:
            accounts.set_password(username, request.form.get("password", ""),
                                  keep_session=g.user.id if g.user.username == username else None)
        except accounts.AccountError as error:
            return _staff_page(422, errors={f"password:{username}": _account_message(error)})
        flash(_("Password changed."))
    elif action == "deactivate":
        return _deactivate(username)
    elif action == "activate":
        accounts.set_active(username, True)
        flash(_("Account activated."))
    return redirect(url_for("admin.staff"))


def _deactivate(username: str):
    """Deactivate an account after a confirmation; never the last active administrator."""
    account = next((a for a in accounts.list_accounts() if a.username == username), None)
    if account is None:
        return redirect(url_for("admin.staff"))
    last_admin = accounts.is_last_active_admin(username)
    answer = confirmed()
    if not last_admin and answer:
        try:
            accounts.set_active(username, False)
        except accounts.AccountError:  # another administrator was deactivated meanwhile
            last_admin = True
    if last_admin or not answer:
        status = 409 if last_admin and answer is not None else 200 if answer is None else 422
        return render_template("staff_deactivate.html", account=account, last_admin=last_admin,
                               oneself=username == g.user.username, error=answer is False), status
    if username == g.user.username:
        flash(_("Your account %(username)s was deactivated and you were signed out.", username=username))
        return redirect(url_for("auth.login"))
    flash(_("Account %(username)s deactivated: it can no longer sign in.", username=username))
    return redirect(url_for("admin.staff"))
