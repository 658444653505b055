"""The caseload import's dry run against a registered caseload (issue 19 part 3).

`POST /v1/returnees/import?dry_run=true` with a 5,000-row CSV, over intake's test client on the in-memory
store, the rows' `client_ref`s all registered already (the file imported again). The dry run matches the
rows with one `{"client_ref": {"$in": [...]}}` query; mongomock tested every stored returnee against the
whole list (rows x returnees), the embedded store now answers it from a lookup on `client_ref`
(shared/embedded_lookup.py), as MongoDB from its index. Cases, each in a fresh process, alternating:

- the 5,000-row dry run with 5,000 stored returnees (the case);
- the same with 500 stored (the baseline: the file's first 500 rows registered, the rest new);
- the case on the old path (the lookup turned off: mongomock's scan), once a round.

Goal: the case well under 10 s (the web request's timeout is 30 s), its ratio to the baseline near 1.

Run: `.venv/bin/python -m bench.import_dryrun [--rows N] [--rounds N]` (prints the table for RESULTS.md).
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADINGS = ["client_ref", "given_name", "family_name", "country_of_return", "consent.share_with_partner",
            "consent.given_on", "household.adults"]


def caseload_csv(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADINGS)
    for i in range(rows):
        writer.writerow([f"VVS-{i:05d}", "Zoë", "Bello", "NG", "ja", "1-1-2026", "1"])
    return out.getvalue().encode("utf-8")


def measure(stored: int, rows: int, old: bool) -> float:
    """Seconds of one dry run of `rows` rows against `stored` registered returnees (VVS-00000 on)."""
    from services.intake import handlers
    from services.intake.api import create_app
    from services.intake.bootstrap import IntakeService
    from services.intake.documents import Returnee
    from shared.auth import TokenIssuer, load_private_key
    from shared.clock import ManualClock
    from shared.config import Settings
    from shared import embedded_lookup
    from tests.unit.conftest import RecordingPublisher

    if old:  # after import_repository named the field, before the store makes its lookup
        embedded_lookup._VALUE_FIELDS.pop("returnees", None)

    key = Path(tempfile.mkdtemp()) / "k.pem"
    issuer = TokenIssuer(load_private_key(str(key), create_dev_key=True), "homeward")
    settings = Settings.from_env("intake", environ={"JWT_SIGNING_KEY_FILE": str(key), "MONGODB_URI": "",
                                                    "MONGODB_DB": "homeward_intake_bench"})
    service = IntakeService(settings, clock=ManualClock(datetime(2026, 3, 2, 9, tzinfo=timezone.utc)),
                            publisher=RecordingPublisher())
    logging.getLogger("homeward").setLevel(logging.WARNING)
    one = handlers.register_returnee(service.deps, {
        "client_ref": "VVS-00000", "given_name": "Zoë", "family_name": "Bello", "country_of_return": "NG",
        "consent": {"share_with_partner": True, "given_on": date(2026, 1, 1)}, "household": {"adults": 1}})
    first = Returnee.objects(id=one["id"]).as_pymongo().first()
    copies = [{**first, "_id": f"rtn_{i:026d}", "client_ref": f"VVS-{i:05d}", "outbox": []} for i in range(1, stored)]
    if copies:
        Returnee._get_collection().insert_many(copies)
    client = create_app(service=service).test_client()
    headers = {"Authorization": "Bearer " + issuer.issue("bench", "admin")[0]}
    content = caseload_csv(rows)
    start = time.perf_counter()
    response = client.post("/v1/returnees/import?dry_run=true", headers=headers,
                           data={"file": (io.BytesIO(content), "caseload.csv")})
    took = time.perf_counter() - start
    answer = response.json
    assert response.status_code == 200 and answer["refused"] == 0, answer.get("errors", answer)[:3]
    assert answer["created"] == rows - stored and answer["unchanged"] + answer["changed"] == stored, answer
    lookup = Returnee._get_collection()._store.__dict__.get("ValueLookup")
    assert lookup is not None and (lookup.field is None) == old, "the path measured is the one named"
    return took


def _in_fresh_process(stored: int, rows: int, old: bool) -> float:
    args = [sys.executable, "-m", "bench.import_dryrun", "--one", str(stored), "--rows", str(rows)]
    out = subprocess.run(args + (["--old"] if old else []), check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--baseline", type=int, default=500, help="stored returnees of the baseline")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--old", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps({"seconds": measure(args.one, args.rows, args.old)}))
        return
    case, baseline, old = [], [], []
    for _ in range(args.rounds):
        case.append(_in_fresh_process(args.rows, args.rows, False))
        baseline.append(_in_fresh_process(args.baseline, args.rows, False))
        old.append(_in_fresh_process(args.rows, args.rows, True))
    c, b, o = (statistics.median(x) for x in (case, baseline, old))
    print(f"| case | ratio | case | baseline |\n| --- | --- | --- | --- |\n"
          f"| {args.rows}-row dry run, {args.rows} stored vs {args.baseline} stored | **{c / b:.2f}x** | "
          f"{c:.2f} s | {b:.2f} s |\n"
          f"| the same, old path (mongomock's `$in` scan) vs {args.baseline} stored | {o / b:.2f}x | {o:.2f} s | "
          f"{b:.2f} s |\n\nrounds: case {[round(x, 2) for x in case]}, baseline {[round(x, 2) for x in baseline]}, "
          f"old {[round(x, 2) for x in old]}")


if __name__ == "__main__":
    main()
