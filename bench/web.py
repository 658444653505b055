"""Web benchmarks, each a ratio in one run against the API calls behind the page:

- the caseload page for 1,000 returnees against the intake list call it makes;
- the dashboard (1,000 returnees in three countries, 450 followed with three check-ins each) against
  the same intake and monitoring calls made directly: every page of the returnee list, the outcome
  table by country, every country's insight (one call), the open alerts' counts, the partner scorecard.

The APIs run on real HTTP ports (in-memory stores); the page is rendered through Flask's test client
and makes its calls over HTTP, so the ratio is the page's own cost (templates, charts, tables).

Run: `.venv/bin/python -m bench.web` (rewrites the "web" section of bench/RESULTS.md).
"""
from __future__ import annotations

import platform
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests

import statistics
import time

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ("NG", "ET", "GH")


def paired(case, baseline, repeat: int) -> tuple[float, float]:
    """Median wall times of `case()` and `baseline()`, run alternately so that a change in the machine's
    load (other processes) falls on both sides of the ratio alike."""
    samples = {case: [], baseline: []}
    for _ in range(repeat):
        for fn in (baseline, case):
            start = time.perf_counter()
            fn()
            samples[fn].append(time.perf_counter() - start)
    return statistics.median(samples[case]), statistics.median(samples[baseline])


class Network:
    """Intake (and monitoring) on HTTP ports, the web app signed in as one staff role."""

    def __init__(self, role: str, returnees: int, countries=("NG",), monitored_per_country: int = 0):
        from services.intake.api import create_app as intake_app
        from services.intake.bootstrap import IntakeService
        from shared.auth import TokenIssuer, load_private_key
        from shared.clock import ManualClock
        from shared.config import Settings
        from tests.e2e.conftest import ServedApp
        from tests.unit.conftest import RecordingPublisher

        folder = Path(tempfile.mkdtemp())
        key = folder / "k.pem"
        issuer = TokenIssuer(load_private_key(str(key), create_dev_key=True), "homeward")
        self.clock = ManualClock(datetime(2026, 6, 1, tzinfo=timezone.utc))
        self.web_server = ServedApp()  # bound now: the APIs are told where the web app's JWKS is before it runs
        env = {"JWT_SIGNING_KEY_FILE": str(key), "RATE_LIMIT_PER_MINUTE": "0",
               "JWT_JWKS_URLS": f"{self.web_server.url}/.well-known/jwks.json"}
        intake_service = IntakeService(Settings.from_env("intake", environ=env), clock=self.clock,
                                       publisher=RecordingPublisher())
        self.intake = ServedApp(intake_app(service=intake_service))
        self.monitoring = self.intake  # the caseload calls intake only
        self._served = [self.intake]
        consultant = {"Authorization": "Bearer " + issuer.issue("bench", "consultant", ttl=3600)[0]}
        with requests.Session() as http:
            for i in range(returnees):
                http.post(self.intake.url + "/v1/returnees", headers=consultant, timeout=10, json={
                    "given_name": f"Name{i}", "family_name": "Bench", "client_ref": f"B-{i}",
                    "country_of_return": countries[i % len(countries)],
                    "consent": {"share_with_partner": True, "given_on": date(2026, 5, 1).isoformat()}}
                          ).raise_for_status()
        if monitored_per_country:
            self._follow(env, countries, monitored_per_country, intake_service)
        self._start_web(role, folder)

    def _follow(self, env, countries, per_country, intake_service):
        """Monitoring cases with check-ins at months 1, 3 and 6, and the insights intake keeps from them."""
        from bench.app import checkin_body
        from services.monitoring import handlers
        from services.monitoring.api import create_app as monitoring_app
        from services.monitoring.bootstrap import MonitoringService
        from services.monitoring.schemas import CheckinSchema
        from services.web.tokens import staff_subject
        from shared.auth import Principal
        from shared.config import Settings
        from shared.events import new_event
        from tests.e2e.conftest import ServedApp
        from tests.unit.conftest import RecordingPublisher

        service = MonitoringService(Settings.from_env("monitoring", environ=env), clock=self.clock,
                                    publisher=RecordingPublisher())
        deps, now = service.deps, self.clock.now()
        arrived = (now - timedelta(days=200)).date()
        for country in countries:
            partner = f"ptn_{country.lower()}"
            who = Principal(sub="bench", role="partner", org=partner)
            for i in range(per_country):
                rid = f"rtn_{country}{i}"
                handlers.start_monitoring(deps, new_event("partners", "returnee.arrived.v1", rid, {
                    "returnee_id": rid, "partner_id": partner, "country": country,
                    "arrived_on": arrived.isoformat(), "handover_id": f"h{rid}"}, now))
                # followed by the bench consultant (need-to-know: a consultant reads their own clients' alerts)
                handlers.follow_update(deps, new_event("intake", "returnee.updated.v1", rid, {
                    "returnee_id": rid, "consultant": staff_subject("bench")}, now))
                for n, (slot, day) in enumerate(((1, 30), (3, 91), (6, 182))):
                    body = {**checkin_body(rid, n + i, arrived + timedelta(days=day)), "slot": slot,
                            "safety_concern": i % 9 == 0}
                    handlers.record_checkin(deps, who, CheckinSchema().load(body))
        service.insights_feed.run_once()  # the country insights follow the check-ins
        from services.intake.handlers import keep_insights

        for country in countries:  # each publication handed to intake as its event would be
            insight = service.insights.get(country)
            if insight:
                keep_insights(intake_service.deps,
                              new_event("monitoring", "country.insights_updated.v1", country, insight, now))
        self.monitoring = ServedApp(monitoring_app(service=service))
        self._served.append(self.monitoring)

    def _start_web(self, role, folder):
        from services.web import accounts
        from services.web.app import build, create_app
        from services.web.config import WebSettings
        self.web = build(WebSettings(intake_url=self.intake.url, partners_url=self.intake.url,
                                     monitoring_url=self.monitoring.url, jwt_signing_key_file=str(folder / "web.pem"),
                                     mongodb_db="web_bench"))
        names = {f"ptn_{country.lower()}": f"Partner {country}" for country in COUNTRIES}  # no partners service here
        self.web.extras["partner_names"] = {"at": float("inf"), "names": names, "unknown": set()}
        app = create_app(web=self.web)
        self._served.append(self.web_server.serve(app))  # serves the JWKS the APIs fetch once
        accounts.create_account("bench", role, "bench password long", self.clock.now())
        self.client = app.test_client()
        page = self.client.get("/login")
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        self.client.post("/login", data={"username": "bench", "password": "bench password long", "csrf_token": csrf})
        self.http = requests.Session()
        self.auth = {"Authorization": "Bearer " + self.web.tokens.for_user("bench", role)}

    def api(self, base: str, path: str, **params) -> dict:
        response = self.http.get(base + path, params=params, headers=self.auth, timeout=10)
        response.raise_for_status()
        return response.json()

    def all_pages(self, base: str, path: str, **params) -> list:
        items, cursor = [], None
        while True:
            page = self.api(base, path, limit=200, **params, **({"cursor": cursor} if cursor else {}))
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                return items

    def stop(self):
        for served in self._served:
            served.stop()


def bench_caseload(n: int = 1000, repeat: int = 20) -> tuple[float, float]:
    net = Network("consultant", n)
    assert net.client.get("/returnees").status_code == 200  # warm: JWKS fetched, templates compiled
    case, baseline = paired(lambda: net.client.get("/returnees"),
                            lambda: net.api(net.intake.url, "/v1/returnees", limit=50), repeat)
    net.stop()
    return case, baseline


def bench_dashboard(n: int = 1000, monitored_per_country: int = 150,
                    repeat: int = 10) -> tuple[tuple[float, float], tuple[float, float]]:
    """(dashboard page vs the calls behind it), (dashboard page vs the calls it made before the counts)."""
    net = Network("project_lead", n, COUNTRIES, monitored_per_country)

    def rest(countries):
        net.api(net.monitoring.url, "/v1/outcomes", by="country")
        net.api(net.intake.url, "/v1/countries/insights", country=sorted(countries))  # every country at once
        net.api(net.monitoring.url, "/v1/alerts/counts", status="open")
        net.api(net.monitoring.url, "/v1/scorecard")

    def calls():
        """What services/web/views/reports.py dashboard_figures asks, made directly."""
        counts = net.api(net.intake.url, "/v1/returnees/counts")
        rest(counts["by_country"])
        return counts["total"]

    def calls_before():
        """What it asked before `GET /v1/returnees/counts`: every page of the returnee list, to count."""
        returnees = net.all_pages(net.intake.url, "/v1/returnees")
        rest({r["country_of_return"] for r in returnees})

    page = net.client.get("/dashboard?lang=en")  # warm, and check the page shows what the calls return
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f"{calls():,} returnees registered" in html, html[:2000]
    assert html.count("<svg") >= 6, "every chart drawn"
    against_calls = paired(lambda: net.client.get("/dashboard"), calls, repeat)
    against_before = paired(lambda: net.client.get("/dashboard"), calls_before, repeat)
    net.stop()
    return against_calls, against_before


def main() -> int:
    rows = []
    case, baseline = bench_caseload()
    rows.append(f"| caseload page (/returnees, 50 of 1,000) vs the intake list call it makes | {case / baseline:.2f}x | "
                f"{case:.4f} | {baseline:.4f} |")
    (case, baseline), (now, before) = bench_dashboard()
    rows.append(f"| dashboard (/dashboard: 1,000 returnees in 3 countries, 450 followed, 1,350 check-ins) vs the "
                f"intake and monitoring calls behind it | {case / baseline:.2f}x | {case:.4f} | {baseline:.4f} |")
    rows.append(f"| dashboard page now vs the calls alone it made before intake's counts (every page of the "
                f"returnee list) | {now / before:.2f}x | {now:.4f} | {before:.4f} |")
    print("\n".join(rows))
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text()
    header = "\n## web\n\n| case | ratio | case s | baseline s |\n| --- | --- | --- | --- |\n"
    stamp = f"| measured {date.today().isoformat()}, CPython {platform.python_version()} | | | |\n"
    note = ("\nIn the first two rows a ratio near 1 means the page's own work (templates, SVG charts, tables) is\n"
            "small next to its calls; below 1 there is noise. The dashboard's time is its calls: it now counts\n"
            "returnees with one call (`GET /v1/returnees/counts`) where it read every page of intake's returnee\n"
            "list before; the third row sets the whole page now against the old page's calls alone.\n")
    section = header + stamp + "\n".join(rows) + "\n" + note
    if "\n## web\n" in text:
        head, _, rest = text.partition("\n## web\n")
        after = rest.split("\n## ", 1)
        text = head + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n" + section
    results.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
