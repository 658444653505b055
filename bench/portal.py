"""The partner portal on a slow mobile connection (issue 18, "Measured"), in Debian's Chromium with the
network emulated through CDP (400 ms round trip, 400 kbit/s down, 200 kbit/s up), against the staff
caseload page under the same conditions in the same run:

- the due list (`/`) first loaded with an empty cache (a new browser context, signed in over HTTP
  beforehand so nothing is cached): time to the `load` event and bytes received until then;
- a later visit (the same context, the service worker installed and the pages kept: on this connection the
  worker answers its kept copy after 500 ms without the network's answer);
- 20 check-ins queued on the device without a connection, then the connection back: time until the
  page reports all 20 sent;
- baseline: the staff caseload (`/returnees`) first and later load, the same way.

Three rounds, medians. The network runs in this process as tests/e2e/conftest.py starts it.

Run: `.venv/bin/python -m bench.portal [--rounds 3]` (prints the figures; bench/RESULTS.md is written by hand).
"""
from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import statistics
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

LATENCY_MS, DOWN_KBIT, UP_KBIT = 400, 400, 200
SLOW = {"offline": False, "latency": LATENCY_MS,
        "downloadThroughput": DOWN_KBIT * 1000 / 8, "uploadThroughput": UP_KBIT * 1000 / 8}  # bytes per second
OFFLINE = {**SLOW, "offline": True}
PASSWORD = "a field worker's passphrase"
STAFF_PASSWORD = "bench staff password long"
CASES, PER_CASE = 5, 4  # 5 cases, four extra (ad hoc) check-ins each = 20 queued; month 1 stays due every round
GOALS = {"first": (3.0, 100 * 1024), "later": 1.0, "sync": 10.0}


class _Tmp:
    def mktemp(self, name):
        return Path(tempfile.mkdtemp(prefix=name))


def start_network():
    """The e2e `network` fixture's body, run outside pytest: (generator to close, Network)."""
    from shared.auth import TokenIssuer, load_private_key
    from tests.e2e import conftest

    key = str(Path(tempfile.mkdtemp()) / "k.pem")
    issuer = TokenIssuer(load_private_key(key, create_dev_key=True), "homeward")
    running = conftest.network.__wrapped__(key, issuer, _Tmp())
    return running, next(running)


def seed(network) -> tuple[str, list[str]]:
    """A Nigerian partner with a field worker, CASES cases arrived 25 days ago (month 1 due), a consultant."""
    from services.web import accounts

    partner = network.add_partner("NG", "Bench partner NG")
    user = network.call("POST", "partners", f"/v1/partners/{partner['id']}/users", 201, role="admin",
                        json={"username": "bench.field", "display_name": "Field", "role": "field_worker",
                              "email": "bench.field@example.org"})
    network.call("POST", "partners", "/v1/partner-users/invitations/redeem", 200, headers={},
                 json={"code": user["invite_code"], "password": PASSWORD})
    rids = []
    for _ in range(CASES):
        rid = network.register("NG")["id"]
        network.arrive(partner, rid)
        rids.append(rid)
    network.clock.advance(days=25)  # month 1 is due in five days: on the due list
    accounts.create_account("bench.consultant", "consultant", STAFF_PASSWORD, datetime.now(timezone.utc))
    return partner["id"], rids


def sign_in_over_http(context, base: str, username: str, password: str) -> None:
    """Sign in with the context's own request client: the cookie is set, the browser's cache stays empty."""
    page = context.request.get(base + "/login").text()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = context.request.post(base + "/login", form={"username": username, "password": password,
                                                         "csrf_token": csrf}, max_redirects=0)
    assert answer.status in (302, 303), (answer.status, answer.text()[:300])


def load(page, cdp, url: str) -> tuple[float, int, dict]:
    """Navigate; seconds to `load`, bytes received (encodedDataLength) until then, and bytes per URL."""
    sizes, urls = {}, {}
    on_response = lambda e: urls.__setitem__(e["requestId"], e["response"]["url"])  # noqa: E731
    on_finished = lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"])  # noqa: E731
    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    seconds = time.perf_counter() - start
    cdp.remove_listener("Network.responseReceived", on_response)
    cdp.remove_listener("Network.loadingFinished", on_finished)
    per_url = {urls.get(r, r): int(n) for r, n in sizes.items()}
    return seconds, sum(per_url.values()), per_url


def open_slow(browser, base: str, username: str, password: str, phone: bool):
    size = {"width": 375, "height": 812} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=size, locale="en-GB", timezone_id="UTC", service_workers="allow")
    sign_in_over_http(context, base, username, password)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)
    return context, page, cdp


def throttle_service_workers(browser, conditions: dict) -> dict:
    """The same conditions for the service workers' own fetches (a page's emulation does not reach them):
    each worker target is attached through the browser's CDP session and told directly. Answers a dict
    whose "bytes" counts what the workers receive (encodedDataLength) from then on."""
    root = browser.new_browser_cdp_session()
    seen = {"bytes": 0, "answers": 0, "errors": []}

    def message(event):
        body = json.loads(event["message"])
        if body.get("method") == "Network.loadingFinished":
            seen["bytes"] += int(body["params"]["encodedDataLength"])
        elif "id" in body:
            seen["answers"] += 1
            if "error" in body:
                seen["errors"].append(body["error"])

    root.on("Target.receivedMessageFromTarget", message)
    workers = [t for t in root.send("Target.getTargets")["targetInfos"] if t["type"] == "service_worker"]
    assert workers, "no service worker"
    for target in workers:
        session = root.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": False})["sessionId"]
        for n, (method, params) in enumerate((("Network.enable", {}),
                                              ("Network.emulateNetworkConditions", conditions))):
            root.send("Target.sendMessageToTarget", {"sessionId": session, "message": json.dumps(
                {"id": n + 1, "method": method, "params": params})})
    deadline = time.monotonic() + 5
    while seen["answers"] < 2 * len(workers) and time.monotonic() < deadline:
        root.send("Target.getTargets")  # lets the events in
    assert seen["answers"] == 2 * len(workers) and not seen["errors"], seen
    return seen


def staff_round(browser, web: str) -> dict:
    context, page, cdp = open_slow(browser, web, "bench.consultant", STAFF_PASSWORD, phone=False)
    first, first_bytes, files = load(page, cdp, web + "/returnees")
    later, later_bytes, _ = load(page, cdp, web + "/returnees")
    context.close()
    return {"first": first, "first_bytes": first_bytes, "later": later, "later_bytes": later_bytes, "files": files}


QUEUE = """async ([rids, perCase, today]) => {
  const q = await import('/static/queue.js');
  const user = document.querySelector('meta[name=portal-user]').content;
  const queue = await q.openQueue(user);
  for (const rid of rids) for (let i = 0; i < perCase; i++) {
    await queue.save({returnee_id: rid, slot: 'ad_hoc', contact_date: today, contact_made: true,
                      contact_mode: 'phone', scores: {economic: 3, housing: 4}, safety_concern: false},
                     {label: `bench ${rid} ${i}`});
  }
  window.__sent = 0;
  window.__reports = [];
  document.addEventListener('portal:synced', (e) => {
    window.__sent += e.detail.sent.length;
    const d = e.detail;
    window.__reports.push({at: Math.round(performance.now()), sent: d.sent.length, retry: d.retry.length,
                           refused: d.refused.length, failed: d.failed, busy: d.busy});
  });
  return (await queue.counts()).waiting;
}"""


def portal_round(browser, portal: str, network, rids: list[str]) -> dict:
    context, page, cdp = open_slow(browser, portal, "bench.field", PASSWORD, phone=True)
    first, first_bytes, files = load(page, cdp, portal + "/")
    assert page.locator("#due li").count() == len(rids), page.locator("main").inner_text()[:500]
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'", timeout=60_000)
    page.wait_for_function("() => !!navigator.serviceWorker.controller", timeout=60_000)
    page.wait_for_function("""async () => {
      const user = document.querySelector('meta[name=portal-user]').content;
      return !!(await (await caches.open('portal-pages-' + user)).match('/checkin', {ignoreSearch: true}));
    }""", timeout=120_000)
    worker = throttle_service_workers(browser, SLOW)
    later, later_bytes, _ = load(page, cdp, portal + "/")
    later_bytes += worker["bytes"]  # the page's navigation goes through the worker (network first)
    page.wait_for_function("() => document.documentElement.dataset.ready === '1'", timeout=60_000)

    cdp.send("Network.emulateNetworkConditions", OFFLINE)
    context.set_offline(True)  # the service worker's fetches too (Playwright applies it to workers)
    page.wait_for_function("() => !navigator.onLine")
    assert page.evaluate(QUEUE, [rids, PER_CASE, network.clock.today().isoformat()]) == CASES * PER_CASE
    before = {rid: len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) for rid in rids}
    start = time.perf_counter()
    cdp.send("Network.emulateNetworkConditions", SLOW)  # this session online (and slow) before the page hears
    context.set_offline(False)  # `online`; Playwright's own conditions carry no throttling: the slow ones again
    cdp.send("Network.emulateNetworkConditions", SLOW)
    page.wait_for_function(f"() => window.__sent >= {CASES * PER_CASE}", timeout=120_000, polling=50)
    sync = time.perf_counter() - start
    reports = page.evaluate("window.__reports")
    stored = sum(len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) - before[rid]
                 for rid in rids)
    assert stored == CASES * PER_CASE, stored
    context.close()
    return {"first": first, "first_bytes": first_bytes, "later": later, "later_bytes": later_bytes,
            "sync": sync, "files": files, "reports": reports}


def median(rounds: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rounds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the services' request logs
    running, network = start_network()
    try:
        from services.portal.app import build, create_app
        from services.portal.config import PortalSettings
        from tests.e2e.conftest import ServedApp

        _, rids = seed(network)
        served = ServedApp(create_app(portal=build(PortalSettings(
            partners_url=network.urls["partners"], monitoring_url=network.urls["monitoring"],
            mongodb_db="portal_bench"), clock=network.clock)))
        assert requests.get(network.urls["web"] + "/login", timeout=10).ok
        staff, portal = [], []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            for n in range(args.rounds):
                staff.append(staff_round(browser, network.urls["web"]))
                portal.append(portal_round(browser, served.url, network, rids))
                print(f"round {n + 1}: portal first {portal[-1]['first']:.2f} s {portal[-1]['first_bytes']} B, "
                      f"later {portal[-1]['later']:.2f} s, sync {portal[-1]['sync']:.2f} s; staff first "
                      f"{staff[-1]['first']:.2f} s {staff[-1]['first_bytes']} B, later {staff[-1]['later']:.2f} s; "
                      f"sync reports {portal[-1]['reports']}",
                      flush=True)
            browser.close()
        served.stop()
    finally:
        running.close()
    print(f"conditions: {LATENCY_MS} ms round trip, {DOWN_KBIT} kbit/s down, {UP_KBIT} kbit/s up; "
          f"{args.rounds} rounds, medians")
    for key, label in (("first", "first load, empty cache"), ("later", "later visit")):
        case, base = median(portal, key), median(staff, key)
        case_b, base_b = median(portal, key + "_bytes"), median(staff, key + "_bytes")
        print(f"{label}: portal {case:.2f} s, {case_b / 1024:.1f} KiB; staff caseload {base:.2f} s, "
              f"{base_b / 1024:.1f} KiB; ratio {case / base:.2f}x time, {case_b / base_b:.2f}x bytes")
    print(f"20 queued check-ins sent: {median(portal, 'sync'):.2f} s")
    for name, files in (("portal", portal[-1]["files"]), ("staff", staff[-1]["files"])):
        print(f"{name} first load, bytes per file (last round):")
        for url, size in sorted(files.items(), key=lambda kv: -kv[1]):
            print(f"  {size:>8}  {url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
