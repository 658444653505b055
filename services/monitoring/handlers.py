"""Monitoring's use cases: follow handovers and arrivals, record check-ins, judge slots, act on alerts."""
from __future__ import annotations

import json
import pickle
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import ScoringScheme
from services.monitoring.events import (HANDOVER_ACCEPTED, HANDOVER_DECLINED, HANDOVER_EXPIRED, HANDOVER_REQUESTED,
                                        PLAN_UPDATED, RETURNEE_ARRIVED, RETURNEE_DEPARTED, RETURNEE_ERASED,
                                        RETURNEE_EXITED, RETURNEE_UPDATED, build_event)
from services.monitoring.events import ACCESS_REVOKED
from services.monitoring.repository import AbstractCaseRepository
from services.monitoring.schemas import AccessRevokedSchema
from services.monitoring.schemas import (ArrivedSchema, DepartedSchema, ErasedSchema, ExitedSchema, HandoverAnsweredSchema,
                                         HandoverRequestedSchema, ReturneeUpdatedSchema)
from shared.auth import Principal
from shared.events import Envelope
from shared.errors import Conflict, DomainError, Invalid, NotFound, NotYet
from shared.http import iso
from shared.idempotency import KeyReused
from shared.kafka import read_event
from shared.revocations import organisation_key, subject_key
from shared.dates import aware

MAX_WRITE_ATTEMPTS = 8
REFUSALS = {404: NotFound, 409: Conflict, 422: Invalid}
CASE_NOT_KNOWN_YET = "case-not-known-yet"  # the problem type of a check-in that came before its case
RETRY_NOT_YET = 30  # seconds: events reach monitoring within seconds, unless its consumer is catching up


class Deps:
    revocations = None  # shared.revocations.Revocations: the partners' tokens that ended early (set by bootstrap)

    def __init__(self, repo: AbstractCaseRepository, clock, rules: Rules, scheme: ScoringScheme, insights=None,
                 history=None, keys=None):
        self.repo = repo
        self.clock = clock
        self.rules = rules
        self.scheme = scheme
        self.insights = insights  # an InsightsFeed, told which cases changed (None: nobody keeps insights)
        self.history = history  # a HistoryFeed: copies recorded keys, moves old check-ins out (None: neither)
        self.keys = keys  # the IdempotencyStore holding the copies of the keys cases recorded (None: cases only)

    def now_iso(self) -> str:
        """Now, to the millisecond: what the store keeps of an instant, so a stored time reads back equal."""
        now = self.clock.now()
        return iso(now.replace(microsecond=now.microsecond // 1000 * 1000))


def _envelopes(deps: Deps, case: dict, raw: list[tuple]) -> list[Envelope]:
    base = {"returnee_id": case["returnee_id"], "country": case["country"], "partner_id": case["partner_id"]}
    summary = cases.summary(case)
    return [build_event(type_, case["returnee_id"], {**base, **data, "summary": summary},
                        deps.clock.now()) for type_, data in raw]


def mutate(deps: Deps, returnee_id: str, change: Callable[[dict], list[tuple]],
           create: Callable[[], dict] | None = None, event_id: str | None = None,
           loaded: dict | None = None) -> tuple[dict, list]:
    """Read the case once, apply `change`, and write what changed with its events in one
    compare-and-set update; on a lost race, read again and retry."""
    for _ in range(MAX_WRITE_ATTEMPTS):
        before, loaded = loaded or deps.repo.get(returnee_id), None
        if before is not None and event_id and event_id in before["seen_events"]:
            return before, []
        case, events = _changed(deps, returnee_id, before, change, create)
        written = (deps.repo.add(case, events, event_id) if before is None
                   else deps.repo.update(before, case, events, event_id))
        if written:
            _followed(deps, before, case)
            return case, events
    raise RuntimeError(f"case {returnee_id} kept changing; giving up for now")


def _changed(deps: Deps, returnee_id: str, before: dict | None, change: Callable[[dict], list[tuple]],
             create: Callable[[], dict] | None) -> tuple[dict, list]:
    """`change` applied to a copy of the case as read (or to a new case): the case as changed, its events."""
    if before is None:
        if create is None:
            raise NotFound("No such case.")
        case = create()
    else:
        case = _copy(before)
    try:
        raw = change(case, deps.repo.id_maker(returnee_id))
    except cases.Rejected as exc:
        raise REFUSALS.get(exc.status, DomainError)(exc.detail, exc.errors)
    if not raw and before is not None and cases.summary(case) != cases.summary(before):
        raw = [(PLAN_UPDATED, {})]  # the next due date moved: tell intake
    return case, _envelopes(deps, case, raw)


def _followed(deps: Deps, before: dict | None, case: dict) -> None:
    """After a write: the country insights follow the case, and a case that grew moves old check-ins out."""
    _tell_insights(deps, before, case)
    if deps.history is not None and histories.due(case):
        deps.history.case_grew(case["_id"])


def _copy(case: dict) -> dict:
    """An independent copy of a case to change, keeping `before` as read for the diff: the case is
    plain data, and a pickle round trip copies it several times faster than `copy.deepcopy`."""
    return pickle.loads(pickle.dumps(case, pickle.HIGHEST_PROTOCOL))


INSIGHT_INPUTS = ("checkins", "region", "country", "latest_index")  # what a country insight is built from


def _tell_insights(deps: Deps, before: dict | None, case: dict) -> None:
    """Country insights follow the cases (off the request path): a changed case is counted again, an
    erased one leaves."""
    if deps.insights is None:
        return
    if (case.get("erased") and not (before or {}).get("erased")) or \
            any(case.get(name) != (before or {}).get(name) for name in INSIGHT_INPUTS):
        deps.insights.changed(case)


# --- events from intake and partners -------------------------------------------------------------

def note_handover_requested(deps: Deps, envelope: Envelope) -> None:
    """Start watching for an answer from the partner (handover-unanswered alert)."""
    data = read_event(HandoverRequestedSchema, envelope)

    def change(case, new_id):
        case.update(partner_id=data["partner_id"], country=data["country_of_return"], region=data["region"],
                    vulnerabilities=data["vulnerabilities"])
        case.update({k: data[k] for k in ("office", "office_region") if data[k]})
        answered = (case.get("handover") or {}).get("id") == data["handover_id"] and case["handover"]["answered"]
        case["handover"] = {"id": data["handover_id"], "requested_on": envelope.time.date().isoformat(),
                            "answered": answered}
        log = case.setdefault("handover_log", [])
        if not any(h["id"] == data["handover_id"] for h in log):
            log.append({"id": data["handover_id"], "partner_id": data["partner_id"],
                        "requested_on": case["handover"]["requested_on"], "answered_on": None, "answer": None})
        return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)

    mutate(deps, data["returnee_id"], change, lambda: cases.new_case(
        data["returnee_id"], data["country_of_return"], data["partner_id"]), envelope.id)


def note_handover_answered(deps: Deps, envelope: Envelope) -> None:
    """The partner answered (accepted or declined): the unanswered alert goes away."""
    data = read_event(HandoverAnsweredSchema, envelope)

    def change(case, new_id):
        for entry in case.setdefault("handover_log", []):
            if entry["id"] == data["handover_id"] and entry["answer"] is None:
                entry.update(answered_on=envelope.time.date().isoformat(),
                             answer=envelope.type.split(".")[1])  # accepted, declined or expired
        handover = case.get("handover")
        if handover is None or handover["id"] != data["handover_id"]:
            if handover is not None:
                return []  # an answer to an older handover
            case["handover"] = {"id": data["handover_id"], "requested_on": envelope.time.date().isoformat()}
        case["handover"]["answered"] = True
        return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)

    mutate(deps, data["returnee_id"], change,
           lambda: cases.new_case(data["returnee_id"], "", envelope.data.get("partner_id")), envelope.id)


def note_departure(deps: Deps, envelope: Envelope) -> None:
    """The returnee departed: arrival must be confirmed within a few days."""
    data = read_event(DepartedSchema, envelope)

    def change(case, new_id):
        case["departed_on"] = data["departed_on"].isoformat()
        return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)

    mutate(deps, data["returnee_id"], change, lambda: cases.new_case(
        data["returnee_id"], data["country"] or "", data["partner_id"]), envelope.id)


def start_monitoring(deps: Deps, envelope: Envelope) -> None:
    """Arrival confirmed: plan the check-ins; past slots are judged at once."""
    data = read_event(ArrivedSchema, envelope)

    def change(case, new_id):
        if case["state"] != "awaiting_arrival":
            return []
        case.update(partner_id=data["partner_id"], country=data["country"], region=data["region"],
                    vulnerabilities=data["vulnerabilities"])
        if case.get("handover"):
            case["handover"]["answered"] = True
        cases.start_plan(case, data["arrived_on"], deps.rules)
        return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)

    mutate(deps, data["returnee_id"], change, lambda: cases.new_case(
        data["returnee_id"], data["country"], data["partner_id"]), envelope.id)


def follow_update(deps: Deps, envelope: Envelope) -> None:
    """Corrected region, vulnerability categories or office (they group outcomes and insights)."""
    data = read_event(ReturneeUpdatedSchema, envelope)
    changes = {k: data[k] for k in ("region", "vulnerabilities", "office", "office_region") if k in data}
    if not changes:
        return

    def change(case, new_id):
        case.update(changes)
        return []

    try:
        mutate(deps, data["returnee_id"], change, event_id=envelope.id)
    except NotFound:
        pass  # no case yet: the arrival will bring the current values


def anonymise(deps: Deps, envelope: Envelope) -> None:
    """Right to erasure: monitoring holds no names; drop free text and the region."""
    data = read_event(ErasedSchema, envelope)

    def change(case, new_id):
        histories.restore(case, deps.repo.history(case))  # the moved check-ins are blanked too, and moved again
        case["region"] = None
        case["erased"] = True
        case["keys"] = []  # the answers kept under recent Idempotency-Keys repeat the notes
        for checkin in case["checkins"]:
            checkin["notes"] = ""
            checkin["reason"] = None if checkin.get("reason") is None else ""
        return []

    try:
        mutate(deps, data["returnee_id"], change, event_id=envelope.id)
    except NotFound:
        pass  # monitoring never knew this returnee


def close_for_exit(deps: Deps, envelope: Envelope) -> None:
    """The client left the programme before departing: a case still awaiting arrival is closed (outcome
    `exited`), so no handover or arrival alert is raised for it, and an open one resolves itself."""
    data = read_event(ExitedSchema, envelope)

    def change(case, new_id):
        if case["state"] != "awaiting_arrival":
            return []  # arrived: monitoring's own outcomes apply (intake refuses an exit after departure)
        case.update(state="closed", outcome="exited", completed_at=deps.now_iso())
        return cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)

    try:
        mutate(deps, data["returnee_id"], change, event_id=envelope.id)
    except NotFound:
        pass  # never handed over: monitoring never knew this returnee


def note_access_revoked(deps: Deps, envelope: Envelope) -> None:
    """A partner's credential, person or whole organisation lost its access: its tokens end here too."""
    data = read_event(AccessRevokedSchema, envelope)
    if deps.revocations is None:
        return
    keys = [organisation_key(data["partner_id"])] if data["organisation"] else [subject_key(s) for s in data["subjects"]]
    deps.revocations.revoke(keys, data["revoked_at"])


HANDLERS = {
    RETURNEE_UPDATED: follow_update,
    HANDOVER_REQUESTED: note_handover_requested,
    HANDOVER_ACCEPTED: note_handover_answered,
    HANDOVER_DECLINED: note_handover_answered,
    HANDOVER_EXPIRED: note_handover_answered,
    RETURNEE_DEPARTED: note_departure,
    RETURNEE_ARRIVED: start_monitoring,
    RETURNEE_ERASED: anonymise,
    RETURNEE_EXITED: close_for_exit,
    ACCESS_REVOKED: note_access_revoked,
}


# --- commands from the API ----------------------------------------------------------------------------

def _visible(who: Principal, case: dict) -> dict:
    if who.is_partner and (case.get("partner_id") != who.org or case["state"] == "awaiting_arrival"):
        raise NotFound("No such case.")
    return case


def visible_case(deps: Deps, who: Principal, returnee_id: str, whole: bool = False) -> dict:
    """The case, if the caller may see it: a partner only its own organisation's (404 otherwise); `whole`:
    with every check-in, those moved to the history included."""
    case = deps.repo.get_full(returnee_id) if whole else deps.repo.get(returnee_id)
    if case is None:
        raise NotFound("No such case.")
    return _visible(who, case)


@dataclass(frozen=True)
class Claim:
    """The Idempotency-Key a check-in came with: recorded, with the answer, in the check-in's own write."""

    key: str  # "<scope>:<key>": the client's scope and its key
    fingerprint: str  # of the request body
    answer: Callable[[dict], dict]  # the recorded check-in -> the answer's body
    final: Callable[[DomainError], dict | None]  # a refusal -> its problem document when it is the answer to keep


@dataclass(frozen=True)
class Answer:
    """What a claimed check-in answers: 201 and the check-in, or a kept refusal's problem document."""

    status: int
    body: dict


def record_checkin(deps: Deps, who: Principal, data: dict, claim: Claim | None = None):
    """Record one check-in: validated against the plan, scored, alerts raised; returns it (with a `claim`,
    the Answer, recorded under its key or replayed from it).

    One read of the case and one conditional write: the check-in, the fields it changed, its events and
    the key with its answer. A check-in whose rules read older check-ins takes the case's history back."""
    payload = storable(data)
    stored = {}

    def change(case, new_id):
        _visible(who, case)
        if histories.needs_history(case, payload):
            histories.restore(case, deps.repo.history(case))
        checkin, events = cases.record_checkin(
            case, payload, deps.clock.today(), deps.now_iso(), deps.rules, deps.scheme, new_id,
            {"role": who.role, "org": who.org, "sub": who.sub})
        histories.number(case, checkin)
        stored.update(checkin)
        return events

    if claim is not None:
        return _record_claimed(deps, data["returnee_id"], change, claim, stored)
    try:
        mutate(deps, data["returnee_id"], change)
    except NotFound:
        raise _not_yet() from None
    return stored


def _not_yet() -> NotYet:
    """No case yet, or not this partner's (yet): alike, so neither tells of the other."""
    return NotYet("Monitoring does not know this returnee's case yet: it starts when the handover or the "
                  "arrival reaches monitoring. Send the check-in again later, with the same Idempotency-Key.",
                  CASE_NOT_KNOWN_YET, 404, RETRY_NOT_YET)


def _record_claimed(deps: Deps, returnee_id: str, change, claim: Claim, stored: dict) -> Answer:
    """`mutate` for a check-in with its Idempotency-Key: an answer the key already has is replayed before
    anything changes; the check-in (or a refusal to keep) and the key are one conditional write; the
    loser of a race reads the case again and finds the winner's answer under the key."""
    for _ in range(MAX_WRITE_ATTEMPTS):
        before = deps.repo.get(returnee_id)
        known = _known_answer(deps, before, claim)
        if known is not None:
            return known
        if before is None:
            raise _not_yet()
        try:
            case, events = _changed(deps, returnee_id, before, change, None)
            answer = Answer(201, claim.answer(stored))
        except NotFound:
            raise _not_yet() from None
        except DomainError as refusal:
            document = claim.final(refusal)
            if document is None:
                raise
            case, events, answer = dict(before), [], Answer(document["status"], document)
        now = datetime.now(timezone.utc)  # wall clock: a key is kept for its real age
        entry = {"id": claim.key, "fingerprint": claim.fingerprint, "status": answer.status,  # a stored KeyEntry
                 "answer": json.dumps(answer.body, sort_keys=True),
                 "at": now.replace(microsecond=now.microsecond // 1000 * 1000)}  # what BSON keeps
        if deps.repo.update(before, case, events, key=entry):
            _followed(deps, before, case)
            if deps.history is not None:  # copied to the key store, where it is found by key alone
                deps.history.key_recorded({**entry, "body": answer.body})
            return answer
        stored.clear()
    raise RuntimeError(f"case {returnee_id} kept changing; giving up for now")



def _known_answer(deps: Deps, case: dict | None, claim: Claim) -> Answer | None:
    """The answer already recorded under the claim's key: in the case's recent keys, else in the key store
    (a key the case no longer holds, or one used for another returnee). KeyReused for another body."""
    ttl = deps.keys.ttl if deps.keys is not None else timedelta(days=1)
    oldest = datetime.now(timezone.utc) - ttl
    for entry in (case or {}).get("keys") or ():
        if entry["id"] == claim.key and aware(entry["at"]) >= oldest:
            if entry["fingerprint"] != claim.fingerprint:
                raise KeyReused(claim.key)
            return Answer(entry["status"], json.loads(entry["answer"]))
    stored = deps.keys.lookup(claim.key, claim.fingerprint) if deps.keys is not None else None
    return Answer(stored.status, stored.body) if stored is not None else None


def storable(data: dict) -> dict:
    """A loaded check-in as the domain keeps it (ISO days, no empty scores)."""
    out = dict(data)
    out["contact_date"] = data["contact_date"].isoformat()
    out["scores"] = {d: s for d, s in (data.get("scores") or {}).items() if s is not None}
    out["support_delivered"] = [{**s, "delivered_on": s["delivered_on"].isoformat() if s.get("delivered_on") else None}
                                for s in data.get("support_delivered") or []]
    return out


def act_on_alert(deps: Deps, who: Principal, alert_id: str, action: str, note: str) -> dict:
    """Acknowledge or resolve an alert; returns it."""
    case = deps.repo.find_by_alert(alert_id)
    if case is None:
        raise NotFound("No such alert.")

    def change(current, new_id):
        event = cases.act_on_alert(current, alert_id, action, deps.now_iso(), who.sub, note)
        return [event] if event else []

    case, _ = mutate(deps, case["_id"], change, loaded=case)
    return alert_view(case, next(a for a in case["alerts"] if a["id"] == alert_id))


def alert_view(case: dict, alert: dict) -> dict:
    return {**{k: v for k, v in alert.items() if k != "cause"}, "returnee_id": case["returnee_id"],
            "country": case["country"], "partner_id": case["partner_id"]}


def judge_due_cases(deps: Deps) -> int:
    """The scheduler's tick: re-judge only the cases whose next change is due (not the whole world)."""
    today = deps.clock.today()
    judged = 0
    for returnee_id in deps.repo.due_for_judgement(today):
        mutate(deps, returnee_id, lambda case, new_id: cases.evaluate(case, today, deps.now_iso(), deps.rules, new_id))
        judged += 1
    return judged


def rescore_all(deps: Deps, scheme: ScoringScheme) -> int:
    """Recompute every stored check-in with `scheme` (old values kept in each check-in's history)."""
    changed = 0
    for returnee_id in deps.repo.ids_with_checkins():
        counter = {}

        def change(case, new_id):
            histories.restore(case, deps.repo.history(case))  # the whole history, moved out again afterwards
            counter["n"] = cases.rescore(case, scheme, deps.now_iso())
            return []

        mutate(deps, returnee_id, change)
        changed += counter.get("n", 0)
    return changed
