"""The OAuth token endpoint's and the key set's answers (RFC 6749, RFC 7517), as documented in the
OpenAPI document; the views build these dicts themselves."""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from shared.http.openapi import AnswerSchema
from shared.http.problems import ProblemSchema


class TokenSchema(ma.Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    scope = fields.String()
    refresh_token = fields.String(metadata={
        "description": "password and refresh_token grants only: one use; idle expiry 12 h, at most 7 days after sign-in"})
    refresh_expires_in = fields.Integer(metadata={"description": "seconds the refresh token stays usable if idle"})


class OAuthErrorSchema(ProblemSchema):
    """RFC 6749 5.2: `error` and `error_description`, inside the usual problem+json (a body the seedwork
    refuses before the endpoint reads it, e.g. JSON nested too deep, answers a plain problem)."""

    error = fields.String(metadata={"enum": [
        "invalid_request", "invalid_client", "invalid_grant", "unsupported_grant_type", "slow_down",
        "temporarily_unavailable"]})
    error_description = fields.String()


class JwkSchema(AnswerSchema):
    kty = fields.String(required=True)
    kid = fields.String(required=True)
    use = fields.String(required=True)
    alg = fields.String(required=True)
    n = fields.String(required=True)
    e = fields.String(required=True)


class JwksSchema(AnswerSchema):
    """RFC 7517 JSON Web Key Set: the public keys that verify tokens issued here."""

    keys = fields.List(fields.Nested(JwkSchema), required=True)
