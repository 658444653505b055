"""Who is signed in, what their role lets them open, and the CSRF token on every form."""
from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from functools import wraps

from flask import abort, current_app, g, redirect, request, url_for

from services.web import accounts

SESSION_COOKIE = "homeward_session"
CSRF_COOKIE = "homeward_csrf"  # before sign-in (the login form): double-submit cookie
PUBLIC_ENDPOINTS = {"auth.login", "auth.oidc_callback", "ops.healthz", "ops.readyz", "ops.metrics", "ops.jwks",
                    "static"}


def web():
    return current_app.extensions["web"]


def load_user() -> None:
    """before_request: the session from the cookie; pages other than the public ones need one."""
    settings = web().settings
    g.user = accounts.load_session(request.cookies.get(SESSION_COOKIE), web().clock.now(),
                                   idle=timedelta(minutes=settings.session_idle_minutes),
                                   longest=timedelta(hours=settings.session_max_hours))
    if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS:
        nxt = request.full_path if request.method == "GET" else None
        return redirect(url_for("auth.login", next=nxt.rstrip("?") if nxt else None))
    return None


def csrf_token() -> str:
    """The token forms carry: the session's, or before sign-in the browser's CSRF cookie."""
    if g.get("user") is not None:
        return g.user.csrf_token
    if "new_csrf" not in g:
        g.new_csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return g.new_csrf


def check_csrf() -> None:
    """before_request: every state-changing request carries the token (else 400)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.endpoint in ("ops.healthz", "ops.readyz", "ops.metrics"):
        return
    expected = g.user.csrf_token if g.get("user") is not None else request.cookies.get(CSRF_COOKIE)
    sent = request.form.get("csrf_token", "")
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        abort(400, description="csrf")


def set_cookies(response):
    """after_request: the pre-sign-in CSRF cookie, and the chosen language."""
    secure = web().settings.environment != "development"
    if "new_csrf" in g and request.cookies.get(CSRF_COOKIE) != g.new_csrf:
        response.set_cookie(CSRF_COOKIE, g.new_csrf, httponly=True, samesite="Lax", secure=secure)
    if g.get("remember_lang"):
        response.set_cookie("lang", g.remember_lang, max_age=365 * 86400, samesite="Lax", secure=secure)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'")
    if g.get("user") is not None:
        response.headers.setdefault("Cache-Control", "no-store")  # case data stays out of shared caches
    return response


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
