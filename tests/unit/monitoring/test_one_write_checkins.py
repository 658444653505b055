"""Issue 17, part 5: a check-in is one write (its Idempotency-Key and stored answer are recorded in the same
conditional update of the case as the check-in and its events), and the case a check-in writes stays
bounded however long the returnee's history grows (older check-ins move to the history beside the
requests; GET /v1/cases/{id} still answers all of them)."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import bson
from bson.codec_options import CodecOptions
import mongomock.collection
import pytest

from services.monitoring.documents import Case, Checkin, CheckinRecord
from services.monitoring.domain import insights
from services.monitoring.handlers import anonymise, rescore_all
from services.monitoring.retention import blank_old_notes
from shared.events import new_event
from tests.unit.monitoring.checkin_requests import ARRIVED, body, post

WRITES = ("insert_one", "insert_many", "update_one", "update_many", "replace_one", "delete_one", "delete_many",
          "find_one_and_update", "find_one_and_replace", "bulk_write")


def ad_hoc(n: int, **fields) -> dict:
    """The n-th ad hoc check-in of rtn_own, on one of the days between the arrival and today (2026-03-02)."""
    day = ARRIVED + timedelta(days=1 + n % 55)
    return body(**{"slot": "ad_hoc", "contact_date": day.isoformat(), "notes": f"visit {n}", "support_delivered": [],
                   "scores": {"economic": 2 + n % 4, "housing": 3, "social": 4, "health": 3, "resilience": 2 + n % 3},
                   **fields})


def settle(service) -> None:
    """The work beside the requests, done now: key records copied, history moved, insights followed."""
    service.history_feed.run_once()
    service.insights_feed.run_once()
    service.relay.run_once(sweep=False)


@pytest.fixture
def writes(monkeypatch):
    """Store writes made by this thread, per collection (threads beside the requests not counted)."""
    made: list[str] = []
    me = threading.get_ident()
    for name in WRITES:
        original = getattr(mongomock.collection.Collection, name)

        def counting(self, *args, _original=original, _name=name, **kwargs):
            if threading.get_ident() == me:
                made.append(f"{self.name}.{_name}")
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(mongomock.collection.Collection, name, counting)
    return made


def raw_case(rid: str = "rtn_own") -> dict:
    return Case.objects(id=rid).as_pymongo().first()


class TestOneWritePerCheckin:
    def test_a_check_in_is_one_write_of_its_case(self, monitoring, writes):
        client, service, partner = monitoring
        response = post(client, partner, body(), key="one")
        assert response.status_code == 201, response.json
        assert writes == ["cases.update_one"]

    def test_a_replay_writes_nothing_and_answers_the_same_bytes(self, monitoring, writes):
        client, service, partner = monitoring
        first = post(client, partner, body(), key="again")
        writes.clear()
        again = post(client, partner, body(), key="again")
        assert writes == []
        assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_a_stored_refusal_is_one_write_of_the_key_and_is_replayed(self, monitoring, writes):
        client, service, partner = monitoring
        refused = body(contact_date="2026-01-01", support_delivered=[])  # before the arrival
        first = post(client, partner, refused, key="before")
        assert first.status_code == 422 and writes == ["cases.update_one"]
        assert [k["id"] for k in raw_case()["keys"]] == ["org:prt_own:before"]
        again = post(client, partner, refused, key="before")
        assert (again.status_code, again.get_data()) == (422, first.get_data())
        assert service.repo.get("rtn_own")["checkins"] == []

    def test_the_key_and_the_check_in_are_in_the_same_document(self, monitoring):
        client, _, partner = monitoring
        created = post(client, partner, body(), key="together").json
        stored = raw_case()
        assert [c["id"] for c in stored["checkins"]] == [created["id"]]
        [entry] = stored["keys"]
        assert entry["id"] == "org:prt_own:together" and entry["status"] == 201


class TestKeys:
    def test_the_same_key_with_another_body_is_422_also_after_the_case_forgot_the_key(self, monitoring):
        client, service, partner = monitoring
        first = post(client, partner, ad_hoc(0), key="early")
        for n in range(1, 40):  # the case keeps its recent keys only
            assert post(client, partner, ad_hoc(n), key=f"k{n}").status_code == 201
        settle(service)
        assert "org:prt_own:early" not in {k["id"] for k in raw_case()["keys"]}
        again = post(client, partner, ad_hoc(0), key="early")
        assert (again.status_code, again.get_data()) == (201, first.get_data())
        other = post(client, partner, ad_hoc(0, notes="changed"), key="early")
        assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
        assert len(service.repo.get_full("rtn_own")["checkins"]) == 40

    def test_a_key_used_for_another_returnee_is_422_once_copied_beside_the_requests(self, monitoring, auth):
        client, service, _ = monitoring
        consultant = auth("consultant")
        assert post(client, consultant, body(), key="shared-key").status_code == 201
        settle(service)
        other = post(client, consultant, body(returnee_id="rtn_other"), key="shared-key")
        assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
        assert service.repo.get("rtn_other")["checkins"] == []

    def test_threads_with_one_key_store_one_check_in_and_all_get_its_answer(self, monitoring):
        client, service, partner = monitoring
        results = []

        def send(data):
            results.append(post(client, partner, data, key="race"))

        threads = [threading.Thread(target=send, args=(body(),)) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [r.status_code for r in results] == [201] * 6
        assert len({r.get_data() for r in results}) == 1
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_threads_with_one_key_and_different_bodies_store_one(self, monitoring):
        client, service, partner = monitoring
        results = []

        def send(data):
            results.append(post(client, partner, data, key="mixed"))

        threads = [threading.Thread(target=send, args=(body(notes=f"version {n}"),)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(r.status_code for r in results) == [201] + [422] * 5
        assert len(service.repo.get("rtn_own")["checkins"]) == 1

    def test_a_key_older_than_its_retention_is_forgotten(self, monitoring):
        client, service, partner = monitoring
        assert post(client, partner, ad_hoc(1), key="old").status_code == 201
        Case.objects(id="rtn_own").update_one(__raw__={"$set": {"keys.0.at": bson.datetime.datetime(2020, 1, 1)}})
        settle(service)
        service.idempotency.documents.objects.delete()  # the housekeeping job purged the copy
        assert post(client, partner, ad_hoc(1, notes="new day"), key="old").status_code == 201


class TestABoundedCase:
    def test_two_hundred_check_ins_leave_the_case_no_larger_than_a_handful(self, monitoring):
        client, service, partner = monitoring
        sizes = {}
        for n in range(200):
            assert post(client, partner, ad_hoc(n), key=f"c{n}").status_code == 201, n
            if n + 1 in (10, 200):
                settle(service)
                sizes[n + 1] = len(bson.encode(raw_case()))
        stored = raw_case()
        assert len(stored["checkins"]) <= 12 and len(stored["keys"]) <= 10
        assert sizes[200] <= 1.3 * sizes[10], sizes
        assert CheckinRecord.objects(returnee_id="rtn_own").count() >= 188

    def test_a_moved_check_in_is_stored_as_the_document_class_stores_it(self, monitoring):
        """The move copies the case's stored check-ins as they are: the same as validating each through
        CheckinRecord, and each taken out of the case once."""
        client, service, partner = monitoring
        as_kept = CodecOptions(tz_aware=False)  # as stored, not as a tz-aware client reads it
        held = {}
        for n in range(12):  # read after each post: the feed beside the requests may move the older ones meanwhile
            assert post(client, partner, ad_hoc(n), key=f"m{n}").status_code == 201
            stored = Case._get_collection().with_options(codec_options=as_kept).find_one()["checkins"]
            held.update((c["id"], c) for c in stored if c["id"] not in held)
        assert len(held) == 12
        settle(service)
        records = list(CheckinRecord._get_collection().with_options(codec_options=as_kept).find())
        assert records and all(r["checkin"]["id"] in held for r in records)
        for record in records:
            checkin = Checkin._from_son(held[record["checkin"]["id"]])
            rebuilt = CheckinRecord(id=record["_id"], returnee_id="rtn_own", checkin=checkin)
            rebuilt.validate()
            assert record == rebuilt.to_mongo().to_dict()
        left = [c["id"] for c in raw_case()["checkins"]]
        assert not {r["checkin"]["id"] for r in records} & set(left) and len(left) + len(records) == 12

    def test_get_case_answers_the_whole_history_in_order_with_the_scores(self, monitoring):
        client, service, partner = monitoring
        ids = [post(client, partner, ad_hoc(n), key=f"h{n}").json["id"] for n in range(60)]
        settle(service)
        case = client.get("/v1/cases/rtn_own", headers=partner).json
        assert [c["id"] for c in case["checkins"]] == ids
        assert [c["notes"] for c in case["checkins"]] == [f"visit {n}" for n in range(60)]
        assert sorted(s["checkin_id"] for s in case["scores"]) == sorted(ids)

    def test_a_check_in_that_moved_to_the_history_can_be_corrected(self, monitoring):
        client, service, partner = monitoring
        ids = [post(client, partner, ad_hoc(n), key=f"x{n}").json["id"] for n in range(30)]
        settle(service)
        assert ids[0] not in {c["id"] for c in raw_case()["checkins"]}
        fixed = post(client, partner, ad_hoc(0, supersedes=ids[0], notes="corrected"), key="fix")
        assert fixed.status_code == 201, fixed.json
        again = post(client, partner, ad_hoc(0, supersedes=ids[0], notes="twice"), key="fix-2")
        assert again.status_code == 409
        settle(service)
        case = client.get("/v1/cases/rtn_own", headers=partner).json
        by_id = {c["id"]: c for c in case["checkins"]}
        assert len(by_id) == 31 and by_id[ids[0]]["superseded_by"] == fixed.json["id"]
        assert ids[0] not in {s["checkin_id"] for s in case["scores"]}

    def test_the_index_drop_of_a_backdated_check_in_compares_with_the_check_in_before_it(self, monitoring, auth):
        client, service, partner = monitoring
        high = {"economic": 4, "housing": 4, "social": 4, "health": 4, "resilience": 4}  # as high as the later ones
        assert post(client, partner, body(slot="ad_hoc", contact_date="2026-01-06", scores=high, support_delivered=[]),
                    key="hi").status_code == 201
        for n in range(20):  # later contacts, moderate scores
            day = (date(2026, 2, 1) + timedelta(days=n)).isoformat()
            assert post(client, partner, body(slot="ad_hoc", contact_date=day, scores={"economic": 4, "housing": 4},
                                              support_delivered=[]), key=f"m{n}").status_code == 201
        settle(service)
        low = {"economic": 2, "housing": 2, "social": 2, "health": 2, "resilience": 2}
        backdated = post(client, partner, body(slot="ad_hoc", contact_date="2026-01-07", scores=low,
                                               support_delivered=[]), key="lo")
        assert backdated.status_code == 201
        alerts = client.get("/v1/alerts?returnee_id=rtn_own&type=index_drop", headers=auth("admin"))
        assert [a["checkin_id"] for a in alerts.json["items"]] == [backdated.json["id"]]

    def test_the_country_insights_count_the_same_after_the_history_moved(self, monitoring):
        client, service, partner = monitoring
        for n in range(40):
            recorded = post(client, partner, ad_hoc(n, safety_concern=n == 3, support_delivered=[
                {"type": "housing", "amount_eur": 10}] if n == 2 else []), key=f"i{n}")
            assert recorded.status_code == 201, recorded.json
        settle(service)
        bounded, whole = service.repo.get("rtn_own"), service.repo.get_full("rtn_own")
        assert len(bounded["checkins"]) < 40 == len(whole["checkins"])
        assert insights.contribution(bounded) == insights.contribution(whole)
        assert insights.contribution(whole)["checkins"] == 40 and insights.contribution(whole)["safety"]


class TestTheHistoryFollowsTheCase:
    def fill(self, client, service, partner, n=30):
        for i in range(n):
            post(client, partner, ad_hoc(i), key=f"f{i}")
        settle(service)
        assert CheckinRecord.objects(returnee_id="rtn_own").count() > 0

    def test_erasure_blanks_the_notes_in_the_history_and_forgets_the_stored_answers(self, monitoring, clock):
        client, service, partner = monitoring
        self.fill(client, service, partner)
        anonymise(service.deps, new_event("intake", "returnee.erased.v1", "rtn_own", {"returnee_id": "rtn_own"},
                                          clock.now()))
        settle(service)
        records = [r.checkin.notes for r in CheckinRecord.objects(returnee_id="rtn_own")]
        assert records and set(records) == {""}
        assert {c["notes"] for c in service.repo.get_full("rtn_own")["checkins"]} == {""}
        assert not raw_case().get("keys")

    def test_retention_blanks_old_notes_in_the_history_too(self, monitoring, clock):
        client, service, partner = monitoring
        self.fill(client, service, partner)
        assert blank_old_notes(service.deps, 30) >= 1  # contacts before 2026-01-31
        settle(service)
        whole = service.repo.get_full("rtn_own")["checkins"]
        assert all(c["notes"] == "" for c in whole if c["contact_date"] < "2026-01-31")
        assert any(c["notes"] for c in whole if c["contact_date"] >= "2026-01-31")

    def test_rescoring_reaches_the_history(self, monitoring):
        from services.monitoring.domain.scoring import ScoringScheme

        client, service, partner = monitoring
        self.fill(client, service, partner)
        assert rescore_all(service.deps, ScoringScheme("2027.1", {"economic": {"economic": 1.0}})) == 30
        settle(service)
        assert {c["scheme_version"] for c in service.repo.get_full("rtn_own")["checkins"]} == {"2027.1"}

    def test_outcomes_count_every_check_in(self, monitoring, auth):
        client, service, partner = monitoring
        self.fill(client, service, partner)
        rows = client.get("/v1/outcomes?by=returnee", headers=auth("project_lead")).json["rows"]
        assert {r["returnee_id"]: r["checkins"] for r in rows}["rtn_own"] == 30
