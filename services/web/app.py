"""The staff web app: pages for consultants, project leads and administrators, in Dutch and English.

A client of the intake, partners and monitoring APIs (never of their databases), calling them with
a short-lived staff token it signs for the signed-in user.

Run: `gunicorn -c deploy/gunicorn.conf.py 'services.web.app:create_app()'`
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from flask import Flask, Response, g, render_template, request
from flask_babel import Babel, get_locale
from prometheus_client import Counter, Histogram
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from services.web import access, eligibility_texts, i18n, messages, security, signin, store, vocabulary
from services.web.clients import ApiError, ApiUnavailable, IntakeClient, MonitoringClient, PartnersClient
from services.web.clients.vocabularies import Vocabularies
from services.web.config import WebSettings
from services.web.tokens import StaffTokens
from shared.clock import Clock, SystemClock
from shared.metrics import metrics_registry
from shared.passwords import dummy_hash
from shared.throttle import GuessThrottle


@dataclass
class Web:
    """Everything the views need, built once per app (the composition root)."""

    settings: WebSettings
    clock: Clock
    tokens: StaffTokens
    intake: IntakeClient
    partners: PartnersClient
    monitoring: MonitoringClient
    vocabularies: Vocabularies = None  # the services' code lists (built from the three clients)
    throttle: GuessThrottle = None  # slows guessing of passwords at sign-in (signin.py)
    password_checks: threading.Semaphore = None  # how many sign-ins may check a password at once
    oidc: object = None
    notifications: object = None  # services.web.notifications.Notifications: the staff mails
    extras: dict = field(default_factory=dict)


def _current_token() -> str:
    web = security.web()
    return web.tokens.for_user(g.user.username, g.user.role, lambda: access.claims(g.user.username))


def build(settings: WebSettings, clock: Clock | None = None) -> Web:
    """Connect the store and build the token issuer and API clients."""
    store.connect(settings)
    tokens = StaffTokens(settings.jwt_signing_key_file, settings.jwt_issuer, settings.api_token_ttl_seconds,
                         create_dev_key=not settings.production)
    timeout = settings.api_timeout_seconds
    clock = clock or SystemClock()
    web = Web(settings=settings, clock=clock, tokens=tokens, throttle=signin.throttle(clock, settings),
              password_checks=threading.BoundedSemaphore(settings.signin_concurrent_checks),
              intake=IntakeClient(settings.intake_url, _current_token, timeout, context_headers=access.reason_headers),
              partners=PartnersClient(settings.partners_url, _current_token, timeout),
              monitoring=MonitoringClient(settings.monitoring_url, _current_token, timeout,
                                         context_headers=access.reason_headers))
    web.vocabularies = Vocabularies({"intake": web.intake, "partners": web.partners, "monitoring": web.monitoring},
                                    recheck=settings.vocabulary_recheck_seconds)
    from services.web.notifications import Notifications

    web.notifications = Notifications(settings, clock)  # consumer and sender: started by the worker (or below)
    dummy_hash()  # made now: not even the first unknown user name costs more than a known one
    if settings.seed_staff_file:
        seed_staff(settings.seed_staff_file, web.clock)
    if settings.oidc:
        from services.web.oidc import OidcClient

        web.oidc = OidcClient(settings)
    return web


def seed_staff(path: str, clock: Clock) -> None:
    """Create the demo accounts listed in `path` ({role: {"username", "password", "offices"?}}) that do not exist
    yet, with their offices (need-to-know: services/web/access.py)."""
    import json

    from services.web import accounts, repository

    for role, entry in json.loads(open(path, encoding="utf-8").read()).items():
        if accounts.account(entry["username"]) is None:
            accounts.create_account(entry["username"], role, entry["password"], clock.now(),
                                    display_name=f"Demo {role.replace('_', ' ')}",
                                    email=entry.get("email") or f"{entry['username']}@example.org")
            if entry.get("offices"):
                repository.update_account(entry["username"], offices=sorted(entry["offices"]))


def create_app(settings: WebSettings | None = None, web: Web | None = None) -> Flask:
    """Build the web app; nothing connects at import time."""
    from services.web.paths import check_path_ids
    from services.web.views import (access as access_views, account, admin, alerts, assessments, auth, countries,
                                    documents, downloads, imports, notes, ops, plan, reports, returnees, rules, sharing,
                                    support, tasks)

    web = web or build(settings or WebSettings.from_env())
    app = Flask(__name__)
    if web.settings.trusted_proxy_hops:  # the sign-in's address is the person's, not the proxy's
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=web.settings.trusted_proxy_hops, x_proto=0, x_host=0,
                                x_port=0, x_prefix=0)
    app.config.update(SECRET_KEY=web.settings.secret_key, MAX_CONTENT_LENGTH=1024 * 1024, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SECURE=web.settings.environment != "development",
                      BABEL_DEFAULT_LOCALE=web.settings.default_locale, TEMPLATES_AUTO_RELOAD=False,
                      BABEL_DEFAULT_TIMEZONE=web.settings.time_zone)
    app.extensions["web"] = web
    locales = app.extensions["web_locales"] = i18n.locale_chooser(web.settings.default_locale, security.secure_cookies)
    Babel(app, locale_selector=locales.select, timezone_selector=messages.time_zone_name)
    i18n.install(app)
    messages.install(app)
    vocabulary.install(app)
    eligibility_texts.install(app)
    app.jinja_env.globals.update(csrf_token=security.csrf_token, has_role=security.has_role, get_locale=get_locale,
                                 languages=i18n.LANGUAGES, draft_for=security.draft_for)

    # Per app, or (PROMETHEUS_MULTIPROC_DIR, under gunicorn) summed over the worker processes.
    registry, exposed = metrics_registry()
    requests_total = Counter("web_requests_total", "Page requests", ["method", "endpoint", "status"], registry=registry)
    latency = Histogram("web_request_duration_seconds", "Page latency", ["endpoint"], registry=registry)
    app.extensions["web_metrics"] = exposed

    @app.before_request
    def _start():
        g.started = time.perf_counter()
        if request.endpoint in ("imports.upload", "documents.upload"):  # a file: the intake API's limit, not a form's
            request.max_content_length = imports.UPLOAD_LIMIT + 64 * 1024
        return security.load_user() or security.check_csrf()

    app.before_request(check_path_ids)  # after the sign-in check: a page id that is not one is 404

    @app.after_request
    def _finish(response: Response):
        endpoint = request.endpoint or "unmatched"
        requests_total.labels(request.method, endpoint, response.status_code).inc()
        latency.labels(endpoint).observe(time.perf_counter() - g.get("started", time.perf_counter()))
        return security.set_cookies(response)

    for blueprint in (ops.bp, auth.bp, imports.bp, returnees.bp, notes.bp, documents.bp, assessments.bp, alerts.bp,
                      countries.bp, reports.bp,
                      downloads.bp, support.bp, admin.bp, account.bp, rules.bp, plan.bp, tasks.bp, access_views.bp,
                      sharing.bp):
        app.register_blueprint(blueprint)
    _errors(app)
    if web.settings.kafka.embedded_workers:  # make run: the notifications run as threads in this process
        import atexit

        web.notifications.start()
        atexit.register(web.notifications.close)
    return app


def _errors(app: Flask) -> None:
    """One error page per problem: the status decides the message, in the user's language."""

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        from services.web.views.access import asks_reason, reason_page

        returnee_id = (request.view_args or {}).get("returnee_id")
        if error.status == 403 and returnee_id and asks_reason(error.problem):  # another client's file: why?
            return reason_page(returnee_id)
        status = error.status if error.status in (403, 404, 409, 422, 429) else 502
        return render_template("error.html", status=status), status  # the status says it: never the API's English

    @app.errorhandler(ApiUnavailable)
    def api_unavailable(error):
        return render_template("error.html", status=503), 503

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("error.html", status=error.code), error.code
