"""One way from a domain dict to stored BSON and back, driven by a mongoengine document's field
declarations: days and instants are ISO strings in the domain (`YYYY-MM-DD`, and UTC with `Z`) and
`DateField`s / `DateTimeField`s when stored (shared/dates.py's convention); embedded documents and
lists of them are converted field by field; a key the class does not declare is refused.

Intake and partners keep days as `date`s in their dicts: `stored_days` writes such a dict's days as
stored (midnight UTC, at any depth: raw updates bypass the fields' conversion) and `with_days` reads
a document's declared days back as `date`s, by the same field declarations.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from functools import cache

from mongoengine import (DateField, DateTimeField, EmbeddedDocument, EmbeddedDocumentField, ListField,
                         ValidationError)

from shared.dates import as_day, aware, day_start, iso_instant


def _embedded_class(field):
    """X for EmbeddedDocumentField(X) and for a list of them, else None."""
    target = getattr(field, "field", None) if isinstance(field, ListField) else field
    return target.document_type if isinstance(target, EmbeddedDocumentField) else None


def element_class(field):
    """X when `field` is a list of embedded X documents, else None."""
    return _embedded_class(field) if isinstance(field, ListField) else None


def _to_python(field, value):
    """A domain value (ISO strings for days and instants) as the Python value the field stores."""
    if value is None:
        return None
    embedded = _embedded_class(field)
    if isinstance(field, ListField) and embedded is not None:
        return [instance(embedded, item) for item in value]
    if embedded is not None:
        return instance(embedded, value)
    if isinstance(field, DateField):
        return value if isinstance(value, date) else date.fromisoformat(value)
    if isinstance(field, DateTimeField):
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return aware(moment)
    return value


def instance(cls, values: dict):
    """A document (or embedded document) of `cls` from a domain dict; unknown keys are refused."""
    unknown = set(values) - set(cls._fields)
    if unknown:
        raise ValidationError(f"{cls.__name__} has no fields {sorted(unknown)}")
    return cls(**{name: _to_python(cls._fields[name], v) for name, v in values.items()})


def to_stored(cls, values: dict) -> dict:
    """A domain dict as the validated BSON of document class `cls` (None fields are not stored)."""
    document = instance(cls, values)
    document.validate()
    return document.to_mongo().to_dict()


def field_to_stored(cls, name: str, value):
    """One field's domain value as validated BSON, for a `$set` of that field (None: unset it)."""
    field = cls._fields[name]
    python = _to_python(field, value)
    if python is None:
        return None
    field.validate(python)
    if isinstance(field, ListField):
        return [item.to_mongo().to_dict() if isinstance(item, EmbeddedDocument) else item for item in python]
    if isinstance(python, EmbeddedDocument):
        python.validate()
        return python.to_mongo().to_dict()
    return field.to_mongo(python)


def element_to_stored(cls, name: str, item: dict) -> dict:
    """One element of an embedded list field (`Case.checkins`...) as validated BSON."""
    return to_stored(_embedded_class(cls._fields[name]), item)


def _reader(field):
    """How one field's stored value becomes the domain's (None: as stored)."""
    embedded = _embedded_class(field)
    if isinstance(field, ListField) and embedded is not None:
        return lambda value: [to_domain(embedded, item) for item in value]
    if embedded is not None:
        return lambda value: to_domain(embedded, value)
    if isinstance(field, DateField):
        return lambda value: (value.date() if isinstance(value, datetime) else value).isoformat()
    if isinstance(field, DateTimeField):
        return iso_instant
    return None


@cache
def _reading_plan(cls) -> tuple:
    omitted = getattr(cls, "_omitted_when_unset", ())
    return tuple((name, field.db_field, _reader(field), isinstance(field, ListField), name in omitted)
                 for name, field in cls._fields.items())


def to_domain(cls, raw: dict) -> dict:
    """Stored BSON (`as_pymongo()`) as the domain's dict: ISO strings, None for unset fields."""
    out = {}
    for name, db_field, read, is_list, omitted in _reading_plan(cls):
        value = raw.get(db_field)
        if value is None or (omitted and isinstance(value, (list, dict)) and not value):
            if not omitted:
                out[name] = [] if is_list else None
        else:
            out[name] = read(value) if read else value
    return out


# --- dicts whose days are `date`s (intake's returnees, partners' handovers) ----------------------------

def stored_days(value):
    """A value of such a dict as stored: every day (`date`) becomes midnight UTC, in dicts and lists too."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return day_start(value)
    if isinstance(value, dict):
        return {name: stored_days(item) for name, item in value.items()}
    if isinstance(value, list):
        return [stored_days(item) for item in value]
    return value


def with_days(cls, raw: dict) -> dict:
    """Stored BSON with each day `cls` declares (a `DateField`, in its embedded documents and lists of them
    too) read back as a `date`; every other key as stored."""
    out = dict(raw)
    for field in cls._fields.values():
        value = out.get(field.db_field)
        if value is None:
            continue
        embedded = _embedded_class(field)
        if isinstance(field, ListField) and embedded is not None:
            out[field.db_field] = [with_days(embedded, item) if isinstance(item, dict) else item for item in value]
        elif embedded is not None and isinstance(value, dict):
            out[field.db_field] = with_days(embedded, value)
        elif isinstance(field, DateField):
            out[field.db_field] = as_day(value)
    return out


def naive_utc(value):
    """A document read by a `tz_aware` client, to be stored again as MongoDB keeps it: its instants naive UTC, in dicts and
    lists too (the in-memory store keeps what it is given; MongoDB converts)."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).replace(tzinfo=None)
    if isinstance(value, dict):
        return {name: naive_utc(item) for name, item in value.items()}
    if isinstance(value, list):
        return [naive_utc(item) for item in value]
    return value
