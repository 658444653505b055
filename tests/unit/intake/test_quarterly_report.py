"""The quarterly report against a fixture whose answers were counted by hand."""
from __future__ import annotations

from datetime import datetime, timezone

from services.intake.reports import quarter_bounds, quarterly_report, report_rows


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)


def returnee(registered, handed=None, departed=None, arrived=None, completed=None, closed=None, lost=None, remig=None):
    history = [{"status": "registered", "at": at(registered)}]
    if handed:
        history.append({"status": "handover_requested", "at": at(handed)})
    if completed:
        history.append({"status": "monitoring_completed", "at": at(completed)})
    if closed:
        history.append({"status": "closed", "at": at(closed)})
    return {"registered_on": at(registered), "history": history, "departed_on": at(departed) if departed else None,
            "arrived_on": at(arrived) if arrived else None,
            "outcomes": {k: v for k, v in (("lost_contact_on", lost), ("re_migrated_on", remig)) if v}}


FIXTURE = [
    returnee("2025-11-10", "2025-12-01", "2025-12-20", "2025-12-21", completed="2026-02-10"),  # A: all in 2025-Q4..Q1
    returnee("2026-01-05", "2026-01-20", "2026-02-15", "2026-02-16"),                         # B: moves in Q1
    returnee("2026-02-01", "2026-03-05"),                                                     # C: handed over in Q1
    returnee("2026-03-31"),                                                                   # D: registered last day
    returnee("2026-04-01"),                                                                   # E: after Q1
    returnee("2025-06-01", "2025-06-10", "2025-07-01", "2025-07-02", lost="2026-01-15",
             closed="2026-03-01", remig="2026-03-01"),                                        # F: lost, re-migrated
]


def test_quarter_bounds():
    assert quarter_bounds(2026, 1) == (at("2026-01-01").date(), at("2026-03-31").date())
    assert quarter_bounds(2025, 4) == (at("2025-10-01").date(), at("2025-12-31").date())


def test_the_first_quarter_of_2026():
    figures = quarterly_report(FIXTURE, 2026, 1)["figures"]  # Homeward's monitoring figures (second section)
    assert figures["registered"] == {"period": 3, "cumulative": 5}                # B C D / A B C D F
    assert figures["handed_over"] == {"period": 2, "cumulative": 4}               # B C / A B C F
    assert figures["departed"] == {"period": 1, "cumulative": 3}                  # B / A B F
    assert figures["arrived"] == {"period": 1, "cumulative": 3}
    assert figures["monitoring_completed"] == {"period": 1, "cumulative": 1}      # A
    assert figures["lost_contact"] == {"period": 1, "cumulative": 1}              # F
    assert figures["re_migrated"] == {"period": 1, "cumulative": 1}
    # stocks: in guidance at some time in Q1: B C D (A and F left before Q1); at the end: C D
    assert figures["in_return_guidance"] == {"period": 3, "cumulative": 5, "at_end": 2}
    # in monitoring in Q1: A (until Feb), B, F (until Mar); at the end: B only
    assert figures["in_monitoring"] == {"period": 3, "cumulative": 3, "at_end": 1}


def test_the_previous_quarter_knows_nothing_of_later_events():
    figures = quarterly_report(FIXTURE, 2025, 4)["figures"]
    assert figures["registered"] == {"period": 1, "cumulative": 2}
    assert figures["monitoring_completed"]["cumulative"] == 0
    assert figures["in_monitoring"]["at_end"] == 2  # A and F


def test_csv_rows_carry_every_figure():
    rows = [r for r in report_rows(quarterly_report(FIXTURE, 2026, 1)) if r["section"] == "monitoring"]
    assert [r["figure"] for r in rows][:3] == ["registered", "in_return_guidance", "handed_over"]
    assert len(rows) == 9
