"""Sign-in (password, or the organisation's identity provider with OIDC_ISSUER) and sign-out."""
from __future__ import annotations

import math

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from services.web import accounts, drafts, signin
from services.web.security import SESSION_COOKIE, web
from shared.pages.formatting import fmt_datetime
from shared.pages.headers import safe_path

bp = Blueprint("auth", __name__)
OIDC_STATE_COOKIE = "homeward_oidc_state"
HOME = {"consultant": "returnees.caseload", "project_lead": "reports.dashboard", "admin": "admin.partners"}


def _signed_in(username: str, role: str, display_name: str, next_url: str | None):
    settings = web().settings
    token = accounts.start_session(username, role, display_name, web().clock.now())
    drafts.forget_old(web().clock.now())
    response = redirect(safe_path(next_url) or url_for(HOME[role]))
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax",
                        secure=settings.environment != "development", max_age=settings.session_max_hours * 3600)
    return response


@bp.route("/")
def index():
    return redirect(url_for(HOME[g.user.role]))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in page: fields `username` and `password`."""
    settings = web().settings
    next_url = safe_path(request.values.get("next"))
    if settings.oidc:
        uri, state = web().oidc.authorization_url(next_url or "/")
        response = redirect(uri)
        # The state comes back to this browser only: a callback with another browser's state is refused.
        response.set_cookie(OIDC_STATE_COOKIE, state, max_age=600, httponly=True, samesite="Lax",
                            secure=settings.environment != "development", path=url_for("auth.oidc_callback"))
        return response
    if request.method == "GET":
        return render_template("login.html", next=next_url, error=None, username="",
                               expired=request.args.get("expired") == "1")
    username, now = request.form.get("username", ""), web().clock.now()
    source = signin.source_key(request.remote_addr, settings.secret_key)
    result = signin.authenticate(username, request.form.get("password", ""), source, now, web().throttle,
                                 web().password_checks)
    if result.outcome == "ok":
        account = result.account
        if result.failed_before:
            flash(_failed_attempts_notice(result.failed_before, result.last_failed_at), "error")
        return _signed_in(account.username, account.role, account.display_name, next_url)
    if result.outcome == "throttled":  # refused before the password is checked: says nothing about it
        page = render_template("login.html", next=next_url, error=_wait_message(result.wait), username=username)
        return page, 429, {"Retry-After": str(result.wait)}
    error = _("Unknown user name or wrong password.")
    return render_template("login.html", next=next_url, error=error, username=username), 401


def _wait_message(seconds: int) -> str:
    if seconds < 120:
        return ngettext("Too many failed attempts to sign in. Try again in %(num)d second.",
                        "Too many failed attempts to sign in. Try again in %(num)d seconds.", seconds)
    return ngettext("Too many failed attempts to sign in. Try again in %(num)d minute.",
                    "Too many failed attempts to sign in. Try again in %(num)d minutes.", math.ceil(seconds / 60))


def _failed_attempts_notice(count: int, last) -> str:
    """What the owner reads on the page they land on after signing in (issue 22: there is no e-mail yet)."""
    return ngettext("Since your last sign-in someone tried %(num)d time to sign in to your account with a wrong "
                    "password, most recently on %(when)s. If that was not you, tell an administrator.",
                    "Since your last sign-in someone tried %(num)d times to sign in to your account with a wrong "
                    "password, most recently on %(when)s. If that was not you, tell an administrator.",
                    count, when=fmt_datetime(last))


@bp.route("/login/callback")
def oidc_callback():
    """The identity provider sends the browser back here with a code (authorization code + PKCE)."""
    if not web().settings.oidc:
        abort(404)
    person = web().oidc.finish(request.args, request.cookies.get(OIDC_STATE_COOKIE))
    if person is None:
        abort(403)
    response = _signed_in(person["username"], person["role"], person.get("name", ""), person.get("next"))
    response.delete_cookie(OIDC_STATE_COOKIE, path=url_for("auth.oidc_callback"))
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    accounts.end_session(request.cookies.get(SESSION_COOKIE))
    response = redirect(url_for("auth.login"))
    response.delete_cookie(SESSION_COOKIE)
    return response
