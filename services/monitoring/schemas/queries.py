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


# an alert id names its case (`alr_<ulid>.<returnee id>`, see repository.ALERT_SCOPE); older ones do not
ALERT_ID = re.compile(rf"alr_{ULID}(?:\.[A-Za-z0-9_-]{{1,64}})?")


class AlertQuerySchema(PageQuerySchema):
    cursor = Id(ALERT_ID, load_default=None)  # the last alert id of the previous page
    status = fields.String(validate=one_of(ALERT_STATUSES))
    country = CountryCode()
    type = fields.String(validate=one_of(ALERT_TYPES))
    returnee_id = fields.String()


class AlertActionSchema(StrictSchema):
    note = fields.String(load_default="", validate=validate.Length(max=2000))
