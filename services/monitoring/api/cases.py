"""Cases: a partner's own list with the next due check-in, staff filters, and one returnee's whole case."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.api.common import STAFF, _service
from services.monitoring.domain.case import effective_checkins, summary
from services.monitoring.schemas import CaseQuerySchema, CheckinOutSchema
from shared.http import principal, require

cases_blp = Blueprint("cases", __name__, url_prefix="/v1/cases", description="Monitoring cases")


def _case_item(case: dict) -> dict:
    brief = summary(case)
    upcoming = [s for s in case["slots"] if s["due_on"] == brief["next_due_on"]]
    return {"returnee_id": case["returnee_id"], "country": case["country"], "partner_id": case["partner_id"],
            "arrived_on": case["arrived_on"], "state": case["state"], "next_due_on": brief["next_due_on"],
            "next_due": {k: upcoming[0][k] for k in ("slot", "due_on", "status")} if upcoming else None,
            "latest_index": case["latest_index"], "open_alerts": brief["open_alerts"]}


def _case_detail(case: dict) -> dict:
    dump = CheckinOutSchema().dump
    by_id = {c["id"]: c for c in case["checkins"]}
    slots = [{**{k: s[k] for k in ("slot", "due_on", "status")},
              "checkin": dump(by_id[s["checkin_id"]]) if s["checkin_id"] else None} for s in case["slots"]]
    scores = [{"checkin_id": c["id"], "slot": c["slot"], "contact_date": c["contact_date"], "index": c["index"],
               "rss": c["rss"], "scheme_version": c["scheme_version"], "scores": c["scores"]}
              for c in effective_checkins(case)]
    return {**_case_item(case), "departed_on": case.get("departed_on"), "outcome": case.get("outcome"),
            "vulnerabilities": case.get("vulnerabilities", []), "slots": slots,
            "checkins": [dump(c) for c in sorted(case["checkins"], key=lambda c: c["recorded_at"])],
            "scores": scores, "alerts": [handlers.alert_view(case, a) for a in case["alerts"]]}


@cases_blp.route("")
@cases_blp.arguments(CaseQuerySchema, location="query")
@require("partner", *STAFF)
def list_cases(args):
    """List cases: a partner sees its own (with the next due check-in); staff filter by country, partner, state."""
    who = principal()
    selector = {k: args[k] for k in ("country", "partner_id", "state") if args.get(k)}
    if who.is_partner:
        selector["partner_id"] = who.org
        selector.setdefault("state", {"$ne": "awaiting_arrival"})
    query = dict(selector)
    if args.get("cursor"):
        query["_id"] = {"$gt": args["cursor"]}
    docs = list(_service().repo.cases.find(query).sort("_id", 1).limit(args["limit"] + 1))
    more = len(docs) > args["limit"]
    docs = docs[:args["limit"]]
    return {"items": [_case_item(d) for d in docs], "next_cursor": docs[-1]["_id"] if more and docs else None}


@cases_blp.route("/<returnee_id>")
@require("partner", *STAFF)
def get_case(returnee_id):
    """A returnee's plan, slots, check-ins, scores over time and alerts."""
    return _case_detail(handlers.visible_case(_service().deps, principal(), returnee_id))
