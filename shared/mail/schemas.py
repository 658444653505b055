"""The delivery log's HTTP shape (for administrators): who, what kind, state, attempts, times; no texts."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from shared.fields import one_of
from shared.http import PageQuerySchema
from shared.ids import MAIL, Id
from shared.mail.outbox import STATES


class MailLogQuerySchema(PageQuerySchema):
    cursor = Id(MAIL, load_default=None)
    state = fields.String(validate=one_of(STATES))


class MailLogSchema(ma.Schema):
    id = fields.String()
    to = fields.String(metadata={"description": "the recipient's address"})
    kind = fields.String(metadata={"description": "what the mail was about (shared/mail/texts.py KINDS, or digest)"})
    lang = fields.String()
    state = fields.String(metadata={"description": "pending, sending, sent, failed; digest (waiting for the "
                                                   "daily digest), digested (went out in one)"})
    attempts = fields.Integer()
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True, metadata={"description": "the SMTP error, for operators"})
