"""What intake accepts as a day or a name: plausible dates (not in the future, from 1900 or 2000), staff names."""
from __future__ import annotations

import re

from datetime import date, datetime, timezone

import marshmallow as ma

from shared.clock import latest_local_day
from shared.fields import DATE_FROM_1900, DATE_FROM_2000


EARLIEST = date(1900, 1, 1)
EARLIEST_EVENT = date(2000, 1, 1)  # consent, departure, rules asked about: Homeward follows returns from 2000 on


def not_future(value: date) -> None:
    if value > latest_local_day(datetime.now(timezone.utc)):
        raise ma.ValidationError("Must not be in the future.")


def plausible_event(value: date) -> None:
    """Something that happened: not in the future, not before 2000 (a typo such as 0001-01-01 or 2202)."""
    not_future(value)
    if value < EARLIEST_EVENT:
        raise ma.ValidationError("Must not be before 2000-01-01.")


def plausible_birth(value: date) -> None:
    not_future(value)
    if value < EARLIEST:
        raise ma.ValidationError("Must be after 1900-01-01.")


def plausible_departure(value: date) -> None:
    if value.year < 2000 or value > date.today().replace(year=date.today().year + 3):
        raise ma.ValidationError("Must be between 2000 and three years from now.")


EVENT_DAY = {"pattern": DATE_FROM_2000, "description": "from 2000-01-01, not after today"}
BIRTH_DAY = {"pattern": DATE_FROM_1900, "description": "from 1900-01-01, not after today"}
PLANNED_DAY = {"pattern": DATE_FROM_2000, "description": "from 2000, at most three years ahead"}


def unique(values) -> None:
    if len(set(values)) != len(values):
        raise ma.ValidationError("Must not repeat values.")


# a staff member as their token names them (`sub`: the web app's `web:<user name>`, an OIDC subject, ...)
STAFF_NAME_PATTERN = re.compile(r"[A-Za-z0-9._@:-]{1,64}")
