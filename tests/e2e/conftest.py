"""The whole network for e2e tests: Tansu, the three services and the web app on real HTTP ports in this process.

Each service has its own in-memory store and runs its consumer, relay and scheduler as threads,
as in the embedded mode. One ManualClock drives all three, so a test can walk through a year.
"""
from __future__ import annotations

import shutil
import threading
from datetime import datetime, timezone

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from services.intake import offices
from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from services.web import accounts
from services.web.repository import update_account
from services.web.app import create_app as web_app
from services.web.config import WebSettings
from shared import topics
from shared.clock import ManualClock
from shared.embedded_broker import EmbeddedBroker
from shared.kafka import ensure_topics
from tests.e2e.api_client import Network
from tests.e2e.pages import PASSWORD, SHOTS


class ServedApp:
    """A WSGI app on a real HTTP port, bound at once on a port the kernel picks (port 0).

    The socket is held from the start, so no other process can take the port between choosing it and serving
    on it. The app may come later (`serve`): the services must know each other's addresses before they are built.
    """

    def __init__(self, app=None):
        self.app = app
        self.server = make_server("127.0.0.1", 0, self._dispatch, threaded=True)
        self.port = self.server.port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        if app is not None:
            self.serve(app)

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)

    def serve(self, app) -> "ServedApp":
        self.app = app
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def network(key_file, issuer, tmp_path_factory):
    broker = EmbeddedBroker().start()
    # every server's socket is bound first: partners asks intake for sealing keys, intake asks partners and
    # monitoring for the subject export, the services trust the staff tokens web signs (its JWKS)
    served = {name: ServedApp() for name in ("intake", "partners", "monitoring", "web")}
    urls = {n: s.url for n, s in served.items()}
    clock = ManualClock(datetime.now(timezone.utc).replace(microsecond=0))
    env = {"JWT_SIGNING_KEY_FILE": key_file, "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap_servers,
           "SCHEDULER_INTERVAL_SECONDS": "0.2", "RELAY_INTERVAL_SECONDS": "0.05",
           "JWT_JWKS_URLS": f"{urls['web']}/.well-known/jwks.json"}
    from shared.config import Settings

    services = {
        "intake": IntakeService(Settings.from_env("intake", environ={**env, "MONGODB_DB": "intake_test"}), clock=clock,
                                subject_urls={n: urls[n] for n in ("partners", "monitoring")}),
        "partners": PartnersService(Settings.from_env("partners", environ={**env, "MONGODB_DB": "partners_test"}),
                                    clock=clock, intake_url=urls["intake"]),
        "monitoring": MonitoringService(Settings.from_env("monitoring", environ={**env, "MONGODB_DB": "mon_test"}),
                                        clock=clock),
    }
    factories = {"intake": intake_app, "partners": partners_app, "monitoring": monitoring_app}
    for name, svc in services.items():
        served[name].serve(factories[name](service=svc))
    web_key = tmp_path_factory.mktemp("web-key") / "web-signing-key.pem"
    served["web"].serve(web_app(WebSettings(
        intake_url=urls["intake"], partners_url=urls["partners"], monitoring_url=urls["monitoring"],
        jwt_signing_key_file=str(web_key), mongodb_db="web_test")))
    # the topics exist before any consumer joins: a member that joins first is assigned no partitions of a
    # topic without metadata and would wait for a metadata refresh (minutes) to see the handovers
    ensure_topics(broker.bootstrap_servers, topics.ALL)
    for svc in services.values():
        svc.background.start()
    yield Network({n: s.url for n, s in served.items()}, issuer, clock, services)
    for s in served.values():
        s.stop()
    for svc in services.values():
        svc.background.close()
        svc.audit.close()
    services["monitoring"].insights_feed.close()
    services["monitoring"].history_feed.close()
    broker.stop()


_LAUNCHED = []  # the session's browser, once a module has asked for it


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test module (each test opens its own context)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install -y chromium (.ci/run does)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        _LAUNCHED.append(browser)
        yield browser
        _LAUNCHED.clear()
        browser.close()


@pytest.fixture(scope="module", autouse=True)
def _close_pages():
    """Each module's pages are closed when it ends, so no page of one module runs beside the next."""
    yield
    for browser in _LAUNCHED:
        for context in browser.contexts:
            context.close()


@pytest.fixture(scope="module")
def staff(network):
    now = datetime.now(timezone.utc)
    for role in ("consultant", "project_lead", "admin"):
        accounts.create_account(f"e2e.{role}", role, PASSWORD, now, display_name=f"E2E {role}")
    # the consultant works for every office, as make run's demo consultant (need-to-know: services/web/access.py)
    update_account("e2e.consultant", offices=sorted(offices.offices()))
    return network
