"""Scale: a national caseload answers as fast as a pilot's (issue 23).

Two networks side by side, each in its own process (intake, monitoring and the web app on HTTP ports,
in-memory stores): one seeded with 10,000 returnees in five countries (bench/seed_caseload.py, registered
over two years), one with 1,000, both with the same monitoring (20 followed returnees per country:
monitoring is not what grows here). Each call is made on both networks in turn, over HTTP, `repeat`
times, and the medians are compared:

- a caseload page (the web app's /returnees) and a search by name on it (/returnees?q=, a client registered
  near the end), and intake's search call itself;
- `GET /v1/returnees/counts`, the quarterly report, the programme results (intake);
- the project lead's dashboard (the web app's /dashboard) and the consultant's alerts page (/alerts, and only
  their own clients' with ?mine=1): a fixed number of API calls, a page of monitoring's worklist.

Goals: each ratio at most 1.3x, the search at 10,000 at most 0.5 s. Also intake's memory per stored
returnee (the process's resident memory before and after seeding the 10,000, over 10,000).

Run: `.venv/bin/python -m bench.scale [--large N] [--small N] [--repeat N]` (rewrites the "scale" section of
bench/RESULTS.md).
"""
from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import requests

from bench.seed_caseload import COUNTRIES, seed
from bench.web import Network

ROOT = Path(__file__).resolve().parent.parent
SPAN_DAYS = 730
START = datetime(2024, 6, 1, 9, tzinfo=timezone.utc)


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096


class Caseload(Network):
    """Intake, monitoring and the web app on HTTP ports; `n` returnees registered over two years. One per
    process (mongoengine's connections are per process): `serve` runs one and writes where it listens."""

    def __init__(self, n: int, monitored_per_country: int = 20):
        self.n = n
        super().__init__("consultant", 0, COUNTRIES, monitored_per_country)
        from services.intake import offices
        from services.web import accounts

        # no partners service here: the names of the partners monitoring follows are known already
        self.web.extras["partner_names"]["names"].update({f"ptn_{c.lower()}": f"Partner {c}" for c in COUNTRIES})
        consultant = {"Authorization": "Bearer " + self.web.tokens.for_user("bench", "consultant")}
        self.clock.set(START)
        gc.collect()
        before = rss_bytes()
        self.seeded = seed(self.intake.url, consultant, n, [*sorted(offices.offices()), None],
                           lambda: self.clock.today().isoformat(),
                           tick=lambda i: self._tick(consultant, START + timedelta(days=SPAN_DAYS * i / n)))
        gc.collect()
        self.bytes_per_returnee = (rss_bytes() - before) / n
        self.clock.set(START + timedelta(days=SPAN_DAYS + 1))
        accounts.create_account("lead", "project_lead", "bench password long", self.clock.now())
        lead: dict = {}
        target = self.seeded[-5]  # registered near the end: beyond the first 5,000 the web app once read
        from services.web.tokens import staff_subject

        for user, role, headers in (("bench", "consultant", consultant), ("lead", "project_lead", None)):
            # the measurement's own calls: tokens that outlast waiting for the other network and the rounds
            token = self.web.tokens._issuer.issue(staff_subject(user), role, ttl=4 * 3600)[0]
            (headers if headers is not None else lead).update(Authorization="Bearer " + token)
        self.about = {"n": n, "intake": self.intake.url, "web": f"http://127.0.0.1:{self._served[-1].port}",
                      "consultant": consultant, "today": self.clock.today().isoformat(),
                      "lead": lead,
                      "query": f"{target['given_name']} {target['family_name']}", "target": target["id"],
                      "bytes_per_returnee": self.bytes_per_returnee, "largest_read_models": largest_read_models()}


    def _tick(self, consultant: dict, when: datetime) -> None:
        """Intake's clock to `when`; the consultant's token renewed before it ends (seeding outlasts one)."""
        self.clock.set(when)
        consultant["Authorization"] = "Bearer " + self.web.tokens.for_user("bench", "consultant")


def largest_read_models() -> dict[str, int]:
    """The largest of intake's read model documents of each kind (`counts`, `days`, `groups`), in BSON bytes:
    what MongoDB would hold (its limit is 16 MB a document)."""
    import bson

    from services.intake.documents import ReadModel

    largest: dict[str, int] = {}
    for doc in ReadModel._get_collection().find({}):
        kind = doc["_id"].split(":", 1)[0]
        largest[kind] = max(largest.get(kind, 0), len(bson.encode(doc)))
    return largest


def serve(n: int, about_file: str) -> None:
    """One network in this process, until it is ended (by `measure`)."""
    hold(Caseload(n).about, about_file)


def hold(about: dict, about_file: str) -> None:
    """Write where this process's network listens (`about`), then wait until `side_by_side` ends it."""
    import json
    import signal

    Path(about_file).write_text(json.dumps(about))
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


@contextmanager
def side_by_side(module: str, sizes: dict[str, int], wait: float = 3600):
    """Each network in its own process (`python -m <module> --serve N FILE`: mongoengine's connections are
    per process), started together; yields {name: what it wrote (`hold`)} once all are up, then ends them."""
    import json
    import subprocess
    import tempfile

    folder = Path(tempfile.mkdtemp())
    children = {name: subprocess.Popen([sys.executable, "-m", module, "--serve", str(n), str(folder / name)],
                                       cwd=ROOT, stdout=subprocess.DEVNULL,
                                       stderr=open(folder / f"{name}.log", "w"))  # noqa: SIM115 - the child's
                for name, n in sizes.items()}
    try:
        deadline = time.monotonic() + wait
        while not all((folder / name).exists() for name in children):
            if time.monotonic() > deadline or any(child.poll() is not None for child in children.values()):
                raise RuntimeError(f"a network did not start: see {folder}/*.log")
            time.sleep(1)
        yield {name: json.loads((folder / name).read_text()) for name in children}
    finally:
        for child in children.values():
            child.terminate()
            child.wait(timeout=30)


def alternate(cases: dict[str, dict], repeat: int) -> list[dict]:
    """For each case (named in `cases["large"]`), `repeat` timings on the small and the large network in turn
    (alternating: the machine's load falls on both alike): {case, large, small (median seconds), ratio}."""
    rows = []
    for case in cases["large"]:
        samples = {"large": [], "small": []}
        for _ in range(repeat):
            for name in ("small", "large"):
                start = time.perf_counter()
                cases[name][case]()
                samples[name].append(time.perf_counter() - start)
        big, little = statistics.median(samples["large"]), statistics.median(samples["small"])
        rows.append({"case": case, "large": big, "small": little, "ratio": big / little})
    return rows


class Remote:
    """A network served by another process, called over HTTP as its users would."""

    def __init__(self, about: dict):
        self.about = about
        self.http = requests.Session()
        self.pages = {role: self._signed_in(user) for role, user in (("consultant", "bench"), ("project_lead", "lead"))}

    def _signed_in(self, username: str) -> requests.Session:
        http = requests.Session()
        page = http.get(self.about["web"] + "/login", timeout=30).text
        csrf = page.split('name="csrf_token" value="')[1].split('"')[0]
        http.post(self.about["web"] + "/login", timeout=30, data={
            "username": username, "password": "bench password long", "csrf_token": csrf}).raise_for_status()
        return http

    def page(self, role: str, path: str, **params) -> str:
        answer = self.pages[role].get(self.about["web"] + path, params=params, timeout=60)
        answer.raise_for_status()
        return answer.text

    def call(self, path: str, who: str, **params) -> dict:
        answer = self.http.get(self.about["intake"] + path, params=params, headers=self.about[who], timeout=60)
        answer.raise_for_status()
        return answer.json()

    def calls(self) -> dict:
        """Each benchmarked call, checked once: what it answers is what it should."""
        today = date.fromisoformat(self.about["today"])
        year, quarter, query = today.year, (today.month - 1) // 3 + 1, self.about["query"]
        cases = {
            "caseload page (/returnees)": lambda: self.page("consultant", "/returnees"),
            "search by name on the caseload page (/returnees?q=)": lambda: self.page("consultant", "/returnees", q=query),
            "intake's search (GET /v1/returnees?q=)": lambda: self.call("/v1/returnees", "consultant", q=query),
            "counts (GET /v1/returnees/counts)": lambda: self.call("/v1/returnees/counts", "consultant"),
            "quarterly report (GET /v1/reports/quarterly)": lambda: self.call(
                "/v1/reports/quarterly", "lead", year=year, quarter=quarter),
            "programme results (GET /v1/reports/programme)": lambda: self.call("/v1/reports/programme", "lead"),
            "dashboard (/dashboard, project lead)": lambda: self.page("project_lead", "/dashboard"),
            "alerts page (/alerts, consultant)": lambda: self.page("consultant", "/alerts"),
            "alerts page, my clients (/alerts?mine=1)": lambda: self.page("consultant", "/alerts", mine="1"),
        }
        target, n = self.about["target"], self.about["n"]
        assert target in cases["search by name on the caseload page (/returnees?q=)"]()
        assert target in {r["id"] for r in cases["intake's search (GET /v1/returnees?q=)"]()["items"]}
        assert cases["counts (GET /v1/returnees/counts)"]()["total"] == n  # exited ones too
        figures = cases["programme results (GET /v1/reports/programme)"]()["figures"]
        assert figures["enrolled_in_counselling"] + figures["enrolled_in_return_guidance"] >= n
        assert f"{n:,}".replace(",", ".") in cases["dashboard (/dashboard, project lead)"]()
        assert "data-alert=" in cases["alerts page (/alerts, consultant)"]()
        return cases


def measure(large: int, small: int, repeat: int) -> list[dict]:
    with side_by_side("bench.scale", {"large": large, "small": small}) as about:
        networks = {name: Remote(found) for name, found in about.items()}
        rows = alternate({name: net.calls() for name, net in networks.items()}, repeat)
        rows.append({"memory": networks["large"].about["bytes_per_returnee"],
                     "documents": networks["large"].about["largest_read_models"]})
        return rows


def arguments(description: str, argv=None, no_write: str = "print, do not rewrite bench/RESULTS.md"):
    """The options of a side-by-side benchmark (`--serve N FILE`: one network, as `side_by_side` starts it)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help=no_write)
    parser.add_argument("--serve", nargs=2, metavar=("N", "ABOUT_FILE"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = arguments("issue 23's scale benchmark", argv)
    if args.serve:
        serve(int(args.serve[0]), args.serve[1])
        return 0
    rows = measure(args.large, args.small, args.repeat)
    sizes = rows.pop()
    lines = [f"| {r['case']} | {r['small'] * 1000:.1f} | {r['large'] * 1000:.1f} | {r['ratio']:.2f}x |" for r in rows]
    lines.append(f"| intake's memory per stored returnee (resident, seeding the {args.large:,}) | | "
                 f"{sizes['memory'] / 1024:.1f} KiB | |")
    documents = dict(sorted(sizes["documents"].items()))
    lines.append(f"| intake's largest read model document ({' / '.join(documents)}, BSON) | | "
                 f"{' / '.join(f'{n / 1024:.0f}' for n in documents.values())} KiB | |")
    print("\n".join(lines))
    if not args.no_write:
        write_section(lines, args)
    return 0


def write_section(lines: list[str], args) -> None:
    results = ROOT / "bench" / "RESULTS.md"
    text = results.read_text()
    header = (f"\n## scale\n\n| call (median of {args.repeat}, alternating) | {args.small:,} returnees ms | "
              f"{args.large:,} ms | growth |\n| --- | --- | --- | --- |\n")
    stamp = f"| measured {date.today().isoformat()}, CPython {platform.python_version()}, `python -m bench.scale` | | | |\n"
    section = header + stamp + "\n".join(lines) + "\n"
    if "\n## scale\n" in text:
        head, _, rest = text.partition("\n## scale\n")
        after = rest.split("\n## ", 1)
        text = head + section + ("\n## " + after[1] if len(after) > 1 else "")
    else:
        text = text.rstrip("\n") + "\n" + section
    results.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
