"""`GET /v1/access/glass-breaks`: client files opened outside the opener's need-to-know, with the reason
(administrators); each service that guards client files serves its own (intake's files, monitoring's cases).

The rule and the header that breaks the glass are shared/glass_breaks.py."""
from __future__ import annotations

import re

from flask_smorest import Blueprint
from marshmallow import fields

from shared.http.context import runtime
from shared.http.openapi import AnswerSchema
from shared.http.paging import PageQuerySchema, page_of
from shared.http.security import require
from shared.ids import RETURNEE, Id

STAFF_NAME_PATTERN = re.compile(r"[A-Za-z0-9._@:-]{1,64}")  # a token's `sub` as the staff pages sign it


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


def glass_breaks_blueprint() -> Blueprint:
    """The blueprint of the service's glass breaks (its service's `access.page`)."""
    blp = Blueprint("access", __name__, url_prefix="/v1/access",
                    description="Need-to-know: the files opened with a reason (break the glass)")

    @blp.route("/glass-breaks")
    @blp.arguments(GlassBreakQuerySchema, location="query")
    @blp.alt_response(200, schema=page_of(GlassBreakSchema), success=True)
    @require("admin")
    def glass_breaks(args):
        """Who opened which client's file outside their caseload, why and when, newest first (one entry per person,
        client, reason and day)."""
        page = runtime().extras["service"].access.log.page(args["limit"], args["cursor"], args["returnee_id"],
                                                           args["who"])
        return {"items": GlassBreakSchema().dump(page["items"], many=True), "next_cursor": page["next_cursor"]}

    return blp
