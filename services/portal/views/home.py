"""Home: the check-ins due (within PORTAL_DUE_DAYS) and late, the offers waiting for an answer with the
days left, and the alerts the organisation's check-ins raised recently.

Each a page of the APIs, whatever the organisation's caseload (issue 23): monitoring's cases due by the day
(`due_by`) and those with open alerts, partners' oldest offers, and the names of those cases in one call."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from flask import Blueprint, render_template

from services.portal.views.common import handovers_of, optional, person_name, portal, today
from shared.pages.formatting import parse_when

bp = Blueprint("home", __name__)
RAISED_BY_CHECKINS = ("critical_domain", "index_drop", "safety_concern", "re_migrated", "deceased")
RECENT_DAYS = 30
CASES_ASKED = 10  # case details read for their alerts: the ones with open alerts, at most this many
DUE_SHOWN = 100  # cases due listed at most (the page says when more are due)
OFFERS_SHOWN = 50  # offers on a page (the offers page has the next ones)


@bp.route("/")
def index():
    day = today()
    monitoring = portal().monitoring
    due = monitoring.cases(DUE_SHOWN, due_by=day + timedelta(days=portal().settings.due_days))
    alerted = monitoring.cases(CASES_ASKED, open_alerts=True)["items"]
    names = handovers_of([c["returnee_id"] for c in due["items"] + alerted], ("arrived",))
    offers, more_offers = offers_waiting(day)
    return render_template("home.html", due=due_list(due["items"], names, day), more_due=bool(due["next_cursor"]),
                           offers=offers, more_offers=bool(more_offers), alerts=recent_alerts(alerted, names, day))


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


def offers_waiting(day: date, cursor: str | None = None) -> tuple[list[dict], str | None]:
    """A page of the offers waiting, the oldest first (the first to expire), and the next page's cursor."""
    page = portal().partners.handovers(("offered",), limit=OFFERS_SHOWN, cursor=cursor)
    offers = sorted(({**h, "days_left": days_left(h, day)} for h in page["items"]),
                    key=lambda h: h.get("offered_at") or "")
    return offers, page["next_cursor"]


def recent_alerts(cases: list, names: dict, day: date) -> list[dict]:
    since = (day - timedelta(days=RECENT_DAYS)).isoformat()
    alerts = []
    for case in [c for c in cases if c.get("open_alerts")][:CASES_ASKED]:  # the API's page of them
        detail = optional(lambda rid=case["returnee_id"]: portal().monitoring.case(rid)) or {}
        for alert in detail.get("alerts") or []:
            if alert["type"] in RAISED_BY_CHECKINS and alert["raised_at"][:10] >= since:
                alerts.append({**alert, "returnee_id": case["returnee_id"],
                               "name": person_name(names.get(case["returnee_id"]))})
    return sorted(alerts, key=lambda a: a["raised_at"], reverse=True)
