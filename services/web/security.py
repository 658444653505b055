"""Who is signed in, what their role lets them open, and the CSRF token on every form (the page machinery is
shared/pages': CSRF rules, security headers and safe redirect paths; here the staff app's use of it, and the
forms kept when a session expired)."""
from __future__ import annotations

from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, url_for

from services.web import accounts, drafts
from shared.pages.csrf import Csrf, sent_token
from shared.pages.headers import safe_path, secure_page
from shared.pages.ops import ENDPOINTS as OPS_ENDPOINTS

SESSION_COOKIE = "homeward_session"
CSRF_COOKIE = "homeward_csrf"  # before sign-in (the login form): double-submit cookie
# account.unsubscribe: a mail's one-click link (RFC 8058), signed per account and kind, needs no session or CSRF token
PUBLIC_ENDPOINTS = {"auth.login", "auth.oidc_callback", *OPS_ENDPOINTS, "ops.jwks", "static", "account.unsubscribe"}


def web():
    return current_app.extensions["web"]


def secure_cookies() -> bool:
    return web().settings.environment != "development"


csrf = Csrf(CSRF_COOKIE, lambda: g.user.csrf_token if g.get("user") is not None else None,
            exempt={*OPS_ENDPOINTS, "account.unsubscribe"},
            secure=secure_cookies)


def load_user() -> None:
    """before_request: the session from the cookie; pages other than the public ones need one.

    A form sent after the session expired is kept (drafts.py) and shown again after sign-in."""
    settings = web().settings
    token, now = request.cookies.get(SESSION_COOKIE), web().clock.now()
    protected = request.endpoint not in PUBLIC_ENDPOINTS
    sending = request.method == "POST" and protected and request.endpoint != "auth.logout"
    owner = accounts.session_owner(token) if sending else None  # read before an expired session is removed
    g.user = accounts.load_session(token, now, idle=timedelta(minutes=settings.session_idle_minutes),
                                   longest=timedelta(hours=settings.session_max_hours))
    if g.user is None and protected:
        return _to_sign_in(expired=bool(token) or sending, owner=owner, now=now)
    if g.user is not None and request.method == "GET" and request.endpoint != "static":
        g.draft, g.draft_done = drafts.restore(request.cookies.get(drafts.DRAFT_COOKIE), g.user.username,
                                               request.path, now)
    return None


def _to_sign_in(expired: bool, owner: str | None, now):
    """The sign-in page, then back where the person was; a form sent meanwhile is kept for that page."""
    kept, nxt = None, request.full_path.rstrip("?")
    if request.method != "GET":
        nxt, kept = _keep_form(owner, now)
    return _with_draft(redirect(url_for("auth.login", next=nxt or None, expired=1 if expired else None)), kept)


def _keep_form(owner: str | None, now) -> tuple[str | None, str | None]:
    """(the page the form was on, the kept form's token): kept for a known person, sent from this site."""
    page = request.path if request.url_rule and "GET" in request.url_rule.methods else _referring_page()
    if owner is None or not page or not _same_origin():
        return page, None
    return page, drafts.keep(request.form, owner, page.split("?", 1)[0], request.path, now)


def _with_draft(response, kept: str | None):
    if kept:
        response.set_cookie(drafts.DRAFT_COOKIE, kept, max_age=drafts.DRAFT_MINUTES * 60, httponly=True,
                            samesite="Lax", secure=secure_cookies())
    return response


def _referring_page() -> str | None:
    """The page a form was on (for forms sent to an action URL that has no page of its own)."""
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc != request.host:
        return None
    return safe_path(referrer.path + (f"?{referrer.query}" if referrer.query else ""))


def _same_origin() -> bool:
    """The form was sent from a page of this site (Origin, else Sec-Fetch-Site, else Referer): a form posted
    from another site is never kept, so nobody can plant values in someone's form."""
    origin = request.headers.get("Origin")
    if origin:
        return urlsplit(origin).netloc == request.host
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site == "same-origin"
    return bool(request.referrer) and urlsplit(request.referrer).netloc == request.host


def draft_for(*actions: str) -> dict:
    """The kept form's values ({name: value}) when it was sent to one of `actions` (a page's form URLs)."""
    draft = g.get("draft")
    return draft.values.to_dict() if draft is not None and draft.action in actions else {}


def csrf_token() -> str:
    """The token forms carry: the session's, or before sign-in the browser's CSRF cookie."""
    return csrf.token()


def check_csrf() -> None:
    """before_request: every state-changing request carries the token (else 400)."""
    if csrf.valid():
        return None
    sent = sent_token()
    if g.get("user") is not None and sent and request.endpoint not in PUBLIC_ENDPOINTS | {"auth.logout"}:
        # a form of an earlier session (signed in again meanwhile, in another tab): shown again, not applied
        page, kept = _keep_form(g.user.username, web().clock.now())
        if kept:
            return _with_draft(redirect(page), kept)
    abort(400, description="csrf")


def set_cookies(response):
    """after_request: the pre-sign-in CSRF cookie, the chosen language, the security headers (signed in:
    kept out of every cache, case data stays out of shared caches)."""
    csrf.set_cookie(response)
    current_app.extensions["web_locales"].remember(response)
    if g.get("draft_done"):
        response.delete_cookie(drafts.DRAFT_COOKIE)
    return secure_page(response, private=g.get("user") is not None)


def roles(*allowed: str):
    """A view only these roles may open (403 for the others)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if g.user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorate


def has_role(*allowed: str) -> bool:
    return g.get("user") is not None and g.user.role in allowed
