"""The partner portal: pages for partner organisations' field workers and coordinators, in French and
English (any language with a catalogue in translations/), built for a phone on a bad connection.

Its own service, cookie (`homeward_portal_session`), session store (alias `portal`) and origin: a staff
session of the web app opens nothing here, and this cookie opens nothing there. A client of the partners
and monitoring APIs (never their databases) with the signed-in person's token, kept server-side.

Run: `gunicorn -c deploy/gunicorn.conf.py 'services.portal.app:create_app()'`
"""
from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, g, jsonify, redirect, render_template, request, url_for
from flask_babel import Babel, get_locale
from prometheus_client import Counter, Histogram
from werkzeug.exceptions import HTTPException

from services.portal import messages, repository, store
from services.portal.clients import ApiError, ApiUnavailable, MonitoringApi, PartnersApi
from services.portal.config import PortalSettings
from services.portal.cookies import CSRF_COOKIE, LANG_COOKIE, SESSION_COOKIE
from services.portal.tokens import SignedOut, current
from services.portal.vocab import Vocabularies
from shared.clock import Clock, SystemClock
from shared.metrics import metrics_registry
from shared.pages import formatting, ops
from shared.pages.csrf import Csrf
from shared.pages.headers import secure_page
from shared.pages.locale import LocaleChooser, available_locales, direction, native_name
from shared.pages.sessions import SessionStore

HERE = Path(__file__).resolve().parent
PUBLIC = {"auth.login", "auth.welcome", "offline.service_worker", "static", *ops.ENDPOINTS}
JSON_ENDPOINTS = {"checkins.sync"}


@dataclass
class Portal:
    """Everything the views need, built once per app (the composition root)."""

    settings: PortalSettings
    clock: Clock
    sessions: SessionStore
    partners: PartnersApi
    monitoring: MonitoringApi
    vocab: Vocabularies
    sleep: callable = time.sleep

    def user_key(self, user_id: str) -> str:
        """What the browser files a person's offline data under (caches, queue): not the id itself."""
        return hmac.new(self.settings.secret_key.encode(), user_id.encode(), hashlib.sha256).hexdigest()[:24]

    def session_key(self, session_id: str) -> str:
        """What the service worker knows a session by (a page kept in it may answer early in it only)."""
        return self.user_key("session:" + session_id)


def build(settings: PortalSettings, clock: Clock | None = None, sleep=time.sleep) -> Portal:
    store.connect(settings)
    timeout = settings.api_timeout_seconds
    partners = PartnersApi(settings.partners_url, current, timeout)
    monitoring = MonitoringApi(settings.monitoring_url, current, timeout)
    sessions = repository.session_store(timedelta(minutes=settings.session_idle_minutes),
                                        timedelta(hours=settings.session_max_hours))
    return Portal(settings=settings, clock=clock or SystemClock(), sessions=sessions, partners=partners,
                  monitoring=monitoring, vocab=Vocabularies({"partners": partners, "monitoring": monitoring}),
                  sleep=sleep)


def asset_version() -> str:
    """A hash of the static files: their URLs carry it, and the service worker's shell cache is named by it."""
    digest = hashlib.sha256()
    for path in sorted((HERE / "static").rglob("*")):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def create_app(settings: PortalSettings | None = None, portal: Portal | None = None,
               translations: Path = HERE / "translations") -> Flask:
    """Build the portal; nothing connects at import time. `translations`: the catalogues' folder (each
    language with a compiled catalogue there is offered)."""
    from services.portal.views import (auth, cases, checkins, common, home, offers, offline, receipts,
                                       settings as mail, team)

    portal = portal or build(settings or PortalSettings.from_env())
    settings = portal.settings
    app = Flask(__name__)
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=1024 * 1024, TEMPLATES_AUTO_RELOAD=False,
                      BABEL_DEFAULT_LOCALE=settings.default_locale, BABEL_DEFAULT_TIMEZONE=settings.time_zone,
                      SESSION_COOKIE_NAME="homeward_portal_flask",  # Flask's own session is not used
                      BABEL_TRANSLATION_DIRECTORIES=str(translations))
    app.extensions["portal"] = portal
    secure = lambda: settings.secure_cookies  # noqa: E731
    csrf = Csrf(CSRF_COOKIE, lambda: g.session.csrf_token if g.get("session") is not None else None,
                exempt=ops.ENDPOINTS, secure=secure)
    languages = available_locales(translations, settings.default_locale)
    locales = LocaleChooser(languages, settings.default_locale, LANG_COOKIE,
                            preferred=lambda: g.session.org_locale if g.get("session") is not None else None,
                            secure=secure)
    app.extensions["portal_locales"] = locales
    Babel(app, locale_selector=locales.select, timezone_selector=lambda: settings.time_zone)
    formatting.install(app)
    version = asset_version()
    app.jinja_env.globals.update(
        csrf_token=csrf.token, get_locale=get_locale, direction=lambda: direction(str(get_locale())),
        languages=[(code, native_name(code)) for code in languages], asset_version=version,
        texts=messages.texts, user_key=lambda: portal.user_key(g.session.user_id) if g.get("session") else "")
    app.extensions["portal_asset_version"] = version

    registry, exposed = metrics_registry()
    requests_total = Counter("portal_requests_total", "Page requests", ["method", "endpoint", "status"],
                             registry=registry)
    latency = Histogram("portal_request_duration_seconds", "Page latency", ["endpoint"], registry=registry)
    app.extensions["portal_metrics"] = exposed

    @app.before_request
    def _start():
        g.started = time.perf_counter()
        if request.endpoint == "static":
            return None
        if request.endpoint == "receipts.upload":  # a receipt's file: read up to its limit, refused in the page
            request.max_content_length = receipts.UPLOAD_LIMIT
        g.session = portal.sessions.load(request.cookies.get(SESSION_COOKIE), portal.clock.now())
        if g.session is None and request.endpoint not in PUBLIC:
            return _signed_out()
        if not csrf.valid():
            if request.endpoint in JSON_ENDPOINTS:
                return jsonify(error="csrf"), 400
            return render_template("error.html", status=400), 400
        return None

    @app.after_request
    def _finish(response: Response):
        endpoint = request.endpoint or "unmatched"
        requests_total.labels(request.method, endpoint, response.status_code).inc()
        latency.labels(endpoint).observe(time.perf_counter() - g.get("started", time.perf_counter()))
        csrf.set_cookie(response)
        locales.remember(response)
        session = g.get("session")
        if session is not None and response.mimetype == "text/html":
            response.headers["X-Portal-User"] = portal.user_key(session.user_id)  # the service worker files it so
            response.headers["X-Portal-Session"] = portal.session_key(session.id)
        response.headers.add("Vary", "Cookie")
        return secure_page(response, private=endpoint not in ("static", "offline.service_worker"))

    app.register_blueprint(ops.ops_blueprint("portal", store.ping, "portal_metrics", settings))
    for blueprint in (offline.bp, auth.bp, home.bp, offers.bp, cases.bp, checkins.bp, receipts.bp, team.bp, mail.bp):
        app.register_blueprint(blueprint)
    common.install(app)
    _errors(app)
    return app


def _signed_out():
    """No live session: the JSON routes answer 401, pages send the person to the sign-in page (and back)."""
    if request.endpoint in JSON_ENDPOINTS:
        return jsonify(error="signed_out"), 401
    back = request.full_path.rstrip("?") if request.method == "GET" and request.path != "/" else None
    response = redirect(url_for("auth.login", next=back))
    if request.cookies.get(SESSION_COOKIE):
        response.delete_cookie(SESSION_COOKIE)
    return response


def _errors(app: Flask) -> None:
    """One error page per problem, in the page's language: never the API's English."""

    @app.errorhandler(SignedOut)
    def signed_out(_error):
        if g.get("session") is not None:
            repository.end_session(g.session.id)
        g.session = None
        return _signed_out()

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        if error.status == 401:
            return signed_out(error)
        status = error.status if error.status in (403, 404, 409, 410, 422, 429) else 502
        if request.endpoint in JSON_ENDPOINTS:
            return jsonify(error=str(status)), status
        return render_template("error.html", status=status), status

    @app.errorhandler(ApiUnavailable)
    def api_unavailable(_error):
        if request.endpoint in JSON_ENDPOINTS:
            return jsonify(error="unavailable"), 503
        return render_template("error.html", status=503), 503

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request.endpoint in JSON_ENDPOINTS:
            return jsonify(error=str(error.code)), error.code
        return render_template("error.html", status=error.code), error.code
