"""Home: the check-ins due (within PORTAL_DUE_DAYS) and late, the offers waiting for an answer with the
days left, and the alerts the organisation's check-ins raised recently."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, render_template

from services.portal.views.common import handovers_by_returnee, optional, person_name, portal, today
from shared.pages.formatting import parse_when

bp = Blueprint("home", __name__)
RAISED_BY_CHECKINS = ("critical_domain", "index_drop", "safety_concern", "re_migrated", "deceased")
RECENT_DAYS = 30
CASES_ASKED = 10  # case details read for their alerts: the ones with open alerts, at most this many


@bp.route("/")
def index():
    day = today()
    cases = portal().monitoring.cases()
    names = handovers_by_returnee(("arrived",))
    return render_template("home.html", due=due_list(cases, names, day), offers=offers_waiting(day),
                           alerts=recent_alerts(cases, names, day))


def due_list(cases: list, names: dict, day: date) -> list[dict]:
    """Each case's next open check-in when it is late or due within the next days, the latest first."""
    until = day + timedelta(days=portal().settings.due_days)
    due = []
    for case in cases:
        slot = case.get("next_due")
        if not slot or date.fromisoformat(slot["due_on"]) > until:
            continue
        late = slot["status"] in ("overdue", "missed") or date.fromisoformat(slot["due_on"]) < day
        due.append({"returnee_id": case["returnee_id"], "name": person_name(names.get(case["returnee_id"])),
                    "slot": slot["slot"], "due_on": slot["due_on"], "late": late,
                    "days": (date.fromisoformat(slot["due_on"]) - day).days})
    return sorted(due, key=lambda d: d["due_on"])


def days_left(handover: dict, day: date) -> int | None:
    expiry = parse_when(handover.get("expires_at"))
    if not isinstance(expiry, datetime):
        return None
    return max(0, (expiry.astimezone(timezone.utc).date() - day).days)


def offers_waiting(day: date) -> list[dict]:
    offers = portal().partners.handovers(status="offered")
    return sorted(({**h, "days_left": days_left(h, day)} for h in offers), key=lambda h: h.get("offered_at") or "")


def recent_alerts(cases: list, names: dict, day: date) -> list[dict]:
    since = (day - timedelta(days=RECENT_DAYS)).isoformat()
    alerts = []
    for case in [c for c in cases if c.get("open_alerts")][:CASES_ASKED]:
        detail = optional(lambda rid=case["returnee_id"]: portal().monitoring.case(rid)) or {}
        for alert in detail.get("alerts") or []:
            if alert["type"] in RAISED_BY_CHECKINS and alert["raised_at"][:10] >= since:
                alerts.append({**alert, "returnee_id": case["returnee_id"],
                               "name": person_name(names.get(case["returnee_id"]))})
    return sorted(alerts, key=lambda a: a["raised_at"], reverse=True)
