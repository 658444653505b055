"""What the APIs say in codes, written in the page's language (the portal's catalogue): a field's error by
its path and code, a refusal by its status or problem type. The APIs' English text is never shown.

`texts()` gives the same texts to the pages' scripts (the offline queue shows an item's errors at its
fields from the codes it keeps, in whatever language the page is in when it shows them).
"""
from __future__ import annotations

import re

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

FIELD_MESSAGES = {  # shared/http/problems.py MESSAGE_CODES
    "required": _l("This field is required."),
    "null": _l("This field is required."),
    "blank": _l("This field is required."),
    "unknown_field": _l("This field is not expected here."),
    "invalid_integer": _l("Not a whole number."),
    "invalid_number": _l("Not a number."),
    "invalid_boolean": _l("Choose yes or no."),
    "invalid_date": _l("Not a valid date."),
    "invalid_email": _l("Not a valid email address."),
    "invalid_currency": _l("Not a currency code (ISO 4217, e.g. GNF)."),
    "future_date": _l("Must not be in the future."),
    "one_of": _l("Choose one of the offered values."),
    "out_of_range": _l("Out of the allowed range."),
    "length": _l("Too long or too short."),
    "repeated_values": _l("Must not repeat values."),
}
NOT_ACCEPTED = _l("This value is not accepted.")
# the API's own rules answer the code "invalid"; the field says which rule it was
FIELD_RULES = {
    "contact_date": _l("Must not be before the arrival, nor in the future."),
    "slot": _l("This check-in is not in the returnee's plan."),
    "scores": _l("No scores when there was no contact."),
    "contact_mode": _l("Say how you were in contact."),
    "reason": _l("Say why there was no contact."),
    "support_delivered.delivered_on": _l("Must not be after the contact date."),
    "support_delivered.amount": _l("Give the amount paid in this currency."),
    "support_delivered.currency": _l("Choose the currency of the amount paid."),
    "arrived_on": _l("This arrival date is not possible."),
    "detail": _l("Say why, when the reason is 'other'."),
    "username": _l("Use 2 to 64 lower-case letters, digits, dots, dashes or @; it may be taken."),
    "password": _l("At least 12 characters."),
}
OUTCOMES = {  # an item or an action, by its status or problem type
    "sent": _l("Sent."),
    "waiting": _l("Waiting to be sent."),
    "case-not-known-yet": _l("Monitoring does not know this case yet; it is sent again by itself."),
    "retry": _l("Not sent yet; it is sent again by itself."),
    "signed_out": _l("Sign in again to send what is waiting."),
    "400": _l("This was refused; check the fields."),
    "403": _l("Your role does not allow this."),
    "404": _l("This case does not exist or it is not your organisation's."),
    "409": _l("This is not possible in the current state of the case (already recorded?)."),
    "410": _l("This code has been used already or has expired; ask your coordinator for a new one."),
    "422": _l("Some fields need attention."),
    "429": _l("Too many attempts; wait a minute and try again."),
    "unavailable": _l("The service cannot be reached just now; try again in a moment."),
}
CONTACTS = {"phone": _l("Phone"), "email": _l("Email"), "address": _l("Address")}
INDEX = re.compile(r"\.\d+(?=\.|$)")


def field_message(path: str, code: str | None) -> str:
    """A field's error: by its code, or for the API's own rules ("invalid") by the field."""
    if code in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[code])
    rule = FIELD_RULES.get(INDEX.sub("", path))
    return str(rule or NOT_ACCEPTED)


def contact_label(kind: str) -> str:
    return str(CONTACTS.get(kind, kind))


def field_errors(error) -> dict:
    """{form field name (the API's path): message} of an ApiError."""
    return {path: field_message(path, code) for path, code in error.codes.items()}


def outcome(kind: str | int) -> str:
    return str(OUTCOMES.get(str(kind)) or OUTCOMES["400" if str(kind).startswith("4") else "unavailable"])


def problem_message(error) -> str:
    return outcome(error.kind if error.kind in OUTCOMES else error.status)


PLURAL_SAMPLES = (0, 1, 2, 3, 5, 11, 21, 100)  # one of each plural category of the languages we may get


def _plural(write) -> dict:
    """{sample number: text with "{num}"} from `write(n)` (an ngettext call): the script picks the sample of the
    same plural category (Intl.PluralRules), so languages with more than two plural forms work too."""
    return {str(n): write(n) for n in PLURAL_SAMPLES}


def texts() -> dict:
    """The texts the pages' scripts need, in the page's language."""
    return {"codes": {code: str(text) for code, text in FIELD_MESSAGES.items()},
            "rules": {path: str(text) for path, text in FIELD_RULES.items()},
            "not_accepted": str(NOT_ACCEPTED),
            "outcomes": {kind: str(text) for kind, text in OUTCOMES.items()},
            "waiting": _plural(lambda n: ngettext("%(count)s check-in is waiting to be sent.",
                                                  "%(count)s check-ins are waiting to be sent.", n, count="{num}")),
            "refused": _plural(lambda n: ngettext("%(count)s check-in needs a correction.",
                                                  "%(count)s check-ins need a correction.", n, count="{num}")),
            "sent": _plural(lambda n: ngettext("%(count)s check-in sent.", "%(count)s check-ins sent.", n, count="{num}")),
            "signout_confirm": _plural(lambda n: ngettext(
                "%(count)s check-in is waiting to be sent. It stays on this device, for you only, and is sent when you "
                "sign in again. Sign out anyway?",
                "%(count)s check-ins are waiting to be sent. They stay on this device, for you only, and are sent when "
                "you sign in again. Sign out anyway?", n, count="{num}")),
            "month": gettext("Month %(num)s check-in", num="{num}"),
            "extra": gettext("Extra check-in"),
            "contact_on": gettext("Contact on %(date)s", date="{date}"),
            "saved_offline": gettext("Saved on this device. It is sent when there is a connection."),
            "saved": gettext("Saved. Sending..."),
            "correct": gettext("Correct it"),
            "remove": gettext("Remove"),
            "remove_confirm": gettext("Remove this check-in from this device? It has not been sent."),
            "nothing_waiting": gettext("Nothing is waiting on this device."),
            "not_found": gettext("This check-in is no longer on this device."),
            "returnee": gettext("Returnee %(ref)s", ref="{ref}")}
