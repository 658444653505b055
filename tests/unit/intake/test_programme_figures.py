"""The programme's quarterly figures (000_... "Kwartaalrapportage") and programme results (004_...)
against a quarter built by hand: 2026-Q1 is 2026-01-01..2026-03-31; every answer below was counted
from the table of clients, not from the code."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from services.intake.reports import programme_results, quarterly_report, report_rows

FO, RG = "future_orientation", "return_guidance"
ORGANISATIONS = [{"id": o, "name": n, "active": True} for o, n in
                 (("bridge-to-better", "Bridge to Better"), ("iom", "IOM"), ("ros", "ROS"), ("solid-road", "Solid Road"),
                  ("wereldwijd", "WereldWijd"))]


def on(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=timezone.utc)  # stored days are midnight UTC


def client(registered, *moves, departed=None, arrived=None, exit=None, office=None, stored_before_trajectories=False,
           supported=None):
    """`moves`: (trajectory, from day) after registration; the first is the registration's own."""
    facts = {"registered_on": on(registered), "history": [{"status": "registered", "at": on(registered)}],
             "departed_on": on(departed) if departed else None, "arrived_on": on(arrived) if arrived else None,
             "office": office}
    if supported:  # the first support a check-in reported delivered (checkin.recorded.v1)
        facts["outcomes"] = {"supported_on": on(supported)}
    if not stored_before_trajectories:
        facts["trajectory_history"] = [{"trajectory": t, "started_on": on(d)} for t, d in moves]
    if exit:
        reason, day, *organisation = exit
        facts["exit"] = {"reason": reason, "exited_on": on(day), "organisation": organisation[0] if organisation else None}
    return facts


QUARTER = {
    "A": client("2025-10-15", (FO, "2025-10-15"), (RG, "2026-01-01"), departed="2026-03-31", arrived="2026-04-02",
                supported="2026-04-20"),
    "B": client("2026-01-01", (FO, "2026-01-01")),                                    # enters on the first day
    "C": client("2026-03-31", (RG, "2026-03-31")),                                    # straight to RG, last day
    "D": client("2025-11-01", (FO, "2025-11-01"), exit=("other_return_organisation", "2026-01-01", "iom")),
    "E": client("2025-12-01", (FO, "2025-12-01"), exit=("other_return_organisation", "2026-03-31", "ros")),
    "F": client("2025-09-01", (FO, "2025-09-01"), exit=("irregular", "2025-12-31")),  # the day before
    "G": client("2026-02-10", (FO, "2026-02-10"), exit=("lso", "2026-04-01")),        # the day after
    "H": client("2025-06-01", departed="2025-12-31", arrived="2026-01-02", stored_before_trajectories=True,
                supported="2026-02-01"),
    "I": client("2026-04-01", (FO, "2026-04-01")),                                    # after the quarter
    "J": client("2025-10-01", (FO, "2025-10-01"), (RG, "2025-12-15"), exit=("lso", "2026-02-20")),
    "K": client("2026-01-10", (RG, "2026-01-10"), (FO, "2026-02-01"), (RG, "2026-03-31")),  # changed mind twice
    "L": client("2025-11-20", (FO, "2025-11-20"), (RG, "2026-04-01")),                # decides after the quarter
    "M": client("2025-08-01", (RG, "2025-08-01"), exit=("residence_permit", "2026-02-02")),
    "N": client("2026-03-15", (FO, "2026-03-15"), exit=("other", "2026-03-20")),
    "O": client("2026-02-01", (FO, "2026-02-01"), exit=("irregular", "2026-03-31")),
    "P": client("2025-05-01", (RG, "2025-05-01"), departed="2026-02-01"),             # arrival never confirmed
}


@pytest.fixture
def q1():
    return quarterly_report(list(QUARTER.values()), 2026, 1, ORGANISATIONS)


class TestTheProgrammesQuarterlyFigures:
    def test_clients_in_future_orientation_now_and_ever(self, q1):
        # on 31 March: B, G (exits 1 April), L (decides 1 April); ever by then: A B D E F G J K L N O
        assert q1["programme"]["in_future_orientation"] == {"current": 3, "cumulative": 11}

    def test_clients_in_return_guidance_now_and_ever(self, q1):
        # on 31 March: C (registered that day), K (decided again that day); A departed that day, so not;
        # ever by then: A C H J K M P (K once although it entered twice)
        assert q1["programme"]["in_return_guidance"] == {"current": 2, "cumulative": 7}

    def test_clients_returned(self, q1):
        assert q1["programme"]["returned"] == {"period": 2, "cumulative": 3}  # A (31 Mar), P / A P H (31 Dec)

    def test_clients_to_other_return_organisations_in_total_and_per_organisation(self, q1):
        figure = q1["programme"]["to_other_return_organisations"]
        assert (figure["period"], figure["cumulative"]) == (2, 2)  # D (1 Jan), E (31 Mar)
        assert [(o["organisation"], o["period"], o["cumulative"]) for o in figure["by_organisation"]] == [
            ("bridge-to-better", 0, 0), ("iom", 1, 1), ("ros", 1, 1), ("solid-road", 0, 0), ("wereldwijd", 0, 0)]

    def test_clients_to_illegality_and_to_the_lso(self, q1):
        assert q1["programme"]["to_irregularity"] == {"period": 1, "cumulative": 2}  # O (31 Mar) / O F (31 Dec)
        assert q1["programme"]["to_lso"] == {"period": 1, "cumulative": 1}           # J; G is in April

    def test_homewards_additions_count_the_other_ways_out(self, q1):
        assert q1["programme"]["to_residence_permit"] == {"period": 1, "cumulative": 1}  # M
        assert q1["programme"]["other_exits"] == {"period": 1, "cumulative": 1}          # N

    def test_every_client_registered_by_the_end_is_in_a_trajectory_or_has_left_it(self, q1):
        p = q1["programme"]
        outflow = sum(p[name]["cumulative"] for name in ("returned", "to_other_return_organisations", "ended_not_cooperating",
                                                          "to_irregularity", "to_lso", "to_residence_permit",
                                                          "other_exits"))
        assert p["in_future_orientation"]["current"] + p["in_return_guidance"]["current"] + outflow == 15  # not I

    def test_the_monitoring_figures_stay_as_the_second_section_and_exits_leave_the_caseload(self, q1):
        figures = q1["figures"]
        assert figures["registered"] == {"period": 6, "cumulative": 15}  # B C G K N O / all but I
        # Homeward's caseload before departure: at the end B C G K L; at some time in Q1 all but F H (and I)
        assert figures["in_return_guidance"] == {"period": 13, "cumulative": 15, "at_end": 5}
        assert figures["departed"] == {"period": 2, "cumulative": 3}
        assert figures["arrived"] == {"period": 1, "cumulative": 1}  # H (2 Jan); A arrives in April

    def test_the_quarter_before_knows_nothing_of_what_came_later(self):
        q4 = quarterly_report(list(QUARTER.values()), 2025, 4, ORGANISATIONS)["programme"]
        assert q4["in_future_orientation"] == {"current": 4, "cumulative": 6}  # A D E L / + F J
        assert q4["in_return_guidance"] == {"current": 3, "cumulative": 4}    # J M P / + H (departed 31 Dec)
        assert q4["returned"] == {"period": 1, "cumulative": 1}                # H on 31 December
        assert q4["to_irregularity"] == {"period": 1, "cumulative": 1}         # F on 31 December
        assert q4["to_other_return_organisations"]["cumulative"] == 0


class TestTheQuarterlyCsv:
    def test_rows_come_programme_first_with_dutch_and_english_labels(self, q1):
        rows = report_rows(q1)
        assert [r["figure"] for r in rows[:3]] == ["in_future_orientation", "in_return_guidance", "returned"]
        assert rows[0] == {"section": "programme", "figure": "in_future_orientation", "organisation": "",
                           "label_nl": "Aantal cliënten in traject Toekomstoriëntatie",
                           "label_en": "Clients in future orientation", "current": 3, "period": "",
                           "cumulative": 11, "at_end": ""}
        iom = next(r for r in rows if r["organisation"] == "iom")
        assert iom["label_nl"] == "Aantal cliënten uitgestroomd naar andere terugkeerorganisaties: IOM"
        assert (iom["period"], iom["cumulative"]) == (1, 1)
        assert [r["section"] for r in rows].count("monitoring") == 9
        assert [r["section"] for r in rows].count("targets") == 4  # the seed's four targets, against the results
        assert len(rows) == 11 + 5 + 9 + 4  # figures (three endings among them), organisations, monitoring, targets


class TestProgrammeResults:
    def test_the_quarter_as_004_counts_it(self):
        report = programme_results(list(QUARTER.values()), date(2026, 1, 1), date(2026, 3, 31), ORGANISATIONS)
        assert report["figures"] == {
            "enrolled_in_counselling": 5,              # B G K N O entered future orientation
            "referred_to_return_guidance": 2,          # A (1 Jan), K (31 Mar); J decided in December, L in April
            "referred_to_other_return_organisations": 2,   # D, E
            "enrolled_in_return_guidance": 3,          # A (decision), C (registration), K (registration)
            "returned": 2,                             # A, P
            "returned_with_reintegration_support": 1,  # A was given support; P never arrived
        }
        assert {o["organisation"]: o["referred"] for o in report["by_organisation"]} == {
            "bridge-to-better": 0, "iom": 1, "ros": 1, "solid-road": 0, "wereldwijd": 0}

    def test_since_the_start(self):
        report = programme_results(list(QUARTER.values()), None, date(2026, 3, 31), ORGANISATIONS)
        assert report["from"] is None and report["figures"] == {
            "enrolled_in_counselling": 11, "referred_to_return_guidance": 3,   # A J K
            "referred_to_other_return_organisations": 2, "enrolled_in_return_guidance": 7,
            "returned": 3, "returned_with_reintegration_support": 2}           # A H / not P

    def test_an_organisation_no_longer_active_still_shows_its_referrals(self):
        organisations = [{**o, "active": o["id"] != "ros"} for o in ORGANISATIONS]
        report = programme_results(list(QUARTER.values()), None, date(2026, 3, 31), organisations)
        assert [o["organisation"] for o in report["by_organisation"]] == [
            "bridge-to-better", "iom", "ros", "solid-road", "wereldwijd"]
        report = programme_results(list(QUARTER.values()), None, date(2025, 12, 31), organisations)
        assert "ros" not in [o["organisation"] for o in report["by_organisation"]]


class TestReturnedWithReintegrationSupport:
    def test_an_arrival_without_support_delivered_is_not_counted(self):
        arrived = client("2026-01-05", (RG, "2026-01-05"), departed="2026-02-08", arrived="2026-02-10")
        supported = client("2026-01-05", (RG, "2026-01-05"), departed="2026-02-08", arrived="2026-02-10",
                           supported="2026-02-25")
        report = programme_results([arrived, supported], date(2026, 1, 1), date(2026, 3, 31), ORGANISATIONS)
        assert report["figures"]["returned"] == 2 and report["figures"]["returned_with_reintegration_support"] == 1


class TestAReturnWhoseDepartureWasNotRecordedFirst:
    """The partner confirmed the arrival before the consultant recorded the departure (or it never was)."""

    LATE = {
        "Q": client("2026-01-05", (RG, "2026-01-05"), arrived="2026-02-10", supported="2026-02-20"),  # no departure (yet)
        "R": client("2026-01-05", (RG, "2026-01-05"), departed="2026-02-08", arrived="2026-02-10",
                    supported="2026-03-01"),  # recorded late
        "S": client("2025-11-03", (RG, "2025-11-03"), departed="2025-12-28", arrived="2026-01-03"),  # recorded late
    }

    def test_the_quarter_counts_each_return_once(self):
        q1 = quarterly_report(list(self.LATE.values()), 2026, 1, ORGANISATIONS)
        assert q1["programme"]["returned"] == {"period": 2, "cumulative": 3}  # Q (arrival day), R / + S (28 Dec)
        assert q1["programme"]["in_return_guidance"] == {"current": 0, "cumulative": 3}
        assert q1["figures"]["departed"] == {"period": 2, "cumulative": 3}
        assert q1["figures"]["arrived"] == {"period": 3, "cumulative": 3}
        assert q1["figures"]["in_return_guidance"]["at_end"] == 0
        q4 = quarterly_report(list(self.LATE.values()), 2025, 4, ORGANISATIONS)
        assert q4["programme"]["returned"] == {"period": 1, "cumulative": 1}  # S departed in December

    def test_the_programme_results_count_each_return_once_with_its_support(self):
        report = programme_results(list(self.LATE.values()), date(2026, 1, 1), date(2026, 3, 31), ORGANISATIONS)
        assert report["figures"]["returned"] == 2 and report["figures"]["returned_with_reintegration_support"] == 2

    def test_recording_the_departure_afterwards_moves_the_return_and_never_doubles_it(self):
        before = self.LATE["Q"]
        after = {**before, "departed_on": on("2026-01-30")}  # the consultant learns of it later
        for facts, january, february in ((before, 0, 1), (after, 1, 0)):
            jan = programme_results([facts], date(2026, 1, 1), date(2026, 1, 31), ORGANISATIONS)["figures"]
            feb = programme_results([facts], date(2026, 2, 1), date(2026, 2, 28), ORGANISATIONS)["figures"]
            assert (jan["returned"], feb["returned"]) == (january, february)
            assert quarterly_report([facts], 2026, 1, ORGANISATIONS)["programme"]["returned"] == {
                "period": 1, "cumulative": 1}


def test_the_endings_of_guidance_are_counted_each_under_its_own_figure():
    """001_...'s endings: not cooperating, the agreed term expired, the goals achieved (the first two in Q1,
    the last in Q1 and one the year before, so cumulative counts it twice)."""
    clients = [client("2025-06-01", (RG, "2025-06-01"), exit=("not_cooperating", "2026-02-01")),
               client("2024-06-01", (RG, "2024-06-01"), exit=("term_expired", "2026-03-31")),
               client("2025-01-10", (RG, "2025-01-10"), exit=("goals_achieved", "2026-01-05")),
               client("2024-03-01", (RG, "2024-03-01"), exit=("goals_achieved", "2025-09-01"))]
    programme = quarterly_report(clients, 2026, 1, ORGANISATIONS)["programme"]
    assert programme["ended_not_cooperating"] == {"period": 1, "cumulative": 1}
    assert programme["ended_term_expired"] == {"period": 1, "cumulative": 1}
    assert programme["ended_goals_achieved"] == {"period": 1, "cumulative": 2}
    assert programme["other_exits"] == {"period": 0, "cumulative": 0}
    assert programme["in_return_guidance"]["current"] == 0
