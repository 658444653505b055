"""Web benchmark: the caseload page for 1,000 returnees against the intake list call it makes, as a
ratio in one run. The intake API runs on a real HTTP port (in-memory store); the web page is rendered
through Flask's test client and makes that same call over HTTP, so the ratio is the page's own cost.

Run: `.venv/bin/python -m bench.web` (appends to bench/RESULTS.md under "web").
"""
from __future__ import annotations

import platform
import sys
import tempfile
from datetime import date, datetime, timezone
from pathlib import Path

import requests

from bench.run import timed

ROOT = Path(__file__).resolve().parent.parent


def bench_caseload(n: int = 1000, repeat: int = 20) -> tuple[float, float]:
    from services.intake.api import create_app as intake_app
    from services.intake.bootstrap import IntakeService
    from services.web import accounts
    from services.web.app import build, create_app
    from services.web.config import WebSettings
    from shared.auth import TokenIssuer, load_private_key
    from shared.clock import ManualClock
    from shared.config import Settings
    from tests.e2e.conftest import ServedApp
    from tests.unit.conftest import RecordingPublisher

    folder = Path(tempfile.mkdtemp())
    key = folder / "k.pem"
    issuer = TokenIssuer(load_private_key(str(key), create_dev_key=True), "homeward")
    clock = ManualClock(datetime(2026, 6, 1, tzinfo=timezone.utc))
    web_key = folder / "web.pem"
    served_web_port = __import__("shared.embedded_broker", fromlist=["free_port"]).free_port()
    settings = Settings.from_env("intake", environ={"JWT_SIGNING_KEY_FILE": str(key), "RATE_LIMIT_PER_MINUTE": "0",
                                                    "JWT_JWKS_URLS": f"http://127.0.0.1:{served_web_port}/.well-known/jwks.json"})
    intake = ServedApp(intake_app(service=IntakeService(settings, clock=clock, publisher=RecordingPublisher())))
    consultant = {"Authorization": "Bearer " + issuer.issue("bench", "consultant", ttl=3600)[0]}
    with requests.Session() as http:
        for i in range(n):
            http.post(intake.url + "/v1/returnees", headers=consultant, timeout=10, json={
                "given_name": f"Name{i}", "family_name": "Bench", "client_ref": f"B-{i}", "country_of_return": "NG",
                "consent": {"share_with_partner": True, "given_on": date(2026, 5, 1).isoformat()}}).raise_for_status()
    web = build(WebSettings(intake_url=intake.url, partners_url=intake.url, monitoring_url=intake.url,
                            jwt_signing_key_file=str(web_key), mongodb_db="web_bench"))
    web.extras["partner_names"] = {"at": float("inf"), "names": {}}  # no partners service in this bench
    app = create_app(web=web)
    web_server = ServedApp(app, served_web_port)  # serves the JWKS intake fetches once
    accounts.create_account("bench", "consultant", "bench password long", clock.now())
    client = app.test_client()
    page = client.get("/login")
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"username": "bench", "password": "bench password long", "csrf_token": csrf})
    web_token = {"Authorization": "Bearer " + web.tokens.for_user("bench", "consultant")}
    assert client.get("/returnees").status_code == 200  # warm: JWKS fetched, templates compiled
    http = requests.Session()
    baseline = timed(lambda: http.get(intake.url + "/v1/returnees?limit=50", headers=web_token, timeout=10)
                     .raise_for_status(), repeat)
    case = timed(lambda: client.get("/returnees"), repeat)
    intake.stop()
    web_server.stop()
    return case, baseline


def main() -> int:
    case, baseline = bench_caseload()
    line = f"| caseload page (/returnees, 50 of 1,000) vs the intake list call it makes | {case / baseline:.2f}x | " \
           f"{case:.4f} | {baseline:.4f} |"
    print(line)
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text()
    header = "\n## web\n\n| case | ratio | case s | baseline s |\n| --- | --- | --- | --- |\n"
    stamp = f"| measured {date.today().isoformat()}, CPython {platform.python_version()} | | | |\n"
    if "\n## web\n" in text:
        head, _, rest = text.partition("\n## web\n")
        after = rest.split("\n## ", 1)
        text = head + header + stamp + line + "\n" + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n" + header + stamp + line + "\n"
    results.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
