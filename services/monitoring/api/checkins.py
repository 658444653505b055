"""Check-ins: one at a time (with an Idempotency-Key) or a batch collected offline."""
from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.api.common import _service
from services.monitoring.schemas import (BatchItemSchema, BatchResultsSchema, BatchSchema, CheckinOutSchema,
                                         CheckinSchema)
from shared.errors import DomainError
from shared.glass_breaks import check_file, narrowed
from shared.http import PROBLEM, Problem, audit_resource, flatten_errors, principal, refusal_response, require
from shared.http.problems import ProblemSchema
from shared.http.writes import answer, kept_refusal, key_problem
from shared.idempotency import KeyInFlight, KeyReused, fingerprint
from shared.texts import Text

WRITERS = ("partner", "consultant")

checkins_blp = Blueprint("checkins", __name__, url_prefix="/v1/checkins",
                         description="Monitoring check-ins from partners and consultants")
IDEMPOTENCY_HEADER = {"name": "Idempotency-Key", "in": "header", "required": True, "schema": {"type": "string"}}
NOT_YET_HEADERS = {"Retry-After": {"description": "seconds before asking again", "schema": {"type": "integer"}}}


def _scope() -> str:
    who = principal()
    return f"org:{who.org}" if who.is_partner else f"user:{who.sub}"


def _record(key: str, payload, data: dict) -> tuple[dict, int]:
    """Record the check-in with its Idempotency-Key in one write of its case, or give the key's answer again."""
    claim = handlers.Claim(f"{_scope()}:{key}", fingerprint(payload), CheckinOutSchema().dump, kept_refusal)
    who, service = principal(), _service()
    if narrowed(who):  # a consultant's check-in: a client of their caseload, or the glass broken with a reason
        check_file(who, data["returnee_id"], service.access.owner, service.access.log, service.clock.now())
    try:
        recorded = handlers.record_checkin(_service().deps, principal(), data, claim)
    except (KeyReused, KeyInFlight) as refused:
        raise key_problem(refused) from None
    return answer(recorded.status, recorded.body)


@checkins_blp.route("", methods=["POST"])
@checkins_blp.doc(parameters=[IDEMPOTENCY_HEADER])
@checkins_blp.arguments(CheckinSchema)
@checkins_blp.response(201, CheckinOutSchema)
@checkins_blp.alt_response(404, schema=ProblemSchema, content_type=PROBLEM, headers=NOT_YET_HEADERS, description=(
    "Monitoring does not know this returnee's case yet (type `.../problems/case-not-known-yet`): not stored "
    "under the Idempotency-Key; retry after Retry-After seconds with the same key and body."))
@checkins_blp.alt_response(409, response="CONFLICT")
@require(*WRITERS)
def post_checkin(data):
    """Record a check-in. Retries with the same Idempotency-Key and body get the stored response."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key or len(key) > 200:
        raise Problem(400, "The Idempotency-Key header is required (at most 200 characters).",
                      errors={"Idempotency-Key": "required"})
    audit_resource(data["returnee_id"])
    return _record(key, request.get_json(), data)


@checkins_blp.route("/batch", methods=["POST"])
@checkins_blp.arguments(BatchSchema)
@checkins_blp.alt_response(200, schema=BatchResultsSchema, success=True)
@require(*WRITERS)
def post_batch(batch):
    """Record check-ins collected offline: one result per item, in order; a bad item, even one that is not
    an item at all, never blocks the rest (only a body that is not `{"items": [...]}` is refused whole)."""
    items = batch["items"]
    limit = _service().batch_max_items
    if len(items) > limit:
        raise Problem(413, Text("At most {limit} items per batch; split the upload.", limit=limit))
    return {"results": [{"index": index, **_batch_item(index, item)} for index, item in enumerate(items)]}, 200


def _batch_item(index: int, raw) -> dict:
    try:
        item = _well_formed(index, raw)
    except Problem as malformed:
        key = raw.get("idempotency_key") if isinstance(raw, dict) else None
        return _refused(key if isinstance(key, str) and 0 < len(key) <= 200 else None, malformed)
    key = item["idempotency_key"]
    try:
        data = CheckinSchema().load(item["checkin"])
    except ma.ValidationError as exc:
        return _refused(key, Problem(422, "The check-in has invalid fields.", flatten_errors(exc.messages)))
    try:
        body, status = _record(key, item["checkin"], data)
    except (Problem, DomainError) as refusal:
        return _refused(key, refusal)
    return {"idempotency_key": key, "status": status, "checkin": body}


def _well_formed(index: int, raw) -> dict:
    """The item as `{idempotency_key, checkin}`, or its own 422 naming it by its index (`items.<index>...`)."""
    detail = Text("Item {index} of the batch is not a check-in item: it needs an idempotency_key and a checkin.",
                  index=index)
    if not isinstance(raw, dict):
        raise Problem(422, detail, {f"items.{index}": "Not a valid mapping type."})
    try:
        return BatchItemSchema().load(raw)
    except ma.ValidationError as exc:
        raise Problem(422, detail, flatten_errors(exc.messages, f"items.{index}")) from None


def _refused(key: str | None, refusal: Exception) -> dict:
    """An item's result when refused: its problem document (with `retry_after` when it may change)."""
    error = refusal_response(refusal).get_json()
    return {"idempotency_key": key, "status": error["status"], "error": error}
