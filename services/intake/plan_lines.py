"""A planned support line of the reintegration plan: what, how much in which currency, and who pays.

`amount` is in `currency` (ISO 4217, default EUR) and `funding_source` names who pays (intake's vocabulary
`funding_sources`; null: not known). `budget_eur`, the field of the lines written before currencies, is the
amount of a line in euros: either fills the other, and a line in another currency has none. `goal` links a
line to a goal of the perspective plan (services/intake/plan_versions.py), by the goal's id. A stored line
from before reads as euros from an unknown source (the read defaults below: no migration is needed).
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from services.intake.vocabulary import FUNDING_SOURCES, SUPPORT_TYPES
from shared.fields import CurrencyCode, StrictSchema, one_of
from shared.ids import Id
from shared.texts import Text

EURO = "EUR"
GOAL = "gol_"  # a goal of the perspective plan (schemas/plan.py)


class SupportSchema(StrictSchema):
    type = fields.String(required=True, validate=one_of(SUPPORT_TYPES))
    description = fields.String(load_default="", validate=validate.Length(max=2000))
    amount = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                          validate=validate.Range(min=0, max=1_000_000_000_000),
                          metadata={"description": "the planned amount, in `currency`"})
    currency = CurrencyCode(load_default=EURO, dump_default=EURO, metadata={"description": "ISO 4217 code of `amount`"})
    funding_source = fields.String(load_default=None, dump_default=None, allow_none=True,
                                   validate=one_of(FUNDING_SOURCES), metadata={"description": "who pays; null: not known"})
    goal = Id(GOAL, load_default=None, dump_default=None, allow_none=True, metadata={
        "description": "the goal of the perspective plan this line serves (its `gol_` id); null: none"})
    budget_eur = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                              validate=validate.Range(min=0, max=100_000), metadata={
                                  "description": "the amount of a line in euros; none in another currency "
                                                 "(`budget_eur_in_euros`)"})

    @ma.validates_schema
    def euros_only(self, data, **kwargs):
        if data.get("budget_eur") is not None and data.get("currency", EURO) != EURO:
            raise ma.ValidationError({"budget_eur": [Text("Only for a line in euros: give the amount.")]})

    @ma.post_load
    def euro_amount(self, data, **kwargs):
        if data.get("currency", EURO) == EURO:
            amount = data["amount"] if data.get("amount") is not None else data.get("budget_eur")
            data.update(amount=amount, budget_eur=amount)
        return data

    @ma.post_dump
    def written_before_currencies(self, data, **kwargs):
        if data.get("amount") is None and data.get("budget_eur") is not None:
            data["amount"] = data["budget_eur"]
        return data


def clear_line(line: dict) -> dict:
    """A line as it travels in clear to monitoring (its support report): no description."""
    amount = line.get("amount") if line.get("amount") is not None else line.get("budget_eur")
    return {"type": line["type"], "amount": amount, "currency": line.get("currency") or EURO,
            "funding_source": line.get("funding_source")}
