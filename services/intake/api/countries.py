"""Personal-data keys for partners, and the country insights and briefs for counselling."""
from __future__ import annotations

import pycountry
from flask import Response, request
from flask_smorest import Blueprint

from services.intake import handlers
from services.intake.brief import render_brief
from services.intake.schemas import (BriefQuerySchema, CountryInsightSchema, CountryInsightsSchema,
                                     InsightsQuerySchema, PersonalKeySchema)
from shared.errors import Invalid
from shared.http import require, runtime
from shared.http.openapi import TEXT, download_alternative
from shared.http.workbook import pdf_response


from services.intake.api.common import READERS, _deps


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
    return _deps().repo.insight(code) or _none_yet(code)


def _none_yet(code: str) -> dict:
    """What a country without an insight yet answers: suppressed, nobody counted."""
    return {"country": code, "returnees": 0, "checkins": 0, "suppressed": True, "k": runtime().settings.suppression_k,
            "updated_at": None}


@countries_blp.route("/insights")
@countries_blp.arguments(InsightsQuerySchema, location="query")
@countries_blp.alt_response(200, schema=CountryInsightsSchema, success=True)
@require(*READERS)
def several_insights(args):
    """The latest insights of several countries in one call (`?country=NG&country=ET`), in the order asked."""
    codes = list(dict.fromkeys(args["country"]))
    found = _deps().repo.insights(codes)
    return {"items": [found.get(code) or _none_yet(code) for code in codes]}


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
