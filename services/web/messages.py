"""What the APIs say in codes, written in the page's language: field errors, problems, alerts, delivery failures.

The APIs answer codes and parameters beside their English text (`error_codes` in a problem, `code` and
`params` on an alert, `error_kind` on a webhook delivery attempt). The pages never show that English
text: each code has its message here, in the gettext catalogues; an unknown code gets a general one.
"""
from __future__ import annotations

from babel.dates import get_timezone, get_timezone_location
from flask import current_app
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l

from shared.pages.formatting import fmt_date, fmt_number

FIELD_MESSAGES = {  # shared/http/problems.py MESSAGE_CODES
    "required": _l("This field is required."),
    "null": _l("This field is required."),
    "blank": _l("This field is required."),
    "unknown_field": _l("Unknown field."),
    "invalid_integer": _l("Not a whole number."),
    "invalid_number": _l("Not a number."),
    "invalid_boolean": _l("Choose yes or no."),
    "invalid_date": _l("Not a valid date."),
    "invalid_datetime": _l("Not a valid date and time."),
    "invalid_email": _l("Not a valid email address."),
    "invalid_url": _l("Not a valid web address."),
    "invalid_country": _l("Not a country code (two letters, e.g. NG)."),
    "future_date": _l("Must not be in the future."),
    "before_1900": _l("Must be after 1900-01-01."),
    "before_2000": _l("Must not be before 2000."),
    "before_birth": _l("Must not be before the date of birth."),
    "year_out_of_range": _l("Must be between 2000 and three years from now."),
    "repeated_values": _l("Must not repeat values."),
    "https_required": _l("The address must start with https://."),
    "one_of": _l("Choose one of the offered values."),
    "out_of_range": _l("Out of the allowed range."),
    "length": _l("Too long or too short."),
    "unsupported_file_type": _l("Only a PDF, JPEG or PNG file can be kept."),
    "file_too_large": _l("The file is too large."),
    "expiry_for_identity_documents": _l("Only an ID or travel document has an expiry date."),
    "reason_required": _l("The plan is fixed: say what changes and why."),
    "before_registration": _l("Must not be before the registration."),
}
NOT_ACCEPTED = _l("This value is not accepted.")

PROBLEM_MESSAGES = {  # by the problem's type (its last segment: a status, or a type of its own)
    "403": _l("Your role does not allow this page or action."),
    "404": _l("This page or record does not exist, or it is not yours to see."),
    "409": _l("This is not possible in the current state of the case."),
    "422": _l("Some fields need attention."),
    "429": _l("Too many requests; try again in a minute."),
}
SOMETHING_WENT_WRONG = _l("Try again; if it keeps happening, tell an administrator.")

ALERT_MESSAGES = {  # monitoring's alert codes: each writes its message from the alert's parameters
    "critical_domain": lambda p: gettext("Scored %(score)s on %(domains)s.", **p),
    "index_drop": lambda p: gettext("Index fell from %(from)s to %(to)s.", **p),
    "safety_concern": lambda p: gettext("The partner reported a safety concern."),
    "re_migrated": lambda p: gettext("Reported as re-migrated."),
    "deceased": lambda p: gettext("Reported as deceased."),
    "lost_contact": lambda p: gettext("No contact at the check-ins of months %(months)s.", **p),
    "checkin_overdue": lambda p: gettext("The check-in of month %(slot)s, due %(due_on)s, has not come in.", **p),
    "arrival_not_confirmed": lambda p: gettext("Departed on %(departed_on)s; arrival not confirmed.", **p),
    "handover_unanswered": lambda p: gettext("The partner has not answered the handover since %(requested_on)s.",
                                             **p),
}
RESOLUTION_MESSAGES = {
    "superseded": _l("Replaced by the lost-contact alert for this period without contact."),
    "cause_gone": _l("The cause went away."),
}

DELIVERY_FAILURES = {  # the partners API's error_kind of a webhook delivery attempt
    "timeout": _l("No answer in time"),
    "connection_refused": _l("Connection refused"),
    "connection_failed": _l("No connection"),
    "tls": _l("Secure connection failed (certificate)"),
    "refused_address": _l("Address not allowed (internal network)"),
    "not_resolved": _l("Address not found"),
    "no_webhook": _l("No webhook set"),
}
NOT_DELIVERED = _l("Not delivered")


def field_message(code: str | None) -> str:
    return str(FIELD_MESSAGES.get(code or "", NOT_ACCEPTED))


def problem_message(error) -> str:
    """A problem (an ApiError) in the page's language, by its type and status; never the API's English."""
    kind = str(error.problem.get("type") or "").rstrip("/").rsplit("/", 1)[-1]
    message = PROBLEM_MESSAGES.get(kind) or PROBLEM_MESSAGES.get(str(error.status))
    return str(message or SOMETHING_WENT_WRONG)


def _param(name: str, value):
    if name == "domains":
        from services.web.vocabulary import labels

        return labels(value, "monitoring.domains", inside=True)
    if name == "months":
        return ", ".join(str(m) for m in value or [])
    if name in ("from", "to"):
        return fmt_number(value)
    if name.endswith("_on"):
        return fmt_date(value)
    return value


def alert_text(alert: dict) -> str:
    """What an alert says, from its `code` and `params`; empty for an alert without a known code."""
    write = ALERT_MESSAGES.get(alert.get("code") or "")
    if write is None:
        return ""
    try:
        return write({k: _param(k, v) for k, v in (alert.get("params") or {}).items()})
    except (KeyError, ValueError, TypeError):  # parameters missing: the type alone says it
        return ""


def resolution_text(code: str | None, note: str | None) -> str:
    """A resolution's note: the system's (by its code) in the page's language, a person's as they typed it."""
    if code in RESOLUTION_MESSAGES:
        return str(RESOLUTION_MESSAGES[code])
    return "" if code else (note or "")


def delivery_answer(delivery: dict) -> str:
    """What a webhook delivery attempt got: an HTTP status, or the kind of failure in words (no exception text)."""
    kind, status = delivery.get("error_kind"), delivery.get("status_code")
    if status:
        return gettext("HTTP status %(code)s", code=status)
    if kind in DELIVERY_FAILURES:
        return str(DELIVERY_FAILURES[kind])
    return str(NOT_DELIVERED) if delivery.get("error") or kind else ""


def time_zone_name() -> str:
    return current_app.extensions["web"].settings.time_zone


def times_note() -> str:
    """Says in which time zone a page's times are ("Tijden in de tijdzone van Amsterdam.")."""
    city = get_timezone_location(get_timezone(time_zone_name()), locale=str(get_locale()), return_city=True)
    return gettext("Times in the %(city)s time zone.", city=city)


def install(app) -> None:
    app.jinja_env.globals.update(alert_text=alert_text, resolution_text=resolution_text,
                                 delivery_answer=delivery_answer, times_note=times_note)
