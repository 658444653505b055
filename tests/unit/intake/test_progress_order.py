"""The half-yearly progress report lists a day's steps in the order the client went through them
(issue 16, item 13): registration first, a decision before the handover, departure before arrival."""
from __future__ import annotations

from datetime import date, datetime, timezone

from services.intake.progress import progress_report, steps

DAY = date(2026, 3, 2)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=timezone.utc)


def returnee(**changes) -> dict:
    """Registered, handed over, accepted, departed and arrived all on one day (a returnee who left at once)."""
    return {"id": "rtn_1", "country_of_return": "NG", "registered_on": DAY, "decided_on": None, "exit": None,
            "trajectory_history": [{"trajectory": "return_guidance", "started_on": DAY, "recorded_at": at(9)}],
            "history": [{"status": "registered", "at": at(9)}, {"status": "handover_requested", "at": at(9, 5)},
                        {"status": "handover_accepted", "at": at(9, 30)}, {"status": "departed", "at": at(10)},
                        {"status": "arrived", "at": at(11)}],
            "departed_on": DAY, "arrived_on": DAY, "monitoring": {"latest_index": 0.5, "open_alerts": 0}, **changes}


def test_one_days_steps_come_in_the_order_of_the_clients_path():
    assert [s["step"] for s in steps(returnee())] == [
        "registered", "handover_requested", "handover_accepted", "departed", "arrived"]


def test_a_decision_comes_after_registration_and_before_the_handover_of_the_same_day():
    client = returnee(decided_on=DAY, trajectory_history=[
        {"trajectory": "future_orientation", "started_on": DAY, "recorded_at": at(9)},
        {"trajectory": "return_guidance", "started_on": DAY, "recorded_at": at(9, 2)}])
    assert [s["step"] for s in steps(client)][:3] == ["registered", "decided_to_return", "handover_requested"]


def test_a_second_offer_on_the_day_of_a_decline_stays_after_the_decline():
    client = returnee(history=[{"status": "registered", "at": at(9)}, {"status": "handover_requested", "at": at(9, 5)},
                               {"status": "handover_declined", "at": at(9, 10)},
                               {"status": "handover_requested", "at": at(9, 20)},
                               {"status": "handover_accepted", "at": at(9, 30)}],
                      departed_on=None, arrived_on=None)
    assert [s["step"] for s in steps(client)] == [
        "registered", "handover_requested", "handover_declined", "handover_requested", "handover_accepted"]


def test_an_end_of_monitoring_comes_after_the_arrival_and_days_stay_in_order():
    later = datetime(2026, 9, 2, 8, tzinfo=timezone.utc)
    client = returnee(history=returnee()["history"] + [{"status": "monitoring_completed", "at": later}])
    assert [s["step"] for s in steps(client)][-2:] == ["arrived", "monitoring_completed"]
    assert [s["on"] for s in steps(client)] == sorted(s["on"] for s in steps(client))


def test_the_report_says_a_client_registered_for_return_decided_at_registration():
    report = progress_report(returnee(), until=date(2026, 6, 30), with_names=False)
    assert report["trajectory"] == "return_guidance"
    assert report["decision"]["decided_on"] is None and report["decision"]["at_registration"] is True
    undecided = returnee(trajectory_history=[{"trajectory": "future_orientation", "started_on": DAY,
                                              "recorded_at": at(9)}], history=[{"status": "registered", "at": at(9)}],
                         departed_on=None, arrived_on=None)
    assert progress_report(undecided, until=date(2026, 6, 30), with_names=False)["decision"]["at_registration"] is False
