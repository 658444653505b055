"""HTML forms <-> API bodies. Field names are the API's field paths (`household.adults`,
`reintegration_plan.planned_support.0.budget_eur`), so an API problem's `errors` land at their field."""
from __future__ import annotations

import re

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask import g
from flask_babel import get_locale, gettext

from services.web.clients import ApiError
from services.web.messages import field_message

SUPPORT_ROWS = 3  # blank planned-support lines offered at least; "one more line" (`more_support`) adds one
SUPPORT = "reintegration_plan.planned_support."  # + the line's number + "." + type, description or budget_eur
CONTACT = ("phone", "email", "address")
QUESTIONS = ("left_via_rean_within_5_years", "deported_within_5_years", "dublin_claimant")  # eligibility_questions.
HOUSEHOLD = {"adults": 1, "minors": 0, "unaccompanied_minors": 0}
DEFAULT_TRAJECTORY = "return_guidance"  # intake's default: the form starts there, future orientation is chosen
GOALS = "reintegration_plan.goals."  # + a domain of intake's list (the form offers what GET /v1/vocabularies says)


def _number(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        return raw  # the API says what is wrong, at the field


def parse_amount(raw: str, locale: str):
    """An amount as written in the page's locale ("1.200,50" in Dutch, "1,200.50" in English); None when empty.
    Strict: "12.50" in Dutch could be 12,50 or 1.250, so it goes to the API as typed and is refused at the field."""
    raw = raw.replace("€", "").strip()
    if not raw:
        return None
    try:
        return float(parse_decimal(raw, locale=locale, strict=True))
    except NumberFormatError:
        return raw


def format_amount(value, locale: str) -> str:
    """A stored amount as the form shows it, readable by `parse_amount` in the same locale."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):  # as typed, shown back after a problem
        return value
    return format_decimal(value, format="#,##0" if float(value).is_integer() else "#,##0.00", locale=locale)


def languages(form) -> list[str]:
    """The chosen language codes (checkboxes and the list send one each; a comma-separated text works too)."""
    chosen = [part.strip() for value in form.getlist("languages") for part in value.split(",")]
    return list(dict.fromkeys(code for code in chosen if code))


def _text(form, name: str):
    value = form.get(name, "").strip()
    return value or None


def support_lines(form) -> list[int]:
    """The numbers of the planned-support lines the form holds, in order (any number of them, gaps allowed)."""
    found = {int(m.group(1)) for name in form for m in [re.fullmatch(re.escape(SUPPORT) + r"(\d+)\.\w+", name)] if m}
    return sorted(found)


def support_rows(values: dict, more: bool = False) -> range:
    """The lines the form shows: every line filled in, one blank one (at least SUPPORT_ROWS), one more if asked."""
    filled = [i for i in support_lines(values) if values.get(f"{SUPPORT}{i}.type")]
    return range(max(SUPPORT_ROWS, (max(filled) + 2) if filled else 0) + (1 if more else 0))


def _sent_support(form) -> list[int]:
    return [i for i in support_lines(form) if form.get(f"{SUPPORT}{i}.type")]


def returnee_body(form, with_consent: bool = True, locale: str | None = None) -> dict:
    """A returnee body for POST (and, `with_consent` False, PATCH) from the register/correct form (amounts as
    written in `locale`, by default the page's). Registering also sends the trajectory, its start and the REAN
    questions, which a PATCH does not take."""
    locale = locale or str(get_locale())
    body = {name: _text(form, name) for name in ("client_ref", "given_name", "family_name", "date_of_birth",
                                                 "nationality", "country_of_return", "region",
                                                 "planned_departure_date", "office", "consultant")}
    body = {k: (v.upper() if k in ("nationality", "country_of_return") and v else v) for k, v in body.items()}
    body["gender"] = form.get("gender") or None  # not chosen: not sent (intake records `unknown`, a PATCH keeps it)
    body["languages"] = languages(form)
    body["interpreter_needed"] = form.get("interpreter_needed") == "true"
    body["household"] = {key: _number(form.get(f"household.{key}", str(default))) or 0
                         for key, default in HOUSEHOLD.items()}
    contact = {key: _text(form, f"contact.{key}") for key in CONTACT}
    body["contact"] = {k: v for k, v in contact.items() if v} or None
    if body["contact"] is None and not with_consent:
        body.pop("contact")  # a correction without contact details keeps the ones recorded
    body["vulnerabilities"] = form.getlist("vulnerabilities")
    goals = {name.removeprefix(GOALS): form.get(name, "").strip() for name in form if name.startswith(GOALS)}
    support = [{"type": form.get(f"{SUPPORT}{i}.type"), "description": form.get(f"{SUPPORT}{i}.description", "").strip(),
                "amount": parse_amount(form.get(f"{SUPPORT}{i}.budget_eur", ""), locale),  # the amount field
                "currency": (form.get(f"{SUPPORT}{i}.currency") or "EUR").strip().upper(),
                "funding_source": form.get(f"{SUPPORT}{i}.funding_source") or None,
                **({"goal": form[f"{SUPPORT}{i}.goal"]} if form.get(f"{SUPPORT}{i}.goal") else {})}  # kept as it was
               for i in _sent_support(form)]
    body["reintegration_plan"] = {"goals": {d: g for d, g in goals.items() if g}, "planned_support": support}
    if with_consent:
        body["consent"] = consent_body(form, "consent.")
        body["trajectory"] = _text(form, "trajectory")
        body["enrolled_on"] = _text(form, "enrolled_on")
        body["eligibility_questions"] = {q: form.get(f"eligibility_questions.{q}") == "true" for q in QUESTIONS}
    return {k: v for k, v in body.items() if v is not None}


def consent_body(form, prefix: str = "") -> dict:
    return {"share_with_partner": form.get(prefix + "share_with_partner") == "true",
            "share_outcomes_with_chain_partners": form.get(prefix + "share_outcomes_with_chain_partners") == "true",
            "given_on": form.get(prefix + "given_on", "").strip() or None}


def field_errors(error: ApiError, renames: dict | None = None) -> dict:
    """{form field name: message in the user's language} from an API problem, by each message's code
    (`error_codes`); the API's English text is never shown."""
    codes = error.problem.get("error_codes") or {}
    out = {}
    for path in error.errors:
        head, _, last = path.rpartition(".")
        name = (renames or {}).get(path, head if head and last.isdigit() else path)  # list item -> its field
        out[name] = field_message(codes.get(path))
    return out


def returnee_errors(error: ApiError, form, locale: str | None = None) -> dict:
    """`field_errors` of the register/correct form; an amount that could not be read says how to write one."""
    locale = locale or str(get_locale())
    lines = _sent_support(form)  # the API numbers the lines sent; the form may have blank ones between
    renames = {f"{SUPPORT}{k}.{key}": f"{SUPPORT}{i}.{key}" for k, i in enumerate(lines)
               for key in ("type", "description", "budget_eur", "currency", "funding_source")}
    renames.update({f"{SUPPORT}{k}.amount": f"{SUPPORT}{i}.budget_eur" for k, i in enumerate(lines)})  # its field
    renames.update({f"{SUPPORT}{k}": f"{SUPPORT}{i}.type" for k, i in enumerate(lines)})
    errors = field_errors(error, renames)
    for i in lines:
        name = f"{SUPPORT}{i}.budget_eur"
        if name in errors and isinstance(parse_amount(form.get(name, ""), locale), str):
            errors[name] = gettext("Write the amount like this: %(example)s", example=format_amount(1200.5, locale))
    return errors


def returnee_form_values(returnee: dict) -> dict:
    """A returnee as the flat {field path: value} the form shows."""
    values = {k: returnee.get(k) or "" for k in ("client_ref", "given_name", "family_name", "date_of_birth", "gender",
                                                 "nationality", "country_of_return", "region",
                                                 "planned_departure_date", "office", "consultant",
                                                 "enrolled_on", "trajectory")}
    values.update({f"contact.{key}": value for key, value in (returnee.get("contact") or {}).items()})
    values["languages"] = list(returnee.get("languages") or [])
    household = returnee.get("household") or {}
    values.update({f"household.{key}": household.get(key, default) for key, default in HOUSEHOLD.items()})
    values["vulnerabilities"] = returnee.get("vulnerabilities") or []
    plan = returnee.get("reintegration_plan") or {}
    for domain, goal in (plan.get("goals") or {}).items():
        values[GOALS + domain] = goal or ""
    for i, row in enumerate(plan.get("planned_support") or []):
        for key in ("type", "description", "currency", "funding_source", "goal"):
            values[f"reintegration_plan.planned_support.{i}.{key}"] = "" if row.get(key) is None else row.get(key)
        amount = row.get("amount") if row.get("amount") is not None else row.get("budget_eur")
        values[f"reintegration_plan.planned_support.{i}.budget_eur"] = format_amount(amount, str(get_locale()))
    return values


def form_values(form) -> dict:
    values = {k: form.get(k) for k in form}
    values["vulnerabilities"] = form.getlist("vulnerabilities")
    return values


def kept_values(convert=None) -> dict | None:
    """The form kept when it was sent after the session expired (security.load_user restores it on its
    page, once), as the page's `values`; None when there is none."""
    draft = g.get("draft")
    return (convert or form_values)(draft.values) if draft is not None else None


def returnee_input_values(form) -> dict:
    """The register/correct form as typed, to show it back (the chosen languages as a list)."""
    return {**form_values(form), "languages": languages(form)}
