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


def anchored(pattern: str) -> str:
    """A Python pattern used with `fullmatch`, as an OpenAPI `pattern` (which matches anywhere unless anchored)."""
    return f"^(?:{pattern})$"


# every ISO 3166-1 alpha-2 code pycountry knows, as the documents' pattern (what CountryCode accepts, in upper case)
COUNTRY_PATTERN = anchored("|".join(sorted(country.alpha_2 for country in pycountry.countries)))
# every ISO 4217 code pycountry knows (what CurrencyCode accepts, in upper case)
CURRENCY_PATTERN = anchored("|".join(sorted(currency.alpha_3 for currency in pycountry.currencies)))
# a character Python's str.strip() keeps: not ECMA-262 white space (`\s`), nor what Python strips beyond it
NOT_BLANK_PATTERN = r"[^\s\x1c-\x1f\x85]"


# ISO 8601 dates from a year on (marshmallow's Date and format `date` judge the month and day): a date before
# it is refused, so the documents say so; "not after today" moves with the day and is said in words
DATE_FROM_1900 = anchored(r"(?:19\d\d|[2-9]\d{3})-\d\d-\d\d")
DATE_FROM_2000 = anchored(r"[2-9]\d{3}-\d\d-\d\d")


def with_metadata(kwargs: dict, documented: dict) -> dict:
    """A field's kwargs with `documented` (OpenAPI properties: pattern, minLength...) under its own metadata."""
    return {**kwargs, "metadata": {**documented, **kwargs.pop("metadata", {})}}


class _IsoCode(ma.fields.String):
    """A code of an ISO list, upper case: `length` letters that `known(code)` finds, else the error `kind`."""

    length, kind = 2, "invalid"

    def known(self, code: str) -> bool:
        raise NotImplementedError

    def _deserialize(self, value, attr, data, **kwargs):
        code = super()._deserialize(value, attr, data, **kwargs)
        if len(code) != self.length or not code.isalpha() or not self.known(code.upper()):
            raise self.make_error(self.kind)
        return code.upper()


class CountryCode(_IsoCode):
    """An ISO 3166-1 alpha-2 code, upper case (e.g. NG)."""

    default_error_messages = {"country": "Not an ISO 3166-1 alpha-2 country code."}
    length, kind = 2, "country"

    def __init__(self, **kwargs):
        super().__init__(**with_metadata(kwargs, {"pattern": COUNTRY_PATTERN, "example": "NG",
                                                  "description": "ISO 3166-1 alpha-2 country code"}))

    def known(self, code: str) -> bool:
        return pycountry.countries.get(alpha_2=code) is not None


class CurrencyCode(_IsoCode):
    """An ISO 4217 currency code, upper case (e.g. GNF, EUR)."""

    default_error_messages = {"currency": "Not an ISO 4217 currency code."}
    length, kind = 3, "currency"

    def __init__(self, **kwargs):
        super().__init__(**with_metadata(kwargs, {"pattern": CURRENCY_PATTERN, "example": "GNF",
                                                  "description": "ISO 4217 currency code"}))

    def known(self, code: str) -> bool:
        return pycountry.currencies.get(alpha_3=code) is not None


def one_of(values) -> ma.validate.OneOf:
    return ma.validate.OneOf(tuple(values))


def not_future(today_fn):
    def check(value: date) -> None:
        if value > today_fn():
            raise ma.ValidationError("Must not be in the future.")

    return check


class NonBlank(ma.fields.String):
    """Text with at least one character that is not white space; stored without surrounding white space."""

    default_error_messages = {"blank": "Must not be blank."}

    def __init__(self, **kwargs):
        super().__init__(**with_metadata(kwargs, {"minLength": 1, "pattern": NOT_BLANK_PATTERN}))

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        return text
