"""Sign-in with the user name and password a person set with their invitation code (the partners API's
password grant), sign-out, and setting the password with the one-time code (`/welcome`)."""
from __future__ import annotations

import math

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from services.portal.clients import ApiError, ApiUnavailable
from services.portal.cookies import SESSION_COOKIE
from services.portal.messages import field_errors, outcome
from services.portal.tokens import expires_at
from services.portal.views.common import portal
from shared.pages.headers import safe_path

bp = Blueprint("auth", __name__)
MIN_PASSWORD = 12


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_path(request.values.get("next"))
    if request.method == "GET":
        if g.session is not None:
            return redirect(next_url or url_for("home.index"))
        return render_template("login.html", next=next_url, error=None, username="",
                               signed_out=request.args.get("signed_out") == "1")
    username = request.form.get("username", "").strip().lower()
    password = request.form.get("password", "")
    if not username or not password:
        return _refused(_("Enter your user name and your password."), username, next_url, 400)
    try:
        tokens = portal().partners.password_grant(username, password, request.remote_addr)
        person = portal().partners.me(tokens["access_token"])
    except ApiUnavailable:
        return _refused(_("Signing in is not possible just now: the service cannot be reached. Try again in a "
                          "moment."), username, next_url, 503)
    except ApiError as refused:
        if refused.status == 429:  # the partners API slows guessing per user name and address
            wait = _seconds(refused.headers.get("Retry-After"))
            page, status = _refused(_wait_message(wait), username, next_url, 429)
            return page, status, {"Retry-After": str(wait)}
        # a wrong password, an unknown name, an inactive account: one answer, which names none of them
        return _refused(_("Wrong user name or password, or the account is not active."), username, next_url, 401)
    return _signed_in(tokens, person, next_url)


def _seconds(retry_after: str | None) -> int:
    return int(retry_after) if retry_after and retry_after.isdigit() else 60


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext("Too many attempts. Wait %(num)d second, then try again.",
                        "Too many attempts. Wait %(num)d seconds, then try again.", seconds)
    return ngettext("Too many attempts. Wait %(num)d minute, then try again.",
                    "Too many attempts. Wait %(num)d minutes, then try again.", math.ceil(seconds / 60))


def _refused(error: str, username: str, next_url, status: int):
    return render_template("login.html", next=next_url, error=error, username=username, signed_out=False), status


def _signed_in(tokens: dict, person: dict, next_url):
    settings, now = portal().settings, portal().clock.now()
    if g.session is not None:  # someone else signed in on this browser: the earlier session ends
        portal().sessions.end(request.cookies.get(SESSION_COOKIE))
    cookie = portal().sessions.start(
        now, user_id=person["id"], partner_id=person["partner_id"], partner_role=person["role"],
        username=person.get("username") or "", display_name=person.get("display_name") or "",
        org_locale=_organisation_locale(tokens["access_token"], person["partner_id"]),
        access_token=tokens["access_token"], access_expires_at=expires_at(now, tokens),
        refresh_token=tokens["refresh_token"])
    response = redirect(next_url or url_for("home.index"))
    response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="Lax", secure=settings.secure_cookies,
                        max_age=settings.session_max_hours * 3600)
    return response


def _organisation_locale(token: str, partner_id: str) -> str:
    """The first of the organisation's languages the portal has a catalogue for (else none: the browser's)."""
    try:
        languages = portal().partners.partner_with(token, partner_id).get("languages") or []
    except (ApiError, ApiUnavailable):
        return ""
    return current_app.extensions["portal_locales"].first_available(languages) or ""


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out (the page's script has asked first when check-ins are waiting, and cleared this person's
    cached pages; the waiting check-ins stay on the device, for this person only)."""
    portal().sessions.end(request.cookies.get(SESSION_COOKIE))
    g.session = None
    response = redirect(url_for("auth.login", signed_out=1))
    response.delete_cookie(SESSION_COOKIE)
    return response


@bp.route("/welcome", methods=["GET", "POST"])
def welcome():
    """Set one's password with the one-time code of the invitation (a link with ?code=, or typed)."""
    code = request.values.get("code", "").strip()
    if request.method == "GET":
        return render_template("welcome.html", code=code, errors={}, error=None, done=None)
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    errors = {}
    if not code:
        errors["code"] = _("Type the code you were given.")
    if len(password) < MIN_PASSWORD:
        errors["password"] = _("At least %(num)d characters.", num=MIN_PASSWORD)
    elif password != again:
        errors["password_again"] = _("The two passwords are not the same.")
    if errors:
        return render_template("welcome.html", code=code, errors=errors, error=None, done=None), 422
    try:
        person = portal().partners.redeem(code, password)
    except ApiError as refused:
        if refused.status == 400:
            errors = {"code": _("This code is not valid: check it, or ask your coordinator for a new one.")}
            return render_template("welcome.html", code=code, errors=errors, error=None, done=None), 400
        return render_template("welcome.html", code=code, errors=field_errors(refused),
                               error=outcome(refused.status), done=None), refused.status
    return render_template("welcome.html", code="", errors={}, error=None, done=person.get("username"))
