"""HTTP schemas of a partner organisation's people (`services.partners.people`)."""
from __future__ import annotations

from marshmallow import fields, validate

from services.partners.people import USERNAME
from services.partners.vocabulary import PARTNER_USER_ROLES
from shared.fields import NonBlank, StrictSchema, one_of
from shared.http import PageQuerySchema
from shared.ids import PARTNER_USER, Id
from shared.mail.outbox import MODES
from shared.mail.texts import PARTNER_KINDS
from shared.passwords import MIN_PASSWORD


class UserName(fields.String):
    """2-64 lower-case letters, digits, dots, dashes, underscores or @; upper case is lowered."""

    default_error_messages = {"shape": "Use 2-64 letters, digits, dots, dashes, underscores or @."}

    def _deserialize(self, value, attr, data, **kwargs):
        name = super()._deserialize(value, attr, data, **kwargs).strip().lower()
        if not USERNAME.fullmatch(name):
            raise self.make_error("shape")
        return name


class PartnerUserSchema(StrictSchema):
    id = fields.String(dump_only=True, metadata={"description": "pus_<ULID>: the `sub` of the person's tokens"})
    partner_id = fields.String(dump_only=True)
    username = UserName(required=True, metadata={"description": "unique over all organisations; stored lower-case",
                                                 "pattern": "^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$"})
    display_name = NonBlank(required=True, validate=validate.Length(max=200))
    email = fields.Email(required=True, metadata={
        "description": "where the person's mails go (required for new people; older records may have none)"})
    language = fields.String(load_default="en", validate=one_of(("en", "fr")),
                             metadata={"description": "the language of the person's mails"})
    mail_preferences = fields.Dict(dump_only=True, metadata={
        "description": "per kind of mail: immediate, digest or none (PUT /v1/partner-users/me/mail-settings)"})
    role = fields.String(load_default="field_worker", validate=one_of(PARTNER_USER_ROLES),
                         metadata={"description": "a coordinator may create field workers only"})
    active = fields.Boolean(dump_only=True)
    password_set = fields.Boolean(dump_only=True, metadata={"description": "false until the invitation is redeemed"})
    invite_expires_at = fields.DateTime(dump_only=True, allow_none=True,
                                        metadata={"description": "the open invitation's expiry; null once redeemed"})
    created_at = fields.DateTime(dump_only=True)
    last_sign_in_at = fields.DateTime(dump_only=True, allow_none=True)


PreferencesSchema = StrictSchema.from_dict(
    {kind: fields.String(validate=one_of(MODES)) for kind in PARTNER_KINDS}, name="MailPreferencesSchema")


class MailSettingsSchema(StrictSchema):
    """The signed-in person's mail: the address, the language and per kind when (or whether) it comes."""
    email = fields.Email()
    language = fields.String(validate=one_of(("en", "fr")))
    preferences = fields.Nested(PreferencesSchema, metadata={
        "description": "per kind: immediate, digest (the daily digest) or none; kinds not named keep their choice"})


class InvitedUserSchema(PartnerUserSchema):
    invite_code = fields.String(dump_only=True, metadata={
        "description": "the one-time code, shown in this answer only (stored as a hash); valid 7 days"})


class PartnerUserQuerySchema(PageQuerySchema):
    cursor = Id(PARTNER_USER, load_default=None)


class RedeemSchema(StrictSchema):
    code = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(
        min=MIN_PASSWORD, max=256, error="At least {min} characters (at most {max})."))
