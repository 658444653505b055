"""The intake HTTP API for consultants and project leads: returnees, consent, handover, eligibility.

Run: `gunicorn 'services.intake.api:create_app()'`
"""
from __future__ import annotations

import pycountry
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import domain, eligibility, handlers
from services.intake.brief import render_brief
from services.intake.privacy_api import privacy_blp
from services.intake.reports import quarterly_report, report_rows
from services.intake.bootstrap import IntakeService, bootstrap
from services.intake.schemas import (BriefQuerySchema, ConsentSchema, QuarterQuerySchema, DepartureSchema, EligibilityQuerySchema,
                                     HandoverRequestSchema, ReturneePatchSchema, ReturneeQuerySchema,
                                     ReturneeSchema)
from shared.errors import Invalid
from shared.http import audit_resource, csv_response, principal, require, runtime, service_app, wants_csv

WRITERS = ("consultant", "admin")
READERS = WRITERS + ("project_lead",)


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _view(returnee: dict) -> dict:
    """The returnee as the caller may see it: project leads get the pseudonymous view."""
    return domain.pseudonymous(returnee) if principal().role == "project_lead" else returnee


returnees_blp = Blueprint("returnees", __name__, url_prefix="/v1/returnees",
                          description="Returnees, their consent, handover and departure")


@returnees_blp.route("")
class Returnees(MethodView):
    @returnees_blp.arguments(ReturneeQuerySchema, location="query")
    @require(*READERS)
    def get(self, args):
        """List returnees (filter by status and country of return)."""
        page = _deps().repo.page(args, args["cursor"], args["limit"])
        return {"items": ReturneeSchema().dump([_view(r) for r in page["items"]], many=True),
                "next_cursor": page["next_cursor"]}

    @returnees_blp.arguments(ReturneeSchema)
    @returnees_blp.response(201, ReturneeSchema)
    @require(*WRITERS)
    def post(self, data):
        """Register a returnee."""
        returnee = handlers.register_returnee(_deps(), data)
        audit_resource(returnee["id"])
        return returnee


@returnees_blp.route("/<returnee_id>")
class ReturneeById(MethodView):
    @returnees_blp.response(200, ReturneeSchema)
    @require(*READERS)
    def get(self, returnee_id):
        """Read a returnee, with handover and monitoring state."""
        return _view(handlers.get_returnee(_deps(), returnee_id))

    @returnees_blp.arguments(ReturneePatchSchema(partial=True))
    @returnees_blp.response(200, ReturneeSchema)
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
@returnees_blp.response(200, ReturneeSchema)
@require(*WRITERS)
def put_consent(consent, returnee_id):
    """Record (or withdraw) consent to share with the partner and with chain partners."""
    return handlers.set_consent(_deps(), returnee_id, consent)


@returnees_blp.route("/<returnee_id>/handover", methods=["POST"])
@returnees_blp.arguments(HandoverRequestSchema)
@returnees_blp.response(202, ReturneeSchema)
@require(*WRITERS)
def post_handover(body, returnee_id):
    """Offer the case to a partner organisation; the partner answers asynchronously."""
    return handlers.request_handover(_deps(), returnee_id, body["partner_id"])


@returnees_blp.route("/<returnee_id>/departure", methods=["POST"])
@returnees_blp.arguments(DepartureSchema)
@returnees_blp.response(200, ReturneeSchema)
@require(*WRITERS)
def post_departure(body, returnee_id):
    """Record the departure date."""
    return handlers.record_departure(_deps(), returnee_id, body["departed_on"])


eligibility_blp = Blueprint("eligibility", __name__, url_prefix="/v1/eligibility",
                            description="REAN and HRT eligibility and amounts, as dated rules")


@eligibility_blp.route("")
@eligibility_blp.arguments(EligibilityQuerySchema, location="query")
@require(*READERS)
def get_eligibility(args):
    """Which return schemes apply for a country and household, with the rule year used."""
    on = args.pop("on") or runtime().clock.today()
    country = args.pop("country")
    return eligibility.assess(country, on=on, **args)


keys_blp = Blueprint("personal_keys", __name__, url_prefix="/v1/personal-keys",
                     description="Sealing keys of personal data, for Homeward services only")


@keys_blp.route("/<returnee_id>")
@require("service")
def personal_key(returnee_id):
    """The key that opens a returnee's sealed `personal` data (404 once erased or without consent)."""
    return handlers.release_personal_key(_deps(), returnee_id)


countries_blp = Blueprint("countries", __name__, url_prefix="/v1/countries",
                           description="Country information for counselling new clients")


def _insight(code: str) -> dict:
    code = code.upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise Invalid("Not a country code.", errors={"code": "Not an ISO 3166-1 alpha-2 country code."})
    insight = _deps().repo.insight(code)
    k = runtime().settings.suppression_k
    return insight if insight else {"country": code, "returnees": 0, "checkins": 0, "suppressed": True,
                                       "k": k, "updated_at": None}


@countries_blp.route("/<code>/insights")
@require(*READERS)
def country_insights(code):
    """The latest insight for a country: figures only when built from at least k returnees."""
    return _insight(code)


@countries_blp.route("/<code>/brief")
@countries_blp.arguments(BriefQuerySchema, location="query")
@countries_blp.doc(responses={"200": {"content": {"text/html": {}}}})
@require(*READERS)
def country_brief(args, code):
    """A printable counselling brief (HTML, English or Dutch) for talking with a new client."""
    insight = _insight(code)
    lang = args["lang"] or request.accept_languages.best_match(["en", "nl"]) or "en"
    html = render_brief(insight["country"], insight, lang, runtime().settings.suppression_k)
    return Response(html, mimetype="text/html")


reports_blp = Blueprint("reports", __name__, url_prefix="/v1/reports", description="Reports for project leads")


@reports_blp.route("/quarterly")
@reports_blp.arguments(QuarterQuerySchema, location="query")
@require("project_lead", "admin")
def quarterly(args):
    """The quarterly figures (period and cumulative), as JSON or CSV."""
    report = quarterly_report(_deps().repo.report_facts(), args["year"], args["quarter"])
    if args["format"] == "csv" or wants_csv():
        return csv_response(report_rows(report), f"quarterly-{args['year']}-Q{args['quarter']}.csv")
    return report


def create_app(settings=None, service: IntakeService | None = None):
    """Build the intake app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    return service_app(__name__, "Homeward intake", service,
                       (returnees_blp, eligibility_blp, countries_blp, reports_blp, keys_blp, privacy_blp))
