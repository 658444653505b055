"""Seed an intake with a national caseload over its HTTP API: `n` returnees in five countries and the
programme's offices, in both trajectories, with decisions to return and exits, registered over two years
when the caller can move intake's clock (`tick`), today otherwise.

Names are made of syllables (some with accents), each client's `HW-<n>` reference unique, so a search by
name finds a handful of clients at any caseload. Used by bench/scale.py; against a running network:

    .venv/bin/python -m bench.seed_caseload --url http://127.0.0.1:8001 --token "$(make -s token)" --count 10000
"""
from __future__ import annotations

import argparse
import random
from typing import Callable

import requests

COUNTRIES = ("NG", "ET", "GH", "GN", "MA")
GIVEN = [a + b for a in ("A", "Chi", "Ngo", "Ama", "Yo", "Ru", "Te", "Fa", "Ibra", "Ké") for b in
         ("mina", "zi", "nas", "th", "bo", "di", "ra", "lé", "ka", "ya")]  # 100
FAMILY = [a + b + c for a in ("O", "Ba", "Te", "Ha", "Dia", "Ọ̀", "Ke", "Sa")
          for b in ("ka", "ke", "sfa", "lo", "wụ", "mba", "ri", "de", "no", "tu")
          for c in ("for", "le", "ye", "ka", "llo")]  # 400
REASONS = ("other_return_organisation", "irregular", "lso", "residence_permit", "other")


def body(i: int, rng: random.Random, offices: list[str | None], today: str) -> dict:
    return {"client_ref": f"HW-{i:05d}", "given_name": GIVEN[(i // len(FAMILY)) % len(GIVEN)],
            "family_name": FAMILY[i % len(FAMILY)],  # each pair of names once in the first 40,000
            "country_of_return": COUNTRIES[i % len(COUNTRIES)], "office": offices[i % len(offices)],
            "trajectory": rng.choice(("future_orientation", "return_guidance")),
            "consent": {"share_with_partner": True, "given_on": today}}


def seed(intake_url: str, headers: dict, n: int, offices: list[str | None], today: Callable[[], str],
         tick: Callable[[int], None] = lambda i: None, start: int = 0, rng_seed: int = 23) -> list[dict]:
    """Register `n` returnees (numbered from `start`); a quarter of those in future orientation later decide to
    return and one in seven leaves the programme. `tick(i)` runs before the i-th (to move intake's clock).
    Returns what was registered: `{id, given_name, family_name, client_ref}` in order."""
    rng = random.Random(rng_seed + start)
    made = []
    with requests.Session() as http:
        http.headers.update(headers)
        for i in range(start, start + n):
            tick(i)
            http.headers.update(headers)  # `tick` may renew the token (a staff API token lives minutes)
            answer = http.post(f"{intake_url}/v1/returnees", json=body(i, rng, offices, today()), timeout=30)
            answer.raise_for_status()
            returnee = answer.json()
            made.append({k: returnee[k] for k in ("id", "given_name", "family_name", "client_ref")})
            if returnee["trajectory"] == "future_orientation" and rng.random() < 0.25:
                http.post(f"{intake_url}/v1/returnees/{returnee['id']}/trajectory", timeout=30,
                          json={"trajectory": "return_guidance", "decided_on": today()}).raise_for_status()
            elif rng.random() < 1 / 7:
                reason = rng.choice(REASONS)
                exit_ = {"reason": reason, "exited_on": today(),
                         **({"organisation": "iom"} if reason == "other_return_organisation" else {})}
                http.post(f"{intake_url}/v1/returnees/{returnee['id']}/exit", json=exit_, timeout=30).raise_for_status()
    return made


def main(argv=None) -> int:
    from datetime import date

    from services.intake import offices

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8001", help="intake's base URL")
    parser.add_argument("--token", required=True, help="a consultant's or administrator's bearer token")
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args(argv)
    made = seed(args.url, {"Authorization": f"Bearer {args.token}"}, args.count, [*sorted(offices.offices()), None],
                lambda: date.today().isoformat())
    print(f"registered {len(made)} returnees at {args.url}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
