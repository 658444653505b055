"""The glass breaks: client files opened outside the opener's need-to-know, with the reason (administrators).

The rule itself and the header that breaks the glass are services/intake/access.py."""
from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import fields

from services.intake.schemas import STAFF_NAME_PATTERN
from shared.http import PageQuerySchema, page_of, require, runtime
from shared.http.openapi import AnswerSchema
from shared.ids import RETURNEE, Id

access_blp = Blueprint("access", __name__, url_prefix="/v1/access",
                       description="Need-to-know: the files opened with a reason (break the glass)")


class GlassBreakQuerySchema(PageQuerySchema):
    cursor = Id(load_default=None)  # glass breaks have bare ULIDs
    returnee_id = Id(RETURNEE, load_default=None, metadata={"description": "only this client's"})
    who = Id(STAFF_NAME_PATTERN, load_default=None, metadata={"description": "only this person's (a token's `sub`)"})


class GlassBreakSchema(AnswerSchema):
    id = fields.String(required=True)
    at = fields.DateTime(required=True, metadata={"description": "the first request of the day with this reason"})
    last_at = fields.DateTime(required=True, metadata={"description": "the last one"})
    who = fields.String(required=True)
    role = fields.String(required=True)
    returnee_id = fields.String(required=True)
    reason = fields.String(required=True, metadata={"description": "as given in X-Access-Reason"})
    path = fields.String(required=True, metadata={"description": "the first request's path"})
    requests = fields.Integer(required=True, metadata={"description": "the requests that day with this reason"})


@access_blp.route("/glass-breaks")
@access_blp.arguments(GlassBreakQuerySchema, location="query")
@access_blp.alt_response(200, schema=page_of(GlassBreakSchema), success=True)
@require("admin")
def glass_breaks(args):
    """Who opened which client's file outside their caseload, why and when, newest first (one entry per person,
    client, reason and day)."""
    page = runtime().extras["service"].access.page(args["limit"], args["cursor"], args["returnee_id"], args["who"])
    return {"items": GlassBreakSchema().dump(page["items"], many=True), "next_cursor": page["next_cursor"]}
