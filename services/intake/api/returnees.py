"""Returnees: register, list and search, read, correct; consent, handover, departure, trajectory, exit, progress report."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import domain, handlers
from services.intake.access import visible_to
from services.intake.reports.printing import progress_html
from services.intake.schemas import (ConsentSchema, CountsQuerySchema,
                                     DepartureSchema, ReturneeCountsSchema, STAFF_NAME_PATTERN,
                                     ExitSchema, HandoverRequestSchema,
                                     ProgressQuerySchema, ReturneeOutSchema, ReturneePatchSchema, ReturneeQuerySchema,
                                     ReturneeSchema, TrajectoryChangeSchema)
from shared.errors import Forbidden
from shared.http import audit_resource, page_of, principal, require, runtime
from shared.http.openapi import AnswerSchema, download_alternative
from shared.http.workbook import export_language, pdf_response
from shared.redaction import without


from services.intake.api.common import READERS, WRITERS, _deps, _view


returnees_blp = Blueprint("returnees", __name__, url_prefix="/v1/returnees",
                          description="Returnees, their consent, handover and departure")


@returnees_blp.route("")
class Returnees(MethodView):
    @returnees_blp.arguments(ReturneeQuerySchema, location="query")
    @returnees_blp.alt_response(200, schema=page_of(ReturneeOutSchema), success=True)
    @require(*READERS)
    def get(self, args):
        """List returnees (filter by status, country of return, office, trajectory or consultant; search by name or
        client reference with `q`; `attention=true` for those who need attention), a page at a time, oldest first;
        a consultant's list holds only their caseload (their offices', their own and their team's and covered ones')."""
        if args.get("q") and principal().role == "project_lead":
            raise Forbidden("Project leads see returnees pseudonymously: no search by name or client reference.")
        if args.pop("attention"):
            args["attention_on"] = runtime().clock.today()
        args["visible"] = visible_to(principal())  # the caller's caseload only (services.intake.access)
        page = _deps().repo.page(args, args["cursor"], args["limit"])
        as_of = _deps().repo.events_as_of()
        return {"items": ReturneeSchema().dump([_view(r, as_of) for r in page["items"]], many=True),
                "next_cursor": page["next_cursor"]}

    @returnees_blp.arguments(ReturneeSchema)
    @returnees_blp.response(201, ReturneeOutSchema)
    @require(*WRITERS)
    def post(self, data):
        """Register a returnee (followed by the registering consultant unless `consultant` names another)."""
        who = principal()
        if not data.get("consultant") and who.role == "consultant" and STAFF_NAME_PATTERN.fullmatch(who.sub or ""):
            data["consultant"] = who.sub
        returnee = handlers.register_returnee(_deps(), data)
        audit_resource(returnee["id"])
        return returnee


@returnees_blp.route("/counts")
@returnees_blp.arguments(CountsQuerySchema, location="query")
@returnees_blp.alt_response(200, schema=ReturneeCountsSchema, success=True)
@require(*READERS)
def count_returnees(args):
    """How many returnees there are, per status and per country of return (optionally of one office or
    trajectory): what a dashboard counts, without reading the list."""
    return _deps().repo.counts(args)


@returnees_blp.route("/<returnee_id>")
class ReturneeById(MethodView):
    @returnees_blp.response(200, ReturneeOutSchema)
    @require(*READERS)
    def get(self, returnee_id):
        """Read a returnee, with handover and monitoring state. A consultant outside the client's caseload (here and
        on every route under it) gives a reason in the header `X-Access-Reason` (recorded: `/v1/access/glass-breaks`);
        without one: 403 `access-reason-required`."""
        return _view(handlers.get_returnee(_deps(), returnee_id), _deps().repo.events_as_of())

    @returnees_blp.arguments(ReturneePatchSchema(partial=True))
    @returnees_blp.response(200, ReturneeOutSchema)
    @returnees_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def patch(self, changes, returnee_id):
        """Change a returnee's details (not status, not consent)."""
        return handlers.update_returnee(_deps(), returnee_id, changes)

    @returnees_blp.response(204)
    @require(*WRITERS)
    def delete(self, returnee_id):
        """Erase a returnee's personal data here and in every other service."""
        handlers.erase_returnee(_deps(), returnee_id)


@returnees_blp.route("/<returnee_id>/consent", methods=["PUT"])
@returnees_blp.arguments(ConsentSchema)
@returnees_blp.response(200, ReturneeOutSchema)
@returnees_blp.alt_response(409, response="CONFLICT")
@require(*WRITERS)
def put_consent(consent, returnee_id):
    """Record (or withdraw) consent to share with the partner and with chain partners."""
    return handlers.set_consent(_deps(), returnee_id, consent)


@returnees_blp.route("/<returnee_id>/handover", methods=["POST"])
@returnees_blp.arguments(HandoverRequestSchema)
@returnees_blp.response(202, ReturneeOutSchema)
@returnees_blp.alt_response(409, response="CONFLICT")
@require(*WRITERS)
def post_handover(body, returnee_id):
    """Offer the case to a partner organisation; the partner answers asynchronously."""
    return handlers.request_handover(_deps(), returnee_id, body["partner_id"])


@returnees_blp.route("/<returnee_id>/departure", methods=["POST"])
@returnees_blp.arguments(DepartureSchema)
@returnees_blp.response(200, ReturneeOutSchema)
@returnees_blp.alt_response(409, response="CONFLICT")
@require(*WRITERS)
def post_departure(body, returnee_id):
    """Record the departure date (once; also after the partner confirmed the arrival, not after that date)."""
    return handlers.record_departure(_deps(), returnee_id, body["departed_on"])


@returnees_blp.route("/<returnee_id>/trajectory", methods=["POST"])
@returnees_blp.arguments(TrajectoryChangeSchema)
@returnees_blp.response(200, ReturneeSchema)
@require(*WRITERS)
def post_trajectory(body, returnee_id):
    """Record the decision to return (future orientation -> return guidance), or going back on it."""
    return handlers.change_trajectory(_deps(), returnee_id, body["trajectory"], body["decided_on"])


@returnees_blp.route("/<returnee_id>/exit", methods=["POST"])
@returnees_blp.arguments(ExitSchema)
@returnees_blp.response(200, ReturneeSchema)
@require(*WRITERS)
def post_exit(body, returnee_id):
    """End the case without return (never after departure); withdraws an open handover offer."""
    return handlers.record_exit(_deps(), returnee_id, body)


@returnees_blp.route("/<returnee_id>/progress-report")
@returnees_blp.arguments(ProgressQuerySchema, location="query")
@returnees_blp.alt_response(200, schema=AnswerSchema, success=True, description="The progress report")
@download_alternative(returnees_blp, "pdf")
@require(*READERS)
def progress_report(args, returnee_id):
    """The half-yearly progress report for the municipality (pseudonymous for project leads: no names, file number,
    goals in words, support descriptions or exit note); JSON or PDF."""
    lead = principal().role == "project_lead"
    report = handlers.progress_report(_deps(), returnee_id, args["until"], with_names=not lead)
    report = without(report, domain.LEAD_HIDDEN_IN_REPORT) if lead else report
    if args["format"] == "pdf":
        lang = export_language()  # the file is named by its id and date, never by the client's name
        return pdf_response(progress_html([report], lang), f"progress-{returnee_id}-{report['period']['end']}.pdf", lang)
    return report
