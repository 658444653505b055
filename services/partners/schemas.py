"""HTTP request/response schemas and the event fields partners reads and emits."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.partners.vocabulary import DECLINE_REASONS, HANDOVER_STATUSES, SUPPORT_TYPES
from shared.fields import DATE_FROM_2000, NOT_BLANK_PATTERN, CountryCode, NonBlank, ReaderSchema, StrictSchema, one_of
from shared.http import PageQuerySchema
from shared.ids import HANDOVER, PARTNER, RETURNEE, WEBHOOK_MESSAGE, Id


class ContactSchema(StrictSchema):
    name = fields.String(validate=validate.Length(max=200))
    email = fields.Email()
    phone = fields.String(validate=validate.Length(max=50))


class NoteSchema(ma.Schema):
    at = fields.DateTime()
    kind = fields.String(metadata={"description": "webhook_paused, webhook_resumed"})
    text = fields.String()


class PartnerSchema(StrictSchema):
    id = fields.String(dump_only=True)
    name = NonBlank(required=True, validate=validate.Length(max=200))
    countries = fields.List(CountryCode(), required=True, validate=validate.Length(min=1))
    services = fields.List(fields.String(validate=one_of(SUPPORT_TYPES)), load_default=list)
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=35)), load_default=list)
    contact = fields.Nested(ContactSchema, load_default=dict)
    network = fields.String(load_default="ERSO", validate=validate.Length(max=100))
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    notes = fields.List(fields.Nested(NoteSchema), dump_only=True, metadata={
        "description": "what the system told administrators about this organisation (e.g. webhook paused)"})


class PartnerNameSchema(ma.Schema):
    """What every staff role may read of an organisation: nothing about its contact person."""
    id = fields.String()
    name = fields.String()
    countries = fields.List(fields.String())
    active = fields.Boolean()


class PartnerPatchSchema(PartnerSchema):
    name = NonBlank(validate=validate.Length(max=200))
    countries = fields.List(CountryCode(), validate=validate.Length(min=1))
    services = fields.List(fields.String(validate=one_of(SUPPORT_TYPES)))
    languages = fields.List(fields.String(validate=validate.Length(min=2, max=35)))
    contact = fields.Nested(ContactSchema)
    network = fields.String(validate=validate.Length(max=100))
    active = fields.Boolean()


class PartnerQuerySchema(PageQuerySchema):
    cursor = Id(PARTNER, load_default=None)
    country = CountryCode()


class CredentialSchema(StrictSchema):
    client_id = fields.String(dump_only=True)
    client_secret = fields.String(dump_only=True)
    partner_id = fields.String(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    revoked_at = fields.DateTime(dump_only=True, allow_none=True)


class HandoverQuerySchema(PageQuerySchema):
    cursor = Id(HANDOVER, load_default=None)
    status = fields.List(fields.String(validate=one_of(HANDOVER_STATUSES)), metadata={
        "description": "only handovers in these statuses (repeat the parameter for several)"})
    returnee_id = fields.List(Id(RETURNEE), validate=validate.Length(max=200), metadata={
        "description": "only these returnees' handovers (repeat the parameter, at most 200)"})
    order = fields.String(load_default="oldest", validate=one_of(("oldest", "newest")), metadata={
        "description": "`oldest` offered first (the default) or `newest` first (the cursor pages backwards)"})


class DeclineSchema(StrictSchema):
    reason = fields.String(required=True, validate=one_of(DECLINE_REASONS))
    detail = fields.String(validate=validate.Length(max=2000), load_default="", metadata={
        "description": "about your organisation's capacity or coverage, not about the person: it travels to "
                       "intake unsealed (PRIVACY.md); required with the reason other (`detail_for_other`)"})

    @ma.validates_schema
    def detail_for_other(self, data, **kwargs):
        if data.get("reason") == "other" and not data.get("detail", "").strip():
            raise ma.ValidationError("Say why when the reason is other.", "detail")


class ArrivalSchema(StrictSchema):
    arrived_on = fields.Date(required=True, metadata={
        "pattern": DATE_FROM_2000, "description": "from 2000-01-01, not after today (`future_date`), not before the "
                                                  "departure when one is recorded (`before_departure`)"})


class EmptySchema(StrictSchema):
    pass


class HandoverSchema(ma.Schema):
    id = fields.String()
    returnee_id = fields.String()
    partner_id = fields.String()
    country = fields.String()
    region = fields.String(allow_none=True)
    status = fields.String()
    offered_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "an open offer: when it expires unanswered (HANDOVER_EXPIRY_DAYS after offered_at); else null"})
    answered_at = fields.DateTime(allow_none=True)
    decline = fields.Dict(allow_none=True)
    planned_departure_date = fields.Date(allow_none=True)
    departed_on = fields.Date(allow_none=True)
    arrived_on = fields.Date(allow_none=True)
    arrival_source = fields.String(allow_none=True, metadata={
        "description": "partner: the partner confirmed the arrival; import: the organisation's old records "
                       "(a caseload import), recorded when the partner accepted"})
    imported = fields.Dict(allow_none=True, metadata={
        "description": "a client who already returned, from the organisation's old records: departed_on, "
                       "arrived_on, go_live_on; accepting records that arrival (docs/import.md)"})
    languages = fields.List(fields.String())
    household = fields.Dict()
    vulnerabilities = fields.List(fields.String())
    reintegration_plan = fields.Dict()
    perspective_plan = fields.Dict(allow_none=True, metadata={"description": "the newest fixed perspective plan "
                                                              "(version, fixed_on, goals); null: none fixed yet"})
    personal = fields.Dict(allow_none=True)


# --- events read from homeward.returnees (tolerant) ----------------------------------------------

class ImportedReturnReader(ReaderSchema):
    departed_on = fields.Date(allow_none=True, load_default=None)
    arrived_on = fields.Date(allow_none=True, load_default=None)
    go_live_on = fields.Date(allow_none=True, load_default=None)


class HandoverRequestedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    handover_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    country_of_return = fields.String(required=True)
    region = fields.String(allow_none=True, load_default=None)
    languages = fields.List(fields.String(), load_default=list)
    household = fields.Dict(load_default=dict)
    vulnerabilities = fields.List(fields.String(), load_default=list)
    reintegration_plan = fields.Dict(load_default=dict)
    planned_departure_date = fields.Date(allow_none=True, load_default=None)
    personal = fields.Dict(allow_none=True, load_default=None)
    profile = fields.Dict(allow_none=True, load_default=None)  # sealed: exact region, languages, household, plan
    imported = fields.Nested(ImportedReturnReader, allow_none=True, load_default=None)  # a caseload import's dates


class DepartedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    departed_on = fields.Date(required=True)


class ConsentChangedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    share_with_partner = fields.Boolean(required=True)


class ErasedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


class ExitedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


class MonitoringCompletedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


# --- webhooks (administrators) -----------------------------------------------------------------

# a URL marshmallow's Url accepts, by name (an address as a host is refused further on when it is internal)
_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
WEBHOOK_URL_PATTERN = (rf"^https?://(?:{_LABEL}\.)*[A-Za-z][A-Za-z0-9]{{1,62}}(?::\d{{1,5}})?"
                       rf"(?:/|[/?#]{NOT_BLANK_PATTERN}+)?$")


class WebhookRequestSchema(StrictSchema):
    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                     validate=validate.Length(max=2000),
                     metadata={"description": "https; plain http only outside production; never an internal "
                                              "address (loopback, private, link-local, metadata, reserved), "
                                              "a host name that resolves (`refused_address` otherwise)",
                               "format": "uri", "pattern": WEBHOOK_URL_PATTERN})
    revoke_previous_secret = fields.Boolean(load_default=False, metadata={
        "description": "true: the secret this call replaces stops signing at once (after a leak); by default "
                       "it keeps signing beside the new one for WEBHOOK_SECRET_OVERLAP_HOURS"})


class WebhookSchema(ma.Schema):
    url = fields.String()
    created_at = fields.DateTime()
    previous_secret_expires_at = fields.DateTime(allow_none=True, metadata={
        "description": "until when the secret replaced by the last rotation still signs (beside the new one)"})
    status = fields.String(metadata={"description": "active, or paused after failing for "
                                                    "WEBHOOK_PAUSE_AFTER_HOURS (resume to send the backlog)"})
    paused_at = fields.DateTime(allow_none=True)
    failing_since = fields.DateTime(allow_none=True, metadata={
        "description": "the first failed attempt since the last delivered one"})


class ResumedWebhookSchema(WebhookSchema):
    messages_due = fields.Integer(metadata={"description": "messages that wait and now go out, oldest first"})


class ReplayedSchema(ma.Schema):
    replayed = fields.Integer(metadata={"description": "failed messages scheduled again, oldest first"})


class WebhookSecretSchema(WebhookSchema):
    secret = fields.String(metadata={"description": "whsec_<base64>: shown in this response only"})


class DeliveryQuerySchema(PageQuerySchema):
    webhook_id = Id(WEBHOOK_MESSAGE, metadata={"description": "only the attempts of this message"})
    order = fields.String(load_default="oldest", validate=one_of(("oldest", "newest")), metadata={
        "description": "`newest`: the newest attempts first (the cursor then pages back in time)"})


class WebhookDeliverySchema(ma.Schema):
    id = fields.String()
    webhook_id = fields.String(metadata={"description": "the message id, sent as the webhook-id header"})
    event_type = fields.String()
    handover_id = fields.String()
    returnee_id = fields.String()
    attempt = fields.Integer()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True, metadata={"description": "technical text, for operators"})
    error_kind = fields.String(allow_none=True, metadata={
        "description": "what kind of failure: timeout, connection_refused, connection_failed, tls, refused_address, "
                       "not_resolved, http_status, no_webhook or other; none when delivered (and on attempts "
                       "logged before it existed)"})
    duration_ms = fields.Float()
    attempted_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)
    state = fields.String(metadata={"description": "the message's state right after this attempt: "
                                                  "pending (a retry is due at next_attempt_at), "
                                                  "delivered or failed"})


class WebhookMessageSchema(ma.Schema):
    webhook_id = fields.String(metadata={"description": "the message id, sent as the webhook-id header"})
    event_type = fields.String()
    handover_id = fields.String()
    returnee_id = fields.String()
    state = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime(allow_none=True)


class ReminderSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    partner_id = fields.String(required=True)
    slot = fields.Raw(required=True)
    due_on = fields.String(required=True)


class ReturneeUpdatedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    changed = fields.List(fields.String(), load_default=list)
    region = fields.String(allow_none=True)
    languages = fields.List(fields.String())
    household = fields.Dict()
    vulnerabilities = fields.List(fields.String())
    reintegration_plan = fields.Dict()
    planned_departure_date = fields.Date(allow_none=True)
    personal = fields.Dict(allow_none=True)
    profile = fields.Dict(allow_none=True)
