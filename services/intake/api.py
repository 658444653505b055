"""The intake HTTP API for consultants and project leads: returnees, consent, handover, eligibility.

Run: `gunicorn 'services.intake.api:create_app()'`
"""
from __future__ import annotations

import pycountry
from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import domain, eligibility, handlers, offices
from services.intake.brief import render_brief
from services.intake.reports.printing import progress_html
from services.intake.privacy_api import privacy_blp
from services.intake.reports_api import reports_blp
from services.intake.bootstrap import IntakeService, bootstrap
from services.intake.vocabulary import VOCABULARY
from services.intake.schemas import (BriefQuerySchema, ConsentSchema, CountryInsightSchema, CountsQuerySchema,
                                     DepartureSchema, ReturneeCountsSchema, STAFF_NAME_PATTERN,
                                     EligibilityQuerySchema, EligibilitySchema, ExitSchema, HandoverRequestSchema,
                                     OrganisationPatchSchema, OrganisationQuerySchema, OrganisationSchema,
                                     PersonalKeySchema, ProgressQuerySchema, ReturneeOutSchema, ReturneePatchSchema, ReturneeQuerySchema,
                                     ReturneeSchema, TrajectoryChangeSchema)
from shared.errors import Forbidden, Invalid
from shared.http import audit_resource, page_of, principal, require, runtime, service_app
from shared.http.openapi import TEXT, AnswerSchema, download_alternative
from shared.http.workbook import export_language, pdf_response
from shared.http.vocabularies import vocabularies_blueprint
from shared.ids import RETURNEE, SLUG
from shared.redaction import without

WRITERS = ("consultant", "admin")
READERS = WRITERS + ("project_lead",)


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _view(returnee: dict, as_of=None) -> dict:
    """The returnee as the caller may see it (project leads get the pseudonymous view), with the moment its
    copies of partners' and monitoring's state were last known current (`events_as_of`, shared.freshness)."""
    shown = domain.pseudonymous(returnee) if principal().role == "project_lead" else returnee
    return {**shown, "events_as_of": as_of}


returnees_blp = Blueprint("returnees", __name__, url_prefix="/v1/returnees",
                          description="Returnees, their consent, handover and departure")


@returnees_blp.route("")
class Returnees(MethodView):
    @returnees_blp.arguments(ReturneeQuerySchema, location="query")
    @returnees_blp.alt_response(200, schema=page_of(ReturneeOutSchema), success=True)
    @require(*READERS)
    def get(self, args):
        """List returnees (filter by status, country of return, office, trajectory or consultant; search by name or
        client reference with `q`; `attention=true` for those who need attention), a page at a time, oldest first."""
        if args.get("q") and principal().role == "project_lead":
            raise Forbidden("Project leads see returnees pseudonymously: no search by name or client reference.")
        if args.pop("attention"):
            args["attention_on"] = runtime().clock.today()
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
        """Read a returnee, with handover and monitoring state."""
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


organisations_blp = Blueprint("return_organisations", __name__, url_prefix="/v1/return-organisations",
                              description="Dutch return organisations clients are referred to (managed list)")


@organisations_blp.route("")
class ReturnOrganisations(MethodView):
    @organisations_blp.arguments(OrganisationQuerySchema, location="query")
    @organisations_blp.alt_response(200, schema=AnswerSchema, success=True, description="The return organisations")
    @require(*READERS)
    def get(self, args):
        """The return organisations (active ones, or all with `include_inactive=true`)."""
        items = _deps().repo.organisations(include_inactive=args["include_inactive"])
        return {"items": OrganisationSchema().dump(items, many=True)}

    @organisations_blp.arguments(OrganisationSchema)
    @organisations_blp.response(201, OrganisationSchema)
    @require("admin")
    def post(self, body):
        """Add a return organisation (administrators)."""
        return handlers.add_organisation(_deps(), body)


@organisations_blp.route("/<organisation_id>", methods=["PATCH"])
@organisations_blp.arguments(OrganisationPatchSchema)
@organisations_blp.response(200, OrganisationSchema)
@require("admin")
def patch_organisation(body, organisation_id):
    """Deactivate or reactivate a return organisation; past exits keep naming it."""
    return handlers.set_organisation_active(_deps(), organisation_id, body["active"])


offices_blp = Blueprint("offices", __name__, url_prefix="/v1/offices",
                        description="The programme's offices (support points) and regions")


@offices_blp.route("")
@offices_blp.alt_response(200, schema=AnswerSchema, success=True, description="The regions with their offices")
@require(*READERS)
def get_offices():
    """The regions with their offices (offices.json)."""
    return offices.listing()


eligibility_blp = Blueprint("eligibility", __name__, url_prefix="/v1/eligibility",
                            description="REAN and HRT eligibility and amounts, as dated rules")


@eligibility_blp.route("")
@eligibility_blp.arguments(EligibilityQuerySchema, location="query")
@eligibility_blp.alt_response(200, schema=EligibilitySchema, success=True)
@require(*READERS)
def get_eligibility(args):
    """Which return schemes apply for a country and household, with the rule year used."""
    on = args.pop("on") or runtime().clock.today()
    country = args.pop("country")
    return eligibility.assess(country, on=on, **args)


keys_blp = Blueprint("personal_keys", __name__, url_prefix="/v1/personal-keys",
                     description="Sealing keys of personal data, for Homeward services only")


@keys_blp.route("/<returnee_id>")
@keys_blp.alt_response(200, schema=PersonalKeySchema, success=True)
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
@countries_blp.alt_response(200, schema=CountryInsightSchema, success=True)
@require(*READERS)
def country_insights(code):
    """The latest insight for a country: figures only when built from at least k returnees."""
    return _insight(code)


@countries_blp.route("/<code>/brief")
@countries_blp.arguments(BriefQuerySchema, location="query")
@countries_blp.alt_response(200, schema=TEXT, content_type="text/html", success=True, description="The brief as HTML")
@download_alternative(countries_blp, "pdf")
@require(*READERS)
def country_brief(args, code):
    """A printable counselling brief (HTML or PDF; English, Dutch or French) for talking with a new client."""
    insight = _insight(code)
    lang = args["lang"] or request.accept_languages.best_match(["en", "nl", "fr"]) or "en"
    html = render_brief(insight["country"], insight, lang, runtime().settings.suppression_k)
    if args["format"] == "pdf":
        return pdf_response(html, f"brief-{insight['country']}-{lang}.pdf", lang)
    return Response(html, mimetype="text/html")


def create_app(settings=None, service: IntakeService | None = None):
    """Build the intake app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    return service_app(__name__, "Homeward intake", service,
                       (returnees_blp, organisations_blp, offices_blp, eligibility_blp, countries_blp, reports_blp,
                        keys_blp, privacy_blp, vocabularies_blueprint(VOCABULARY)),
                       path_ids={"returnee_id": RETURNEE, "organisation_id": SLUG})
