"""The counts and the day table the reports read, kept by each write, equal what a scan of every returnee
gives, after random sequences of registrations, decisions, handovers, arrivals, departures, exits, monitoring
news, corrections and erasures; the repair changes nothing then, and rebuilds them after a lost change."""
from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from services.intake import offices
from services.intake.documents import ReadModel, Returnee
from services.intake.handlers import follow_handover, follow_monitoring
from services.intake.queries import listed_filter
from services.intake.read_model_repository import ReadModels
from services.intake.reports import programme_results, quarterly_report
from services.intake.reports.breakdowns import DIMENSIONS
from services.intake.reports.days import programme_from_days, quarterly_from_days
from shared.events import new_event
from tests.unit.intake.returnees import PARTNER_P, register

OFFICES = ("amsterdam", "haarlem", "utrecht", None)
ORGANISATIONS = ("iom", None)
CONSULTANTS = ("web:alice", "web:bob.smith", None)


class World:
    def __init__(self, intake, clock, seed: int):
        self.client, self.service, self.headers = intake
        self.clock = clock
        self.rng = random.Random(seed)
        self.ids: list[str] = []
        self.done = Counter()  # what was done (path, answer): the sequences must reach every kind of change

    def post(self, path: str, body: dict):
        answer = self.client.post(path, json=body, headers=self.headers)
        self.done[(path.rsplit("/", 1)[-1], answer.status_code)] += 1
        return answer

    def day(self, rid: str) -> str:
        """A day from the registration to today."""
        registered = self.service.repo.get(rid)["registered_on"]
        return (registered + timedelta(days=self.rng.randint(0, (self.clock.today() - registered).days))).isoformat()

    def event(self, source: str, kind: str, rid: str, data: dict):
        follow = follow_handover if source == "partners" else follow_monitoring
        follow(self.service.deps, new_event(source, kind, rid, {"returnee_id": rid, **data}, self.clock.now()))

    def step(self) -> None:
        rng = self.rng
        live = [rid for rid in self.ids if self.service.repo.get(rid)]
        roll = rng.random()
        if not live or roll < 0.18:
            answer = register(self.client, self.headers, office=rng.choice(OFFICES), consultant=rng.choice(CONSULTANTS),
                              trajectory=rng.choice(("future_orientation", "return_guidance")),
                              country_of_return=rng.choice(("ET", "NG")), gender=rng.choice(("female", "male", "unknown")),
                              date_of_birth=rng.choice(("1988-02-03", "2008-05-30", "1960-12-01")),
                              vulnerabilities=rng.choice(([], ["medical"], ["medical", "mental_health"])))
            self.ids.append(answer.json["id"])
            return
        rid = rng.choice(live)
        returnee = self.service.repo.get(rid)
        if rng.random() < 0.5:
            self.progress(rid, returnee)
        elif roll < 0.28:
            self.post(f"/v1/returnees/{rid}/trajectory", {"trajectory": rng.choice(("future_orientation", "return_guidance")),
                                                         "decided_on": self.day(rid)})
        elif roll < 0.36:
            reason = rng.choice(("other_return_organisation", "irregular", "lso", "residence_permit", "other"))
            body = {"reason": reason, "exited_on": self.day(rid)}
            if reason == "other_return_organisation" and rng.choice(ORGANISATIONS):
                body["organisation"] = "iom"
            self.post(f"/v1/returnees/{rid}/exit", body)
        elif roll < 0.46:
            self.post(f"/v1/returnees/{rid}/handover", {"partner_id": PARTNER_P})
        elif roll < 0.58 and returnee.get("handover"):
            data = {"handover_id": returnee["handover"]["id"], "partner_id": PARTNER_P}
            kind = rng.choice(("handover.accepted.v1", "handover.declined.v1", "returnee.arrived.v1"))
            if kind == "returnee.arrived.v1":
                data["arrived_on"] = self.day(rid)
            self.event("partners", kind, rid, data)
        elif roll < 0.66:
            self.post(f"/v1/returnees/{rid}/departure", {"departed_on": self.day(rid)})
        elif roll < 0.76:
            summary = {"next_due_on": None, "latest_index": 0.5, "open_alerts": rng.randint(0, 2)}
            kind, extra = rng.choice([("checkin.recorded.v1", {}), ("alert.raised.v1", {"type": "lost_contact"}),
                                      ("alert.raised.v1", {"type": "re_migrated"}),
                                      ("monitoring.completed.v1", {"outcome": rng.choice(("completed", "closed"))})])
            self.event("monitoring", kind, rid, {"summary": summary, **extra})
        elif roll < 0.86:
            change = rng.choice([{"office": rng.choice(OFFICES)}, {"consultant": rng.choice(CONSULTANTS)},
                                 {"country_of_return": rng.choice(("ET", "NG"))}])
            self.client.patch(f"/v1/returnees/{rid}", json=change, headers=self.headers)
        elif roll < 0.9:
            self.client.delete(f"/v1/returnees/{rid}", headers=self.headers)
        else:
            self.clock.advance(days=rng.randint(1, 40))


    def progress(self, rid: str, returnee: dict) -> None:
        """The case's natural next step."""
        status, handover = returnee["status"], returnee.get("handover") or {}
        data = {"handover_id": handover.get("id"), "partner_id": PARTNER_P}
        if returnee["trajectory"] == "future_orientation":
            self.post(f"/v1/returnees/{rid}/trajectory", {"trajectory": "return_guidance", "decided_on": self.day(rid)})
        elif status in ("registered", "handover_declined"):
            self.post(f"/v1/returnees/{rid}/handover", {"partner_id": PARTNER_P})
        elif status == "handover_requested":
            kind = self.rng.choice(("handover.accepted.v1", "handover.accepted.v1", "handover.declined.v1"))
            self.event("partners", kind, rid, data)
            self.done[kind] += 1
        elif status == "handover_accepted" and self.rng.random() < 0.5:
            self.post(f"/v1/returnees/{rid}/departure", {"departed_on": self.day(rid)})
        elif status in ("handover_accepted", "departed"):
            self.event("partners", "returnee.arrived.v1", rid, {**data, "arrived_on": self.day(rid)})
            self.done["arrived"] += 1
        elif status == "arrived":
            outcome = self.rng.choice(("completed", "closed"))
            self.event("monitoring", "monitoring.completed.v1", rid, {"summary": {"open_alerts": 0}, "outcome": outcome})
            self.done["completed"] += 1


def scanned_counts(filters: dict) -> dict:
    """The counts as a scan of every listed returnee gives them (the reference)."""
    by_status, by_country = Counter(), Counter()
    for doc in Returnee.objects(__raw__=listed_filter(filters)).only("status", "country_of_return").as_pymongo():
        by_status[doc["status"]] += 1
        by_country[doc["country_of_return"]] += 1
    return {"total": sum(by_status.values()), "by_status": dict(sorted(by_status.items())),
            "by_country": dict(sorted(by_country.items()))}


def assert_read_models_match(service, clock) -> None:
    repo = service.repo
    for filters in ({}, {"office": "amsterdam"}, {"trajectory": "future_orientation"},
                    {"trajectory": "return_guidance"}, {"consultant": "web:bob.smith"},
                    {"consultant": "web:alice", "office": "haarlem"}):
        assert repo.counts(filters) == scanned_counts(filters), filters
    organisations = repo.organisations(include_inactive=True)
    today = clock.today()
    for office, region in ((None, None), ("amsterdam", None), (None, "west"), ("utrecht", None), (None, "midden")):
        chosen = {office} if office else offices.offices_in(region) if region else None
        facts = repo.report_facts(chosen)
        plain, grouped = repo.report_days(office, region), repo.report_days(office, region, breakdowns=True)
        for (year, quarter), by in zip(((2026, 1), (2026, 2), (2026, 3), (2025, 4)), (*DIMENSIONS, None)):
            days = grouped if by else plain
            assert quarterly_from_days(days, year, quarter, organisations, by=by, k=2) == \
                quarterly_report(facts, year, quarter, organisations, by=by, k=2), (chosen, year, quarter, by)
        for start, end in ((None, today), (today - timedelta(days=45), today), (today.replace(day=1), today),
                           (today - timedelta(days=100), today - timedelta(days=20))):
            for by in (None, *DIMENSIONS):
                days = grouped if by else plain
                assert programme_from_days(days, start, end, organisations, by=by, k=2) == \
                    programme_results(facts, start, end, organisations, by=by, k=2), (chosen, start, end, by)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_read_models_equal_a_scan_and_the_repair_changes_nothing(intake, clock, seed):
    world = World(intake, clock, seed)
    for _ in range(200):
        world.step()
    assert {"handover.accepted.v1", "handover.declined.v1", "arrived", "completed", ("departure", 200),
            ("exit", 200), ("trajectory", 200)} <= set(world.done)
    _, service, _ = intake
    assert_read_models_match(service, clock)
    assert service.repo.repair_read_models() == 0
    assert not Returnee.objects(__raw__={"tally_pending.0": {"$exists": True}}).count()


def test_the_repair_applies_a_change_left_on_a_returnee_and_rebuilds_lost_read_models(intake, clock, monkeypatch):
    world = World(intake, clock, 4)
    for _ in range(60):
        world.step()
    _, service, _ = intake
    with monkeypatch.context() as crashed:  # the process stops between the returnee's write and the read models
        crashed.setattr(ReadModels, "apply", lambda self, returnee_id, change: None)
        for _ in range(30):
            world.step()
    assert Returnee.objects(__raw__={"tally_pending.0": {"$exists": True}}).count()
    ReadModel.objects(id="counts").delete()
    ReadModel.objects(id__startswith="days:*").update(set__months={})
    assert service.repo.repair_read_models() > 0
    assert_read_models_match(service, clock)
    assert service.repo.repair_read_models() == 0
    for _ in range(30):  # and they are kept from there on
        world.step()
    assert_read_models_match(service, clock)



def test_a_report_without_a_breakdown_reads_no_group_counter_and_the_repair_moves_them_from_the_old_place(
        intake, clock):
    world = World(intake, clock, 4)
    for _ in range(80):
        world.step()
    _, service, _ = intake
    plain, grouped = service.repo.report_days(), service.repo.report_days(breakdowns=True)
    assert not [key for counters in plain.months.values() for key in counters if "~" in key]
    assert [key for counters in grouped.months.values() for key in counters if "~" in key]
    stored = ReadModel._get_collection()
    for doc in stored.find({"_id": {"$regex": "^days:"}}):
        assert not [key for month in doc.get("months", {}).values() for key in month if "~" in key], doc["_id"]
    # the day tables as stored before the groups had their own documents: their counters among the figures'
    for doc in stored.find({"_id": {"$regex": "^groups:"}}):
        days_id = "days:" + doc["_id"].split(":", 1)[1].rsplit("-", 1)[0]  # groups:<scope>:<year>-<month>
        target = stored.find_one({"_id": days_id}) or {"months": {}, "days": {}}
        for mm, counters in doc["months"].items():
            target["months"].setdefault(mm, {}).update(counters)
        for mm, of_month in doc["days"].items():
            for dd, counters in of_month.items():
                target["days"].setdefault(mm, {}).setdefault(dd, {}).update(counters)
        stored.update_one({"_id": days_id}, {"$set": {"months": target["months"], "days": target["days"]}},
                          upsert=True)
        stored.delete_one({"_id": doc["_id"]})
    assert service.repo.repair_read_models() > 0
    assert_read_models_match(service, clock)
    assert not [key for counters in service.repo.report_days().months.values() for key in counters if "~" in key]
