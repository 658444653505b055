"""Project leads' pages: the dashboard, outcomes, the quarterly report and programme results (pseudonymous only)."""
from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from services.web.charts import bar_chart, grouped_bars
from services.web import vocabulary
from services.web.security import roles, web
from services.web.views.common import partner_names
from shared.pages.formatting import country_name, fmt_number, fmt_percent

bp = Blueprint("reports", __name__)
LEADS = ("project_lead", "admin")
PER_RETURNEE = "returnee"  # a grouping whose rows are returnees, not groups: not a tab of the outcomes page
MONTHS = ("1", "3", "6", "9", "12")


BREAKDOWNS = {"country": _l("By country of return"), "gender": _l("By gender"), "age_band": _l("By age band"),
              "vulnerability": _l("By vulnerability")}  # intake's `breakdown=`


def dashboard_figures() -> dict:
    """Every figure the dashboard shows, as the APIs give them: a fixed number of calls whatever the caseload
    and the number of countries (counts, outcomes, the insights of every country at once, alert counts, scorecard)."""
    counts = web().intake.counts()
    by_status, by_country = counts["by_status"], counts["by_country"]
    outcomes = web().monitoring.outcomes("country")
    index_rows = [row for row in outcomes["rows"] if not row["suppressed"]]
    insights = web().intake.insights(sorted(by_country))
    open_alerts = web().monitoring.alert_counts(["open"])["by_type"]
    scorecard = web().monitoring.scorecard()
    return {"total": counts["total"], "by_status": sorted(by_status.items()), "by_country": sorted(by_country.items()),
            "index_rows": index_rows, "suppressed_groups": [r for r in outcomes["rows"] if r["suppressed"]],
            "insights": insights, "open_alerts": sorted(open_alerts.items()), "scorecard": scorecard, "k": outcomes.get("k"),
            "targets": web().intake.targets()}


@bp.route("/dashboard")
@roles(*LEADS)
def dashboard():
    """Charts with their numbers beside them."""
    f = dashboard_figures()
    names = partner_names()
    shown = {c: i for c, i in f["insights"].items() if not i.get("suppressed")}
    domain_country = request.args.get("country", "").upper()
    if domain_country not in shown:
        domain_country = next(iter(shown), "")
    domain_slots = (shown.get(domain_country) or {}).get("mean_scores_by_slot") or {}
    slot_names = [s for s in domain_slots if not domain_slots[s].get("suppressed")]
    domains = vocabulary.choices("intake.domains")  # of the plan's goals: what intake's insight scores
    codes = [code for code, _text in domains]
    charts = {
        "status": bar_chart([(vocabulary.label("returnee_statuses", s), n) for s, n in f["by_status"]],
                            _("Returnees by status"), fmt_number_0),
        "country": bar_chart([(country_name(c), n) for c, n in f["by_country"]], _("Returnees by country"), fmt_number_0),
        "index": grouped_bars([_("month %(m)s", m=m) for m in MONTHS],
                              {country_name(r["group"]): [r["mean_index_by_slot"].get(m) for m in MONTHS]
                               for r in f["index_rows"]}, _("Mean sustainability index per monitoring month"),
                              top=1.0, fmt=fmt_number),
        "domains": grouped_bars([text for _code, text in domains],
                                {_("month %(m)s", m=s): [domain_slots[s].get(d) for d in codes] for s in slot_names},
                                _("Mean domain scores"), top=5.0, fmt=fmt_number) if slot_names else None,
        "safety": bar_chart([(country_name(c), i.get("safety_concern_share")) for c, i in shown.items()],
                            _("Share with a safety concern"), fmt_percent),
        "timeliness": bar_chart([(names.get(r["partner_id"], r["partner_id"]), r["mean_days_to_accept"])
                                 for r in f["scorecard"]], _("Mean days to accept a handover"), fmt_days),
        "alerts": bar_chart([(vocabulary.label("alert_types", t), n) for t, n in f["open_alerts"]],
                            _("Open alerts by type"), fmt_number_0),
    }
    return render_template("dashboard.html", f=f, charts=charts, months=MONTHS, domains=codes, shown=shown,
                           domain_country=domain_country, domain_slots=domain_slots, slot_names=slot_names,
                           partners=names, lang=_lang())


def fmt_number_0(value) -> str:
    return fmt_number(value, 0)


def fmt_days(value) -> str:
    """Days (a mean): one decimal, as everywhere days are shown."""
    return fmt_number(value, 1)


def groupings() -> list[str]:
    """The tabs of the outcomes page: monitoring's groupings (`outcome_groupings`), in its order."""
    return [g for g in vocabulary.codes("outcome_groupings") if g != PER_RETURNEE]


def _grouping() -> str:
    by = request.args.get("by", "country")
    return by if by in groupings() else "country"


@bp.route("/outcomes")
@roles(*LEADS)
def outcomes():
    by = _grouping()
    table = web().monitoring.outcomes(by)
    return render_template("outcomes.html", table=table, by=by, groupings=groupings(), months=MONTHS,
                           names=_group_names(by))


def _group_names(by: str) -> dict:
    """Group id -> the name a person reads, for the groupings whose ids are codes."""
    if by == "partner":
        return partner_names()
    if by in ("office", "office_region"):
        regions = web().intake.offices()
        if by == "office_region":
            return {region["id"]: region["name"] for region in regions}
        return {office["id"]: office["name"] for region in regions for office in region["offices"]}
    return {}


@bp.route("/outcomes.csv")
@roles(*LEADS)
def outcomes_csv():
    by = _grouping()
    return Response(web().monitoring.outcomes_csv(by), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="outcomes-by-{by}.csv"'})


def _quarter() -> tuple[int, int]:
    today = web().clock.today()
    try:
        year = int(request.args.get("year", today.year))
        quarter = int(request.args.get("quarter", (today.month - 1) // 3 + 1))
    except ValueError:
        year, quarter = today.year, (today.month - 1) // 3 + 1
    return min(max(year, 2000), 2100), min(max(quarter, 1), 4)


def _place() -> dict:
    """The office or region the report is for (empty: the whole programme); the API checks the ids."""
    office, region = request.args.get("office", "").strip(), request.args.get("region", "").strip()
    return {"office": office or None, "region": None if office else region or None}


def _lang() -> str:
    return "nl" if str(get_locale()).startswith("nl") else "en"


@bp.route("/reports/quarterly")
@roles(*LEADS)
def quarterly():
    """The programme's quarterly figures, then Homeward's monitoring figures, per office or region."""
    year, quarter = _quarter()
    place = _place()
    breakdown = request.args.get("breakdown") if request.args.get("breakdown") in BREAKDOWNS else None
    report = web().intake.quarterly(year, quarter, **place, breakdown=breakdown)
    progress_until = min(report["period"]["end"], web().clock.today().isoformat())  # a report is never ahead
    return render_template("quarterly.html", report=report, year=year, quarter=quarter, place=place,
                           regions=web().intake.offices(), lang=_lang(), progress_until=progress_until,
                           breakdown=breakdown, breakdowns=BREAKDOWNS)


@bp.route("/reports/quarterly.csv")
@roles(*LEADS)
def quarterly_csv():
    year, quarter = _quarter()
    return Response(web().intake.quarterly_csv(year, quarter, **_place()), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="quarterly-{year}-Q{quarter}.csv"'})


def _window() -> tuple[str | None, str | None]:
    return request.args.get("from", "").strip() or None, request.args.get("to", "").strip() or None


@bp.route("/reports/programme")
@roles(*LEADS)
def programme():
    """The programme results (enrolled, referred, returned) over a window, per office or region."""
    start, end = _window()
    place = _place()
    return render_template("programme.html", report=web().intake.programme(start, end, **place), start=start,
                           end=end, place=place, regions=web().intake.offices(), lang=_lang())


@bp.route("/reports/programme.csv")
@roles(*LEADS)
def programme_csv():
    start, end = _window()
    return Response(web().intake.programme_csv(start, end, **_place()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="programme-results.csv"'})
