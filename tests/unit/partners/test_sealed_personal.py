"""Crypto-shredding on the partners side: sealed personal data opens only while intake holds the key."""
from __future__ import annotations

import pytest

from services.partners.bootstrap import PartnersService
from services.partners.handlers import erase_returnee, offer_handover, open_sealed_personal, register_partner
from shared import sealing
from shared.events import new_event
from tests.unit.conftest import FakeKeySource
from tests.unit.partners.stored import stored_handover

PERSONAL = {"given_name": "Amina", "family_name": "Okafor"}


@pytest.fixture
def setup(settings_for, clock, publisher):
    keys = FakeKeySource()
    service = PartnersService(settings_for("partners"), clock=clock, publisher=publisher, key_source=keys)
    org = register_partner(service.deps, {"name": "P", "countries": ["NG"]})["_id"]
    return service, keys, org


def offer(service, clock, org, key):
    sealed = sealing.seal(key, "rtn_1", PERSONAL)
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": org, "country_of_return": "NG",
        "personal": sealed}, clock.now()))
    return stored_handover("hnd_1")


def test_sealed_personal_data_is_opened_with_the_key_from_intake(setup, clock):
    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    assert offer(service, clock, org, keys.keys["rtn_1"])["personal"] == PERSONAL


def test_while_intake_is_unreachable_the_data_waits_sealed_and_opens_later(setup, clock):
    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    keys.down = True
    stored = offer(service, clock, org, keys.keys["rtn_1"])
    assert stored.get("personal") is None and sealing.is_sealed(stored["personal_sealed"])
    assert open_sealed_personal(service.deps) == 0
    keys.down = False
    assert open_sealed_personal(service.deps) == 1
    stored = stored_handover("hnd_1")
    assert stored["personal"] == PERSONAL and stored.get("personal_sealed") is None


def test_a_destroyed_key_means_the_data_is_never_opened(setup, clock):
    service, keys, org = setup
    stored = offer(service, clock, org, sealing.new_key())  # intake no longer has this key
    assert stored.get("personal") is None and stored.get("personal_sealed") is None


def test_erasure_drops_sealed_copies_too(setup, clock):
    service, keys, org = setup
    keys.down = True
    offer(service, clock, org, sealing.new_key())
    erase_returnee(service.deps, new_event("intake", "returnee.erased.v1", "rtn_1", {"returnee_id": "rtn_1"},
                                           clock.now()))
    assert stored_handover("hnd_1").get("personal_sealed") is None


def test_sealing_round_trip_and_wrong_key():
    key = sealing.new_key()
    sealed = sealing.seal(key, "r", PERSONAL)
    assert "Amina" not in sealed["ciphertext"] and sealing.unseal(key, sealed) == PERSONAL
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealing.new_key(), sealed)


def test_corrections_update_the_live_copy_once(setup, clock):
    from services.partners.handlers import update_copy

    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    offer(service, clock, org, keys.keys["rtn_1"])
    corrected = sealing.seal(keys.keys["rtn_1"], "rtn_1", {**PERSONAL, "family_name": "Okafor-Eze"})
    event = new_event("intake", "returnee.updated.v1", "rtn_1", {
        "returnee_id": "rtn_1", "changed": ["personal", "vulnerabilities"], "vulnerabilities": ["medical"],
        "personal": corrected}, clock.now())
    update_copy(service.deps, event)
    update_copy(service.deps, event)  # redelivered: no second effect, and no error
    stored = stored_handover("hnd_1")
    assert stored["personal"]["family_name"] == "Okafor-Eze" and stored["vulnerabilities"] == ["medical"]
    assert stored["seen_events"].count(event.id) == 1


PROFILE = {"region": "Ikeja, Lagos", "languages": ["yo"], "household": {"adults": 1, "minors": 2},
           "reintegration_plan": {"goals": {"health": "HIV treatment"}, "planned_support": []}}


def offer_with_profile(service, clock, org, key):
    offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
        "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": org, "country_of_return": "NG",
        "region": "Lagos", "personal": sealing.seal(key, "rtn_1", PERSONAL),
        "profile": sealing.seal(key, "rtn_1", PROFILE)}, clock.now()))
    return stored_handover("hnd_1")


def test_the_sealed_profile_opens_into_the_partner_copy_and_the_clear_region_is_kept_apart(setup, clock):
    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    stored = offer_with_profile(service, clock, org, keys.keys["rtn_1"])
    assert {name: stored[name] for name in PROFILE} == PROFILE
    assert stored["coarse_region"] == "Lagos" and stored.get("profile_sealed") is None


def test_a_profile_that_arrived_while_intake_was_unreachable_opens_later(setup, clock):
    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    keys.down = True
    stored = offer_with_profile(service, clock, org, keys.keys["rtn_1"])
    assert sealing.is_sealed(stored["profile_sealed"]) and not stored.get("reintegration_plan")
    keys.down = False
    assert open_sealed_personal(service.deps) == 1
    stored = stored_handover("hnd_1")
    assert stored["reintegration_plan"] == PROFILE["reintegration_plan"] and stored.get("profile_sealed") is None
    erase_returnee(service.deps, new_event("intake", "returnee.erased.v1", "rtn_1", {"returnee_id": "rtn_1"},
                                           clock.now()))
    erased = stored_handover("hnd_1")
    assert not erased.get("region") and not erased.get("household") and not erased.get("reintegration_plan")


def test_the_copy_of_personal_data_is_deleted_partner_retention_days_after_monitoring_ended(setup, clock):
    from services.partners.handlers import accept_handover, confirm_arrival, note_monitoring_ended
    from shared.auth import Principal

    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    offer_with_profile(service, clock, org, keys.keys["rtn_1"])
    partner = Principal(sub="c", role="partner", org=org)
    accept_handover(service.deps, partner, "hnd_1")
    confirm_arrival(service.deps, partner, "hnd_1", clock.today())
    assert service.expire_copies() == 0  # monitoring still runs
    note_monitoring_ended(service.deps, new_event("monitoring", "monitoring.completed.v1", "rtn_1",
                                                  {"returnee_id": "rtn_1", "summary": {}}, clock.now()))
    clock.advance(days=service.partner_retention_days - 1)
    assert service.expire_copies() == 0 and stored_handover("hnd_1")["personal"] == PERSONAL
    clock.advance(days=1)
    assert service.expire_copies() == 1
    kept = stored_handover("hnd_1")
    assert kept.get("personal") is None and not kept.get("reintegration_plan") and not kept.get("region")
    assert kept["status"] == "arrived" and kept["country"] == "NG" and kept["copy_deleted_at"]
    assert service.expire_copies() == 0


def test_a_fixed_perspective_plan_reaches_the_partner_copy_sealed_and_goes_with_erasure(setup, clock):
    from services.partners.handlers import update_copy
    service, keys, org = setup
    keys.keys["rtn_1"] = sealing.new_key()
    offer_with_profile(service, clock, org, keys.keys["rtn_1"])
    fixed = {"version": 1, "fixed_on": "2026-03-02", "goals": [{"id": "gol_1", "domain": "housing", "goal": "A room"}]}
    update_copy(service.deps, new_event("intake", "returnee.updated.v1", "rtn_1", {
        "returnee_id": "rtn_1", "changed": ["perspective_plan"],
        "profile": sealing.seal(keys.keys["rtn_1"], "rtn_1", {**PROFILE, "perspective_plan": fixed})}, clock.now()))
    stored = stored_handover("hnd_1")
    assert stored["perspective_plan"] == fixed and stored["reintegration_plan"] == PROFILE["reintegration_plan"]
    erase_returnee(service.deps, new_event("intake", "returnee.erased.v1", "rtn_1", {"returnee_id": "rtn_1"},
                                           clock.now()))
    assert not stored_handover("hnd_1").get("perspective_plan")
