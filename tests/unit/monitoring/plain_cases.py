"""Monitoring cases as plain dicts, driven straight through the domain's rules, for the tests of the case rules:
`active_case` has its plan from an arrival (2026-01-10 unless told), `judge` runs one day's judgement and
`checkin` records a check-in by the partner."""
from __future__ import annotations

from datetime import date
from itertools import count

from services.monitoring.domain import case as cases
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import SCHEMES

RULES = Rules()
SCHEME = SCHEMES["2026.1"]
ARRIVED = date(2026, 1, 10)
_ids = count()


def new_id(prefix):
    return f"{prefix}_{next(_ids):04d}"


def active_case(arrived=ARRIVED):
    case = cases.new_case("rtn_1", "NG", "prt_1")
    cases.start_plan(case, arrived, RULES)
    return case


def judge(case, day):
    return cases.evaluate(case, day, f"{day}T12:00:00Z", RULES, new_id)


def checkin(case, day, slot, **fields):
    data = {"returnee_id": "rtn_1", "slot": slot, "contact_date": day.isoformat(), "contact_made": True,
            "contact_mode": "phone", "scores": {"economic": 4, "housing": 4, "social": 4, "health": 4,
                                                "resilience": 4},
            "safety_concern": False, "status": "in_country", "support_delivered": [], "notes": "",
            "reason": None, "supersedes": None}
    data.update(fields)
    return cases.record_checkin(case, data, day, f"{day}T12:00:00Z", RULES, SCHEME, new_id,
                                {"role": "partner", "org": "prt_1"})


def types(events):
    return [(t, d.get("type")) for t, d in events]


def open_alerts(case, type_=None):
    return [a for a in case["alerts"] if a["status"] != "resolved" and (type_ is None or a["type"] == type_)]
