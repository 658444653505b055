"""Reusable marshmallow fields and schema bases: strict by default (unknown fields are rejected)."""
from __future__ import annotations

from datetime import date

import marshmallow as ma
import pycountry


class StrictSchema(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class ReaderSchema(ma.Schema):
    """For other services' events: name only the fields you need, ignore the rest."""

    class Meta:
        unknown = ma.EXCLUDE


class CountryCode(ma.fields.String):
    """An ISO 3166-1 alpha-2 code, upper case (e.g. NG)."""

    default_error_messages = {"country": "Not an ISO 3166-1 alpha-2 country code."}

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs)
        if len(code) != 2 or not code.isalpha() or pycountry.countries.get(alpha_2=code.upper()) is None:
            raise self.make_error("country")
        return code.upper()


def one_of(values) -> ma.validate.OneOf:
    return ma.validate.OneOf(tuple(values))


def not_future(today_fn):
    def check(value: date) -> None:
        if value > today_fn():
            raise ma.ValidationError("Must not be in the future.")

    return check


class NonBlank(ma.fields.String):
    default_error_messages = {"blank": "Must not be blank."}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        return text
