"""The import template: the columns' headings, one example row, and (XLSX) a sheet explaining each column.

The explanations are written from each column's field (its kind, whether it is required, its codes), in
Dutch and English from intake's `problems` catalogue, so a column the registration gains is explained too.
"""
from __future__ import annotations

from datetime import date, timedelta

from services.intake import offices
from services.intake.imports import columns as cols
from shared.texts import Text

KINDS = {
    "text": Text("Text."),
    "code": Text("A code."),
    "date": Text("A date: 2024-04-01 or 1-4-2024 (day-month-year)."),
    "number": Text("A number: 1200.50 or 1.200,50."),
    "integer": Text("A whole number."),
    "boolean": Text("yes or no (ja/nee, oui/non)."),
    "words": Text("Codes separated by commas."),
    "id": Text("A partner's id (prt_...)."),
}
NOTES = {
    "client_ref": Text("The client's file number in the old case system: a row is matched on it, "
                       "a second import of the same row creates nothing."),
    "nationality": Text("ISO country code (NG, ET, GN...)."),
    "country_of_return": Text("ISO country code (NG, ET, GN...)."),
    "consultant": Text("User name of the consultant who follows the client; empty: who imports."),
    "partner_id": Text("Returned clients: the case is offered to this partner (needs consent and "
                       "return_guidance)."),
    "departed_on": Text("Returned clients: the departure, recorded when the partner (partner_id) accepts the case."),
    "arrived_on": Text("Returned clients: the arrival, recorded as confirmed (from the old records) when the "
                       "partner (partner_id) accepts the case; monitoring starts from it."),
    "go_live_on": Text("Returned clients: the day the organisation started with Homeward (empty: the import's). "
                       "Check-ins due before it without a check-in show as 'before Homeward', with no alert."),
}
REQUIRED = Text("Required.")
ONE_OF = Text("One of: {choices}.")


def example(today: date) -> dict:
    return {
        "client_ref": "VVS-2024-0012", "given_name": "Amina", "family_name": "Bello", "date_of_birth": "1990-05-17",
        "gender": "female", "nationality": "NG", "country_of_return": "NG", "region": "Lagos",
        "languages": "en, yo", "household.adults": 1, "household.minors": 2, "vulnerabilities": "single_parent",
        "consent.share_with_partner": "ja", "consent.share_outcomes_with_chain_partners": "nee",
        "consent.given_on": "2024-03-01", "reintegration_plan.goals.economic": "Eigen kapsalon",
        "reintegration_plan.planned_support.0.type": "business",
        "reintegration_plan.planned_support.0.description": "Startkapitaal kapsalon",
        "reintegration_plan.planned_support.0.budget_eur": 1500,
        "planned_departure_date": (today + timedelta(days=90)).isoformat(),
        "contact.phone": "+234 803 555 0101", "contact.email": "amina@example.org", "office": next(iter(offices.offices())),
        "trajectory": "return_guidance",
    }


def explanation(column: cols.Column) -> list[Text]:
    parts = [REQUIRED] if column.required else []
    parts.append(NOTES.get(column.path) or KINDS[column.kind])
    if column.choices and column.path != "office":
        parts.append(Text("One of: {choices}.", choices=", ".join(column.choices)))
    elif column.path == "office":
        parts.append(Text("The office's id, as GET /v1/offices lists them."))
    return parts


def rows(today: date) -> tuple[list[str], list]:
    headings, sample = cols.template_headings(), example(today)
    return headings, [sample.get(heading) for heading in headings]


def csv_bytes(today: date) -> bytes:
    """UTF-8 with a byte order mark (so Excel opens it as UTF-8), `;` as separator (Dutch Excel's)."""
    from shared.http.exports import csv_table

    headings, values = rows(today)
    return csv_table(headings, [values], delimiter=";")


def xlsx_bytes(today: date, translate) -> bytes:
    """The template's sheet and an explanation sheet (column, Dutch, English); text cells are never formulas."""
    from shared.http.workbook import sheet, workbook_bytes

    headings, values = rows(today)
    known = cols.by_path()
    explained = []
    for heading in headings:
        parts = explanation(cols.column_of(heading, known))
        explained.append([heading, " ".join(translate(p, "nl") for p in parts),
                          " ".join(translate(p, "en") for p in parts)])
    return workbook_bytes([sheet("Cliënten", headings, [values]),
                           sheet("Uitleg - Explanation", ["kolom / column", "Uitleg", "Explanation"], explained)], "nl")
