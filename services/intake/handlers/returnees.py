"""Register and correct a returnee, record consent, the progress report, erasure and the personal key."""
from __future__ import annotations

from datetime import date

from ulid import ULID

from services.intake import disclosure, domain, eligibility, progress
from services.intake.events import CONSENT_CHANGED, RETURNEE_ERASED, RETURNEE_REGISTERED, RETURNEE_UPDATED
from shared import sealing
from shared.errors import Conflict, Invalid, NotFound
from shared.events import Envelope
from shared.texts import Text
from services.intake.handlers.common import Deps, get_returnee, new_event, office_part, sealed_personal, store_change


def register_returnee(deps: Deps, data: dict) -> dict:
    """Register a returnee; monitoring and partners learn only the pseudonymous facts."""
    now = deps.clock.now()
    returnee_id = "rtn_" + str(ULID())
    data = dict(data)
    questions = data.pop("eligibility_questions", None) or {}
    started = data.pop("registered_on", None) or deps.clock.today()  # `enrolled_on`: a case that began before
    trajectory = data.get("trajectory", domain.DEFAULT_TRAJECTORY)
    returnee = {"id": returnee_id, **data, "status": "registered", "created_at": now, "updated_at": now,
                "registered_on": started, "handover": None, "departed_on": None, "arrived_on": None,
                "history": [{"status": "registered", "at": now}], "trajectory": trajectory,
                "trajectory_history": [{"trajectory": trajectory, "started_on": started, "recorded_at": now}],
                "decided_on": None, "exit": None, "eligibility": assessed(deps, data, questions),
                "monitoring": {"next_due_on": None, "latest_index": None, "open_alerts": 0,
                               "latest_scores": None, "latest_scored_on": None}}
    registered = new_event(deps, RETURNEE_REGISTERED, returnee_id, country_of_return=data["country_of_return"],
                        registered_on=started.isoformat(), trajectory=trajectory,
                        consultant=data.get("consultant"), **office_part(data.get("office")))
    added = deps.repo.add(returnee, [registered])
    if deps.after_write is not None:
        deps.after_write(returnee_id)  # the worklist's due dates (services/intake/tasks.py)
    return added


def assessed(deps: Deps, data: dict, questions: dict) -> dict:
    """The REAN/HRT assessment kept with the returnee at registration: on the nationality (the country of return
    when none is known), the household, the conditions asked, by the rules in force on the planned departure."""
    household = data.get("household") or {}
    people = {"adults": household.get("adults", 1), "accompanied_minors": household.get("minors", 0),
              "unaccompanied_minors": household.get("unaccompanied_minors", 0)}
    if not sum(people.values()):
        people["adults"] = 1  # a household of nobody: the client themself
    return eligibility.assess(data.get("nationality") or data["country_of_return"],
                              country_of_return=data["country_of_return"], **people, **questions,
                              on=data.get("planned_departure_date") or deps.clock.today(), rules=deps.rules())


def update_returnee(deps: Deps, returnee_id: str, changes: dict) -> dict:
    """Correct or complete a returnee's details."""
    returnee = get_returnee(deps, returnee_id)
    if not changes:
        return returnee
    moved = changes.get("country_of_return", returnee["country_of_return"]) != returnee["country_of_return"]
    if moved and returnee["status"] not in domain.COMMANDS["request_handover"]:
        raise Conflict("The country of return cannot change once a partner has the case; "
                       "withdraw consent or wait for a decline first.")
    events = [_copies_update(deps, returnee, changes)]  # it carries a new consultant and office when it exists
    followed = changes.get("consultant", returnee.get("consultant")) != returnee.get("consultant") or \
        ("office" in changes and changes["office"] != returnee.get("office"))
    if followed and events[0] is None:
        # who follows the client (and its office), for the staff notifications, also before any copy exists
        events.append(new_event(deps, RETURNEE_UPDATED, returnee["id"], changed=["consultant", "office"],
                                consultant=changes.get("consultant", returnee.get("consultant")),
                                **office_part(changes.get("office", returnee.get("office")))))
    return store_change(deps, returnee, changes, events)


def _copies_update(deps: Deps, returnee: dict, changes: dict) -> Envelope | None:
    """`returnee.updated.v1` when a partner or monitoring holds a copy of what changed, else None."""
    if not returnee.get("handover") or returnee["status"] == "registered":
        return None  # nobody outside intake has a copy yet
    data = disclosure.update_part(returnee, changes, lambda: deps.repo.personal_key(returnee["id"], sealing.new_key))
    if any(name in changes for name in domain.PERSONAL_FIELDS) and (returnee.get("consent") or {}).get(
            "share_with_partner"):
        data["personal"] = sealed_personal(deps, {**returnee, **changes})
    if "office" in changes and changes["office"] != returnee.get("office"):
        data.update(office_part(changes["office"]))  # monitoring groups outcomes by office and its region
    if "consultant" in changes and changes["consultant"] != returnee.get("consultant"):
        data["consultant"] = changes["consultant"]  # monitoring files the client's alerts under who follows them
    if not data:
        return None
    return new_event(deps, RETURNEE_UPDATED, returnee["id"], changed=sorted(data), **data)


def set_consent(deps: Deps, returnee_id: str, consent: dict) -> dict:
    """Record consent; withdrawing consent to share stops sharing and withdraws an open offer."""
    returnee = get_returnee(deps, returnee_id)
    changes, status = {"consent": consent}, None
    if not consent["share_with_partner"]:
        deps.repo.destroy_personal_key(returnee_id)  # no further sharing, not even from the Kafka log
    if not consent["share_with_partner"] and returnee["status"] == "handover_requested":
        status = "registered"
        changes["handover"] = {**returnee["handover"], "status": "withdrawn"}
    changed = new_event(deps, CONSENT_CHANGED, returnee_id,
                     share_with_partner=consent["share_with_partner"],
                     share_outcomes_with_chain_partners=consent["share_outcomes_with_chain_partners"])
    return store_change(deps, returnee, changes, [changed], status)


def progress_report(deps: Deps, returnee_id: str, until: date | None, with_names: bool) -> dict:
    """The half-yearly progress report of one client, for the half year that ends on `until` (default today)."""
    returnee = get_returnee(deps, returnee_id)
    until = until or deps.clock.today()
    if until > deps.clock.today():
        raise Invalid("Implausible report date.", errors={"until": "Must not be in the future."})
    if until < returnee["registered_on"]:
        raise Invalid("Implausible report date.", errors={
            "until": Text("Must not be before the registration ({registered_on}).",
                          registered_on=returnee["registered_on"].isoformat())})
    assessments = deps.assessments.all_of(returnee_id)
    key = deps.repo.existing_personal_key(returnee_id) if with_names else None
    for assessment in assessments:  # the judgement in words only in the report with names
        sealed = assessment.pop("judgement", None)
        assessment["judgement"] = sealing.unseal(key, sealed)["text"] if sealed and key else None
    return progress.progress_report(returnee, until, with_names, assessments)


PERSONAL_AND_FREE_TEXT = domain.PERSONAL_FIELDS + domain.INTERNAL_FIELDS + (
    "reintegration_plan", "region", "languages", "household", "vulnerabilities",  # the tombstone counts without them
    "exit.note", "monitoring.latest_scores", "monitoring.latest_scored_on")  # a person's scores: not for counts


def erase_returnee(deps: Deps, returnee_id: str) -> None:
    """Right to erasure: delete personal data here and tell the other services to do the same.

    A tombstone without personal data stays so that counts (quarterly report) remain right and
    late events about this id are ignored. The returnee's key is destroyed too (crypto-shredding:
    sealed copies in the log become unreadable).
    """
    get_returnee(deps, returnee_id)
    erased = new_event(deps, RETURNEE_ERASED, returnee_id)
    if not deps.repo.erase(returnee_id, PERSONAL_AND_FREE_TEXT, [erased], deps.clock.now()):
        raise NotFound("No such returnee.")  # erased meanwhile by another request
    if deps.notes is not None:
        deps.notes.delete_all_of(returnee_id)  # sealed with the key just destroyed, and now gone too
    if getattr(deps, "documents", None) is not None:
        deps.documents.delete_all_of(returnee_id)  # encrypted with that key: the files and their chunks go too
    if deps.assessments is not None:
        deps.assessments.delete_all_of(returnee_id)  # their judgements too
    if deps.plans is not None:
        deps.plans.delete_all_of(returnee_id)  # the perspective plan's versions, sealed with it too
        deps.tasks.delete_all_of(returnee_id)  # and the worklist's rows about the returnee


def release_personal_key(deps: Deps, returnee_id: str) -> dict:
    """The sealing key for a service that must open `personal` (partners), while consent allows it."""
    returnee = deps.repo.get(returnee_id)
    key = deps.repo.existing_personal_key(returnee_id)
    if returnee is None or key is None or not (returnee.get("consent") or {}).get("share_with_partner"):
        raise NotFound("No key: unknown returnee, erased, or no consent to share.")
    return {"returnee_id": returnee_id, "algorithm": sealing.ALGORITHM, "key": key}
