"""Programme results as 004_... reports them (pure function over the repository's report facts).

Over a window `from`..`to` (both inclusive; no `from`: since the start):
- `enrolled_in_counselling`: clients who entered future orientation in the window ("ingeschreven en
  begeleid" in the counselling project);
- `referred_to_return_guidance`: clients who decided to return (future orientation -> return
  guidance) in the window ("voor terugkeer doorverwezen naar Met Opgeheven Hoofd");
- `referred_to_other_return_organisations` (and `by_organisation`): exits to another return
  organisation in the window ("naar andere terugkeerorganisaties");
- `enrolled_in_return_guidance`: clients who entered return guidance in the window, by registration
  or by decision ("binnen het project Met Opgeheven Hoofd ingeschreven");
- `returned`: departures in the window (without a recorded departure: a confirmed arrival in it, once);
  `returned_with_reintegration_support`: of those, the ones the partner organisation reported support
  delivered to in a check-in ("keerden terug en kregen re-integratieondersteuning").
"""
from __future__ import annotations

from datetime import date

from services.intake.reports.labels import PROGRAMME, dutch_and_english, labelled
from services.intake.reports.sections import breakdown_csv_rows, target_csv_rows
from services.intake.reports.targets import against
from services.intake.reports.breakdowns import breakdown_of
from services.intake.reports.clients import client, listed_organisations, within


def programme_results(facts: list[dict], start: date | None, end: date, organisations: list[dict] = (),
                      place: dict | None = None, by: str | None = None, k: int = 5, targets_file: str = "") -> dict:
    clients = [client(f) for f in facts]
    return {**_results(clients, start, end, organisations, place),
            "targets": against(None, end.year, end, None, targets_file, clients),
            "breakdown": by and breakdown_of(clients, by, end, k,
                                             lambda cs: _results(cs, start, end, (), place)["figures"])}


def _results(clients, start: date | None, end: date, organisations, place) -> dict:

    def count(days) -> int:
        return sum(within(d, start, end) for d in days)

    referred = [c for c in clients if c.exit_reason == "other_return_organisation" and within(c.exited, start, end)]
    returned = [c for c in clients if within(c.returned, start, end)]
    return {
        "from": start.isoformat() if start else None, "to": end.isoformat(),
        "filter": place or {"office": None, "region": None},
        "figures": {
            "enrolled_in_counselling": count(c.entered("future_orientation") for c in clients),
            "referred_to_return_guidance": sum(any(within(d, start, end) for d in c.decisions_to_return())
                                               for c in clients),
            "referred_to_other_return_organisations": len(referred),
            "enrolled_in_return_guidance": count(c.entered("return_guidance") for c in clients),
            "returned": len(returned),
            "returned_with_reintegration_support": sum(c.supported for c in returned),
        },
        "by_organisation": [{"organisation": org, "name": name, "referred": sum(c.organisation == org for c in referred)}
                            for org, name in listed_organisations(list(organisations),
                                                                  {c.organisation for c in referred})],
        "labels": labelled(PROGRAMME),
    }


def programme_rows(report: dict) -> list[dict]:
    """CSV rows: each figure with its labels, then the referrals per organisation."""
    rows = [{"figure": name, "organisation": "", "label_nl": dutch_and_english(PROGRAMME[name])[0],
             "label_en": PROGRAMME[name], "count": value} for name, value in report["figures"].items()]
    nl, en = dutch_and_english(PROGRAMME["referred_to_other_return_organisations"])
    rows += [{"figure": "referred_to_other_return_organisations", "organisation": org["organisation"],
              "label_nl": f"{nl}: {org['name']}", "label_en": f"{en}: {org['name']}", "count": org["referred"]}
             for org in report["by_organisation"]]
    labels = {name: dutch_and_english(text) for name, text in PROGRAMME.items()}
    return rows + target_csv_rows(report["targets"]) + breakdown_csv_rows(report["breakdown"], labels)
