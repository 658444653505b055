"""No staff page walks every page of an API: the base client reads a list whole only when it is one of the
named bounded lists (partner organisations), and the dashboard makes the same number of calls whatever the
number of countries."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from services.web.clients.base import BOUNDED, ApiClient
from tests.unit.web.targets_answer import TARGETS
from tests.unit.web.conftest import INTAKE, MONITORING, serve_alert_counts, serve_insights

WEB = Path(__file__).resolve().parents[3] / "services" / "web"


def test_a_list_that_grows_with_the_caseload_is_not_read_whole():
    client = ApiClient(INTAKE, lambda: "token")
    for path in ("/v1/returnees", "/v1/alerts", "/v1/cases", "/v1/partners/ptn_1/webhook/deliveries"):
        with pytest.raises(ValueError, match="not a bounded list"):
            client.all_pages(path)


def test_the_web_app_reads_whole_only_the_bounded_lists():
    """Every `all_pages(...)` call in services/web names one of BOUNDED as a literal path."""
    calls = []
    for source in WEB.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "all_pages":
                first = node.args[0] if node.args else None
                calls.append((source.name, first.value if isinstance(first, ast.Constant) else ast.dump(first)))
    assert calls and all(path in BOUNDED for _, path in calls), calls
    assert {name for name, _ in calls} == {"partners.py"}


def dashboard_calls(browser, api, countries: list[str]) -> int:
    """The API calls one project lead's dashboard makes with `countries` in the caseload."""
    api.get(f"{INTAKE}/v1/reports/targets", json=TARGETS)
    api.get(f"{INTAKE}/v1/returnees/counts", json={"total": 10 * len(countries), "by_status": {"arrived": 10},
                                                   "by_country": {c: 10 for c in countries}})
    api.get(f"{MONITORING}/v1/outcomes", json={"by": "country", "k": 5, "rows": []})
    serve_insights(api, {c: {"country": c, "suppressed": True, "k": 5, "returnees": 0, "checkins": 0} for c in countries})
    serve_alert_counts(api, {"lost_contact": 3})
    api.get(f"{MONITORING}/v1/scorecard", json={"partners": []})
    b = browser("project_lead")
    before = len(api.calls)
    page = b.client.get("/dashboard")
    assert page.status_code == 200
    return len([c for c in api.calls[before:] if "/v1/vocabularies" not in c.request.url])


@pytest.mark.parametrize("countries", [2, 20])
def test_the_dashboard_makes_the_same_calls_for_2_countries_as_for_20(browser, api, countries):
    codes = ["NG", "ET", "GH", "GN", "MA", "SN", "ML", "CM", "CI", "SL", "LR", "TG", "BJ", "NE", "BF", "TD", "SD",
             "ER", "SO", "KE"][:countries]
    assert dashboard_calls(browser, api, codes) == 7  # counts, outcomes, insights, alert counts, scorecard, targets, partners
