"""Sign-in (password, or the organisation's identity provider with OIDC_ISSUER) and sign-out."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from services.web import accounts, drafts
from services.web.security import SESSION_COOKIE, safe_path, web

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
    username = request.form.get("username", "")
    result = accounts.authenticate(username, request.form.get("password", ""), web().clock.now(),
                                   settings.lockout_after_failures, settings.lockout_minutes)
    if result.outcome == "ok":
        account = result.account
        return _signed_in(account.username, account.role, account.display_name, next_url)
    web().sleep(accounts.slowdown_seconds(result.failures))
    if result.outcome == "locked":
        error = ngettext("Too many failed attempts: this account is locked for %(num)d minute.",
                         "Too many failed attempts: this account is locked for %(num)d minutes.",
                         settings.lockout_minutes)
        status = 429
    else:
        error = _("Unknown user name or wrong password.")
        status = 401
    return render_template("login.html", next=next_url, error=error, username=username), status


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
