"""`GET /v1/audit`: who read or wrote a resource, or anything about one returnee (administrators)."""
from __future__ import annotations

import re

import marshmallow as ma
from flask_smorest import Blueprint

from shared.audit import AuditLog
from shared.http.openapi import AnswerSchema
from shared.http.paging import PageQuerySchema, page_of
from shared.http.security import require
from shared.ids import RETURNEE, Id


class AuditQuerySchema(PageQuerySchema):
    cursor = Id(load_default=None)  # audit entries have bare ULIDs
    # the id a request was about: mostly a prefixed ULID, sometimes a country code (/v1/countries/NG/...)
    resource_id = Id(re.compile(r"[A-Za-z0-9_]{1,64}"), load_default=None, metadata={
        "description": "the entries about this id; give either resource_id or returnee_id (`one_filter`)"})
    returnee_id = Id(RETURNEE, load_default=None, metadata={
        "description": "every entry concerning this returnee, whatever the URL named (a handover, an alert); "
                       "give either resource_id or returnee_id (`one_filter`)"})

    @ma.validates_schema
    def one_filter(self, data, **kwargs):
        if bool(data.get("resource_id")) == bool(data.get("returnee_id")):
            raise ma.ValidationError("Give either resource_id or returnee_id.", "resource_id")


class AuditRecordSchema(AnswerSchema):
    id = ma.fields.String(required=True)
    at = ma.fields.DateTime(required=True)
    who = ma.fields.String(required=True)
    role = ma.fields.String(required=True)
    org = ma.fields.String(required=True, allow_none=True)
    method = ma.fields.String(required=True)
    path = ma.fields.String(required=True)
    resource_id = ma.fields.String(required=True, allow_none=True)
    returnee_id = ma.fields.String(allow_none=True)
    status = ma.fields.Integer(required=True)
    request_id = ma.fields.String(allow_none=True)


def audit_blueprint(audit: AuditLog) -> Blueprint:
    audit_blp = Blueprint("audit", __name__, url_prefix="/v1/audit", description="Audit log")

    @audit_blp.route("")
    @audit_blp.arguments(AuditQuerySchema, location="query")
    @audit_blp.alt_response(200, schema=page_of(AuditRecordSchema), success=True)
    @require("admin")
    def audit_log(args):
        """Who read or wrote a resource, or anything about one returnee, when, and from which organisation (administrators)."""
        name = "resource_id" if args["resource_id"] else "returnee_id"
        return audit.page(args["limit"], args["cursor"], **{name: args[name]})

    return audit_blp
