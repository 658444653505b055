"""Scale: the partner portal's pages for an organisation of 10,000 cases answer as fast as for one of 1,000
(issue 23).

Two networks side by side, each in its own process (bench/scale.py's `side_by_side`): partners, monitoring and
the portal on HTTP ports, in-memory stores, one clock. Each holds one partner organisation (Guinea) with a
field worker and `n` cases, seeded in-process through the services' own write paths: partners' repository adds
each handover (`add_handover`, the personal data in clear as after opening) and monitoring's handler of
`returnee.arrived.v1` starts each case (its check-ins planned, past slots judged: missed ones raise their
alerts). Arrivals are spread over the 400 days before today, newest last; of every 100 handovers 3 are
accepted and not arrived yet (no case) and 1 is an offer still waiting, the rest arrived.

The field worker signs in on each portal (over HTTP, as a browser would), and each page is fetched on both
networks in turn, `repeat` times, and the medians are compared: the home page (`/`: cases due by the day,
those with open alerts, their names, the offers waiting), the cases list (`/cases`) and its second page
(`/cases?cursor=`, the link page 1 gives). Goal: each ratio at most 1.3x.

Run: `.venv/bin/python -m bench.portal_scale [--large N] [--small N] [--repeat N] [--no-write]` (prints a
table; unless --no-write adds a dated section at the top of bench/RESULTS.md, whose paragraph on what the
figures mean is written by hand).
"""
from __future__ import annotations

import logging
import platform
import re
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests
from ulid import ULID

from bench.scale import alternate, arguments, hold, side_by_side
from bench.seed_caseload import FAMILY, GIVEN

ROOT = Path(__file__).resolve().parent.parent
TODAY = datetime(2026, 6, 1, 9, tzinfo=timezone.utc)
SPAN_DAYS = 400
GO_LIVE_DAYS = 10  # nine cases in ten: the check-ins due before this were done (closed, no alert)
PASSWORD = "a field worker's passphrase"
SECTION = "## 2026-12-03, issue 23: the partner portal's pages at 10,000 vs 1,000 cases (bench/portal_scale.py)"


def status_of(i: int) -> str:
    return {0: "offered", 1: "accepted", 2: "accepted", 3: "accepted"}.get(i % 100, "arrived")


class Organisation:
    """Partners, monitoring and the portal on HTTP ports in this process; one organisation with `n` cases."""

    def __init__(self, n: int):
        from services.monitoring.bootstrap import MonitoringService
        from services.partners.bootstrap import PartnersService
        from services.portal.app import build, create_app
        from services.portal.config import PortalSettings
        from shared.auth import TokenIssuer, load_private_key
        from shared.clock import ManualClock
        from shared.config import Settings
        from tests.e2e.conftest import ServedApp
        from tests.unit.conftest import RecordingPublisher

        logging.disable(logging.INFO)  # the services' request logs
        key = str(Path(tempfile.mkdtemp()) / "k.pem")
        issuer = TokenIssuer(load_private_key(key, create_dev_key=True), "homeward")
        self.clock = ManualClock(TODAY)
        env = {"JWT_SIGNING_KEY_FILE": key, "RATE_LIMIT_PER_MINUTE": "0"}
        self.partners = PartnersService(Settings.from_env("partners", environ={**env, "MONGODB_DB": "ptn_bench"}),
                                        clock=self.clock, publisher=RecordingPublisher(),
                                        intake_url="http://127.0.0.1:9")  # never asked: the copies are open
        self.monitoring = MonitoringService(Settings.from_env("monitoring", environ={**env, "MONGODB_DB": "mon_bench"}),
                                            clock=self.clock, publisher=RecordingPublisher())
        from services.monitoring.api import create_app as monitoring_app
        from services.partners.api import create_app as partners_app

        self.served = served = {"partners": ServedApp(partners_app(service=self.partners)),
                  "monitoring": ServedApp(monitoring_app(service=self.monitoring))}
        self.admin = {"Authorization": "Bearer " + issuer.issue("bench", "admin", ttl=4 * 3600)[0]}
        self.urls = {name: s.url for name, s in served.items()}
        self.partner_id = self._organisation()
        start = time.perf_counter()
        self.counts = self._seed(n)
        seeded = time.perf_counter() - start
        portal = ServedApp(create_app(portal=build(PortalSettings(
            partners_url=self.urls["partners"], monitoring_url=self.urls["monitoring"], mongodb_db="portal_bench"),
            clock=self.clock)))
        self.about = {"n": n, "portal": portal.url, "seed_seconds": seeded, **self.counts, **self._held()}

    def _call(self, method: str, service: str, path: str, headers=None, **kwargs) -> dict:
        answer = requests.request(method, self.urls[service] + path, headers=self.admin if headers is None else headers,
                                  timeout=30, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def _organisation(self) -> str:
        """The partner organisation and its field worker `bench.field` (invited, the invitation redeemed)."""
        partner = self._call("POST", "partners", "/v1/partners", json={
            "name": "Bench partner GN", "countries": ["GN"], "services": ["housing", "business"]})
        user = self._call("POST", "partners", f"/v1/partners/{partner['id']}/users", json={
            "username": "bench.field", "display_name": "Field", "role": "field_worker",
            "email": "bench.field@example.org"})
        self._call("POST", "partners", "/v1/partner-users/invitations/redeem", headers={},
                   json={"code": user["invite_code"], "password": PASSWORD})
        return partner["id"]

    def _held(self) -> dict:
        """How many cases are due within the portal's days (late ones included) and how many have open alerts."""
        from services.monitoring.documents import Case
        from services.portal.config import PortalSettings

        until = datetime.combine(self.clock.today() + timedelta(days=PortalSettings().due_days), datetime.min.time())
        return {"due": Case.objects(next_due_on__lte=until).count(),
                "alerted": Case.objects(alerts__status__in=["open", "acknowledged"]).count()}

    def _seed(self, n: int) -> dict:
        """`n` handovers (ids in offer order) and a monitoring case for each arrived one."""
        from services.monitoring import handlers
        from shared.events import new_event

        counts = {"offered": 0, "accepted": 0, "arrived": 0}
        repo, deps, now = self.partners.repo, self.monitoring.deps, self.clock.now()
        for i in range(n):
            status = status_of(i)
            arrived_on = (now - timedelta(days=SPAN_DAYS * (n - i) / n)).date()
            offered_at = datetime.combine(arrived_on - timedelta(days=30), datetime.min.time(), timezone.utc)
            if status != "arrived":
                offered_at = now - timedelta(days=20 * (n - i) / n, hours=1)  # recent: not expired yet
            stamp = ULID.from_datetime(offered_at + timedelta(microseconds=i))
            rid, hid = f"rtn_{stamp}", f"hnd_{stamp}"
            repo.add_handover({"_id": hid, "returnee_id": rid, "partner_id": self.partner_id, "country": "GN",
                               "status": status, "offered_at": offered_at,
                               **({"answered_at": offered_at + timedelta(days=2)} if status != "offered" else {}),
                               **({"arrived_on": arrived_on, "arrival_source": "partner"} if status == "arrived" else {}),
                               "personal": {"given_name": GIVEN[i % len(GIVEN)],
                                            "family_name": FAMILY[(i // len(GIVEN)) % len(FAMILY)]}},
                              events=(), webhook=None, event_id=f"bench-{i}")
            if status == "arrived":
                handlers.start_monitoring(deps, new_event("partners", "returnee.arrived.v1", rid, {
                    "returnee_id": rid, "partner_id": self.partner_id, "country": "GN",
                    "arrived_on": arrived_on.isoformat(), "handover_id": hid,
                    **({} if i % 10 == 5 else {"go_live_on": (now - timedelta(days=GO_LIVE_DAYS)).date().isoformat()})},
                    now))
            counts[status] += 1
        return counts


class Portal:
    """A portal served by another process, the field worker signed in over HTTP."""

    def __init__(self, about: dict):
        self.about, self.base = about, about["portal"]
        self.http = requests.Session()
        page = self.http.get(self.base + "/login", timeout=30).text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        self.http.post(self.base + "/login", timeout=30, data={
            "username": "bench.field", "password": PASSWORD, "csrf_token": csrf}).raise_for_status()
        self.next = re.search(r'id="next-page" rel="next" href="[^"]*cursor=([^"&]+)"', self.get("/cases")).group(1)

    def get(self, path: str) -> str:
        answer = self.http.get(self.base + path, timeout=60, allow_redirects=False)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
        return answer.text

    def pages(self) -> dict:
        """Each measured page, checked once: it shows what it should (rows counted for the report)."""
        cases = {"home page (/)": lambda: self.get("/"),
                 "cases list (/cases)": lambda: self.get("/cases"),
                 "cases list, page 2 (/cases?cursor=)": lambda: self.get(f"/cases?cursor={self.next}")}
        home = cases["home page (/)"]()
        self.about["due_shown"] = home.count("<li", home.find('id="due"'), home.find("</ul>", home.find('id="due"')))
        self.about["page_rows"] = [cases[c]().count('class="card" data-returnee=') for c in list(cases)[1:]]
        assert self.about["due_shown"] and all(self.about["page_rows"]), self.about
        return cases


def main(argv=None) -> int:
    args = arguments("issue 23: the partner portal's pages at scale", argv, "print, do not add to bench/RESULTS.md")
    if args.serve:
        hold(Organisation(int(args.serve[0])).about, args.serve[1])
        return 0
    with side_by_side("bench.portal_scale", {"large": args.large, "small": args.small}, wait=900) as about:
        portals = {name: Portal(found) for name, found in about.items()}
        rows = alternate({name: p.pages() for name, p in portals.items()}, args.repeat)
    lines = [f"| {r['case']} | {r['small'] * 1000:.1f} | {r['large'] * 1000:.1f} | **{r['ratio']:.2f}x** |"
             for r in rows]
    print(f"| page (median of {args.repeat}, alternating) | {args.small:,} cases ms | {args.large:,} cases ms "
          f"| ratio |\n" + "\n".join(lines))
    for name, found in about.items():
        print(f"{name}: {found['n']:,} handovers ({found['arrived']:,} arrived, {found['accepted']} accepted, "
              f"{found['offered']} offered), seeded in {found['seed_seconds']:.0f} s; {found['due']:,} cases due, "
              f"{found['alerted']:,} with open alerts; due shown on the home page "
              f"{portals[name].about['due_shown']}, rows on /cases pages 1 and 2 {portals[name].about['page_rows']}")
    if not args.no_write:
        write_section(lines, args, about)
    return 0


def write_section(lines: list[str], args, about: dict) -> None:
    """A dated section after the title and its note, before the newest dated one (earlier ones untouched)."""
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text()
    head, _, rest = text.partition("\n## ")
    section = (f"{SECTION}\n\n| page (median of {args.repeat}, alternating) | {args.small:,} cases ms | "
               f"{args.large:,} cases ms | ratio |\n| --- | --- | --- | --- |\n"
               f"| measured {date.today().isoformat()}, CPython {platform.python_version()} | | | |\n"
               + "\n".join(lines) + "\n\n" + " ".join(
                   f"{about[name]['n']:,} handovers: {about[name]['arrived']:,} arrived, {about[name]['due']:,} cases due "
                   f"within the portal's days and {about[name]['alerted']:,} with open alerts (seeded in "
                   f"{about[name]['seed_seconds']:.0f} s)." for name in ("small", "large")) + "\n\n")
    results.write_text(head + "\n" + section + ("## " + rest if rest else ""))


if __name__ == "__main__":
    sys.exit(main())
