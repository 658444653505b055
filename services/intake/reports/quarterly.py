"""The quarterly report as the programme defines it (000_..., "Kwartaalrapportage"), with Homeward's
monitoring figures as its second section (pure functions over the repository's report facts).

- `in_future_orientation`, `in_return_guidance`: `current` = in the trajectory on the quarter's last
  day (registered or decided on or before it, neither departed nor exited on or before it);
  `cumulative` = ever in it on or before the last day (each client once, however often they moved).
- `returned`: departed (the departure date the consultant records; without one, the arrival date the
  partner confirmed) in the quarter (`period`) or on or before its last day (`cumulative`), once each.
- `to_other_return_organisations` (also per organisation), `to_irregularity`, `to_lso`, and
  Homeward's additions `to_residence_permit`, `ended_not_cooperating`, `ended_term_expired`,
  `ended_goals_achieved` (the endings of guidance in 001_...), `other_exits`: exits with that reason, by exit date.
"""
from __future__ import annotations

from datetime import date

from services.intake.reports.labels import COLUMNS, MONITORING, QUARTERLY, SECTIONS, dutch_and_english, labelled
from services.intake.reports.sections import breakdown_csv_rows, target_csv_rows
from services.intake.reports.targets import against
from services.intake.reports.breakdowns import breakdown_of
from services.intake.reports.clients import Client, client, listed_organisations, within
from services.intake.reports.monitoring import monitoring_figures

EXIT_FIGURES = {"other_return_organisation": "to_other_return_organisations", "irregular": "to_irregularity",
                "lso": "to_lso", "residence_permit": "to_residence_permit", "not_cooperating": "ended_not_cooperating",
                "term_expired": "ended_term_expired", "goals_achieved": "ended_goals_achieved", "other": "other_exits"}


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def _flow(clients: list[Client], on, start: date, end: date) -> dict:
    """How many clients had their moment `on(client)` in the period and on or before its end."""
    days = [on(c) for c in clients]
    return {"period": sum(within(d, start, end) for d in days), "cumulative": sum(within(d, None, end) for d in days)}


def programme_figures(clients: list[Client], start: date, end: date, organisations: list[dict] | None) -> dict:
    """The seed's six figures (and the two additions); `organisations` is the managed list (`id`, `name`, `active`)."""
    figures = {}
    for trajectory in ("future_orientation", "return_guidance"):
        figures[f"in_{trajectory}"] = {
            "current": sum(c.trajectory_on(end) == trajectory for c in clients),
            "cumulative": sum(within(c.entered(trajectory), None, end) for c in clients)}
    figures["returned"] = _flow(clients, lambda c: c.returned, start, end)
    for reason, name in EXIT_FIGURES.items():
        figures[name] = _flow(clients, lambda c, r=reason: c.exited if c.exit_reason == r else None, start, end)
    if organisations is None:  # a breakdown's group: no referrals per organisation
        return figures
    referred = [c for c in clients if c.exit_reason == "other_return_organisation"]
    used = {c.organisation for c in referred if within(c.exited, None, end)}
    figures["to_other_return_organisations"]["by_organisation"] = [
        {"organisation": org, "name": name,
         **_flow([c for c in referred if c.organisation == org], lambda c: c.exited, start, end)}
        for org, name in listed_organisations(organisations, used)]
    return figures


def quarterly_report(facts: list[dict], year: int, quarter: int, organisations: list[dict] = (),
                     place: dict | None = None, by: str | None = None, k: int = 5, targets_file: str = "") -> dict:
    """The report for one quarter over `facts` (already limited to an office or region, named in `place`)."""
    start, end = quarter_bounds(year, quarter)
    clients = [client(f) for f in facts]
    return {"targets": against(None, year, end, quarter, targets_file, clients),
            "breakdown": by and breakdown_of(clients, by, end, k, lambda cs: programme_figures(cs, start, end, None)),
            "year": year, "quarter": quarter, "period": {"start": start.isoformat(), "end": end.isoformat()},
            "filter": place or {"office": None, "region": None},
            "programme": programme_figures(clients, start, end, list(organisations)),
            "figures": monitoring_figures(facts, start, end),
            "labels": {"sections": labelled(SECTIONS), "columns": labelled(COLUMNS),
                       "programme": labelled(QUARTERLY),
                       "monitoring": labelled(MONITORING)}}


def report_rows(report: dict) -> list[dict]:
    """CSV rows: the programme's figures, each organisation under its figure, then the monitoring figures."""
    rows = []
    for name, figure in report["programme"].items():
        rows.append(_row("programme", name, None, dutch_and_english(QUARTERLY[name]), figure))
        for org in figure.get("by_organisation", ()):
            nl, en = dutch_and_english(QUARTERLY[name])
            rows.append(_row("programme", name, org["organisation"], (f"{nl}: {org['name']}", f"{en}: {org['name']}"),
                             org))
    for name, figure in report["figures"].items():
        rows.append(_row("monitoring", name, None, dutch_and_english(MONITORING[name]), figure))
    labels = {name: dutch_and_english(text) for name, text in QUARTERLY.items()}
    return rows + target_csv_rows(report["targets"]) + breakdown_csv_rows(report["breakdown"], labels)


def _row(section: str, name: str, organisation: str | None, label: tuple[str, str], figure: dict) -> dict:
    return {"section": section, "figure": name, "organisation": organisation or "", "label_nl": label[0],
            "label_en": label[1], **{column: figure.get(column, "") for column in COLUMNS}}
