"""What the case and alert lists are asked, and what an alert action carries."""
from __future__ import annotations

import re

from marshmallow import fields, validate

from services.monitoring.vocabulary import ALERT_STATUSES, ALERT_TYPES, CASE_STATES
from shared.fields import CountryCode, StrictSchema, one_of
from shared.http import PageQuerySchema
from shared.ids import ULID, Id


class CaseQuerySchema(PageQuerySchema):
    country = CountryCode()
    partner_id = fields.String()
    state = fields.String(validate=one_of(CASE_STATES))
    returnee_id = fields.List(fields.String(validate=validate.Length(min=1, max=64)), validate=validate.Length(
        max=200), metadata={"description": "only these returnees' cases (repeat the parameter, at most 200)"})
    due_by = fields.Date(metadata={"description": "only the cases whose next open check-in is due on or before this "
                                                  "day (late ones included)"})
    open_alerts = fields.Boolean(metadata={"description": "true: only the cases with an alert not resolved yet"})


# an alert id names its case (`alr_<ulid>.<returnee id>`, see repository.ALERT_SCOPE); older ones do not
ALERT_ID = re.compile(rf"alr_{ULID}(?:\.[A-Za-z0-9_-]{{1,64}})?")


STAFF_NAME = re.compile(r"[A-Za-z0-9._@:-]{1,64}")  # a staff user name as intake records who follows a client


class AlertCountsQuerySchema(StrictSchema):
    status = fields.List(fields.String(validate=one_of(ALERT_STATUSES)), metadata={
        "description": "only alerts of these statuses (repeat the parameter for several)"})
    country = CountryCode()
    consultant = Id(STAFF_NAME, metadata={"description": "only the alerts of the clients this consultant follows "
                                                         "(as intake names them, e.g. web:alice)"})
    office = fields.String(validate=validate.Length(min=1, max=64), metadata={
        "description": "only the alerts of the clients of this office (intake's office id)"})


class AlertQuerySchema(PageQuerySchema, AlertCountsQuerySchema):
    cursor = Id(ALERT_ID, load_default=None)  # the last alert id of the previous page
    type = fields.String(validate=one_of(ALERT_TYPES))
    returnee_id = fields.String()
    order = fields.String(load_default="oldest", validate=one_of(("oldest", "worklist")), metadata={
        "description": "`oldest` first, or `worklist`: the most serious type first, newest first within a type"})


class AlertActionSchema(StrictSchema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))
