"""HTML forms <-> API bodies. Field names are the API's field paths (`household.adults`,
`reintegration_plan.planned_support.0.budget_eur`), so an API problem's `errors` land at their field."""
from __future__ import annotations

from services.web.clients import ApiError
from services.web.i18n import api_message

DOMAINS = ("economic", "housing", "social", "health", "resilience")
SUPPORT_TYPES = ("housing", "medical", "business", "education", "psychosocial", "family_tracing", "documents", "cash")
VULNERABILITIES = ("medical", "chronic_illness", "mental_health", "trafficking_victim", "unaccompanied_minor", "lgbt",
                   "elderly_without_network", "single_parent", "low_literacy")
GENDERS = ("female", "male", "other", "unknown")
STATUSES = ("registered", "handover_requested", "handover_declined", "handover_accepted", "departed", "arrived",
            "monitoring_completed", "closed")
SUPPORT_ROWS = 3


def _number(raw: str, kind=float):
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        return kind(raw) if kind is float else int(raw)
    except ValueError:
        return raw  # the API says what is wrong, at the field


def _text(form, name: str):
    value = form.get(name, "").strip()
    return value or None


def returnee_body(form, with_consent: bool = True) -> dict:
    """A returnee body for POST (and, without consent, PATCH) from the register/correct form."""
    body = {name: _text(form, name) for name in ("client_ref", "given_name", "family_name", "date_of_birth",
                                                 "nationality", "country_of_return", "region",
                                                 "planned_departure_date")}
    body = {k: (v.upper() if k in ("nationality", "country_of_return") and v else v) for k, v in body.items()}
    body["gender"] = form.get("gender") or "unknown"
    body["languages"] = [part.strip() for part in form.get("languages", "").split(",") if part.strip()]
    body["household"] = {"adults": _number(form.get("household.adults", "1"), int) or 0,
                         "minors": _number(form.get("household.minors", "0"), int) or 0}
    body["vulnerabilities"] = form.getlist("vulnerabilities")
    goals = {d: form.get(f"reintegration_plan.goals.{d}", "").strip() for d in DOMAINS}
    support = []
    for i in range(SUPPORT_ROWS):
        prefix = f"reintegration_plan.planned_support.{i}."
        if not form.get(prefix + "type"):
            continue
        support.append({"type": form.get(prefix + "type"), "description": form.get(prefix + "description", "").strip(),
                        "budget_eur": _number(form.get(prefix + "budget_eur", ""))})
    body["reintegration_plan"] = {"goals": {d: g for d, g in goals.items() if g}, "planned_support": support}
    if with_consent:
        body["consent"] = consent_body(form, "consent.")
    return {k: v for k, v in body.items() if v is not None}


def consent_body(form, prefix: str = "") -> dict:
    return {"share_with_partner": form.get(prefix + "share_with_partner") == "true",
            "share_outcomes_with_chain_partners": form.get(prefix + "share_outcomes_with_chain_partners") == "true",
            "given_on": form.get(prefix + "given_on", "").strip() or None}


def field_errors(error: ApiError, renames: dict | None = None) -> dict:
    """{form field name: message in the user's language} from an API problem."""
    out = {}
    for path, message in error.errors.items():
        head, _, last = path.rpartition(".")
        name = (renames or {}).get(path, head if head and last.isdigit() else path)  # list item -> its field
        out[name] = api_message(message if isinstance(message, str) else str(message))
    return out


def returnee_form_values(returnee: dict) -> dict:
    """A returnee as the flat {field path: value} the form shows."""
    values = {k: returnee.get(k) or "" for k in ("client_ref", "given_name", "family_name", "date_of_birth", "gender",
                                                 "nationality", "country_of_return", "region",
                                                 "planned_departure_date")}
    values["languages"] = ", ".join(returnee.get("languages") or [])
    household = returnee.get("household") or {}
    values["household.adults"] = household.get("adults", 1)
    values["household.minors"] = household.get("minors", 0)
    values["vulnerabilities"] = returnee.get("vulnerabilities") or []
    plan = returnee.get("reintegration_plan") or {}
    for d in DOMAINS:
        values[f"reintegration_plan.goals.{d}"] = (plan.get("goals") or {}).get(d, "")
    for i, row in enumerate((plan.get("planned_support") or [])[:SUPPORT_ROWS]):
        for key in ("type", "description", "budget_eur"):
            values[f"reintegration_plan.planned_support.{i}.{key}"] = "" if row.get(key) is None else row.get(key)
    return values


def form_values(form) -> dict:
    values = {k: form.get(k) for k in form}
    values["vulnerabilities"] = form.getlist("vulnerabilities")
    return values
