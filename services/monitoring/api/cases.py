"""Cases: a partner's own list with the next due check-in, staff filters, and one returnee's whole case."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.api.common import CASE_FREE_TEXT, STAFF, _service, for_caller
from services.monitoring.domain.case import effective_checkins, summary
from services.monitoring.money_schemas import ReceiptSchema
from services.monitoring.repository import CaseFilters
from services.monitoring.schemas import CaseItemSchema, CaseQuerySchema, CaseSchema, CheckinOutSchema
from shared.http import page_of, principal, require

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
    return for_caller({**_case_item(case), "departed_on": case.get("departed_on"), "outcome": case.get("outcome"),
                       "vulnerabilities": case.get("vulnerabilities", []), "slots": slots,
                       "checkins": [dump(c) for c in sorted(case["checkins"], key=lambda c: c["recorded_at"])],
                       "scores": scores, "alerts": [handlers.alert_view(case, a) for a in case["alerts"]],
                       "receipts": [ReceiptSchema().dump(r) for r in _service().receipts.of_case(case["returnee_id"])]},
                      CASE_FREE_TEXT)


@cases_blp.route("")
@cases_blp.arguments(CaseQuerySchema, location="query")
@cases_blp.alt_response(200, schema=page_of(CaseItemSchema), success=True)
@require("partner", *STAFF)
def list_cases(args):
    """List cases: a partner sees its own (with the next due check-in); staff filter by country, partner, state."""
    who = principal()
    filters = CaseFilters(country=args.get("country"), state=args.get("state"),
                          partner_id=who.org if who.is_partner else args.get("partner_id"),
                          planned_only=who.is_partner, returnee_ids=tuple(args.get("returnee_id") or ()),
                          due_by=args.get("due_by"), open_alerts=bool(args.get("open_alerts")))
    page = _service().repo.cases_page(filters, args.get("cursor"), args["limit"])
    return {"items": [_case_item(case) for case in page["items"]], "next_cursor": page["next_cursor"]}


@cases_blp.route("/<returnee_id>")
@cases_blp.alt_response(200, schema=CaseSchema, success=True)
@require("partner", *STAFF)
def get_case(returnee_id):
    """A returnee's plan, slots, check-ins, scores over time and alerts."""
    return _case_detail(handlers.visible_case(_service().deps, principal(), returnee_id, whole=True))
