"""Recording a check-in: who may see the case, the check-in's change to it, its Idempotency-Key and answer
in the same write, and the answer for a case monitoring does not know yet."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from datetime import datetime, timedelta, timezone
from typing import Callable

from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from shared.auth import Principal
from shared.errors import DomainError, NotFound, NotYet
from shared.idempotency import KeyReused
from shared.dates import aware

from services.monitoring.handlers.writes import MAX_WRITE_ATTEMPTS, Deps, _changed, _followed, mutate

CASE_NOT_KNOWN_YET = "case-not-known-yet"  # the problem type of a check-in that came before its case
RETRY_NOT_YET = 30  # seconds: events reach monitoring within seconds, unless its consumer is catching up


def _visible(who: Principal, case: dict) -> dict:
    if who.is_partner and (case.get("partner_id") != who.org or case["state"] == "awaiting_arrival"):
        raise NotFound("No such case.")
    return case


def _recordable(who: Principal, case: dict) -> dict:
    """A check-in's case: a partner's own (as `_visible`); a consultant's need-to-know is the API's
    (shared.glass_breaks: their caseload, or the glass broken with a reason; docs/monitoring.md)."""
    return _visible(who, case)


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
    stored = {}
    change = partial(add_checkin, deps, who, storable(data), stored)
    if claim is not None:
        return _record_claimed(deps, data["returnee_id"], change, claim, stored)
    try:
        mutate(deps, data["returnee_id"], change)
    except NotFound:
        raise _not_yet() from None
    return stored


def add_checkin(deps: Deps, who: Principal, payload: dict, stored: dict, case: dict, new_id) -> list:
    """The check-in's change to the case (`stored`: the check-in as recorded): the caller may see the case,
    the history comes back when the rules read older check-ins, then the domain records and judges it."""
    _recordable(who, case)
    if histories.needs_history(case, payload):
        histories.restore(case, deps.repo.history(case))
    checkin, events = cases.record_checkin(
        case, payload, deps.clock.today(), deps.now_iso(), deps.rules, deps.scheme, new_id,
        {"role": who.role, "org": who.org, "sub": who.sub})
    histories.number(case, checkin)
    stored.update(checkin)
    return events


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
        case, events, answer = _changed_or_kept_refusal(deps, returnee_id, before, change, claim, stored)
        entry = _key_entry(claim, answer)
        if deps.repo.update(before, case, events, key=entry):
            _followed(deps, before, case)
            if deps.history is not None:  # copied to the key store, where it is found by key alone
                deps.history.key_recorded({**entry, "body": answer.body})
            return answer
        stored.clear()
    raise RuntimeError(f"case {returnee_id} kept changing; giving up for now")


def _changed_or_kept_refusal(deps: Deps, returnee_id: str, before: dict, change, claim: Claim,
                             stored: dict) -> tuple[dict, list, Answer]:
    """The case with the check-in and its 201 answer; or, for a refusal the key keeps, the case unchanged
    and the refusal's problem document as the answer."""
    try:
        case, events = _changed(deps, returnee_id, before, change, None)
        return case, events, Answer(201, claim.answer(stored))
    except NotFound:
        raise _not_yet() from None
    except DomainError as refusal:
        document = claim.final(refusal)
        if document is None:
            raise
        return dict(before), [], Answer(document["status"], document)


def _key_entry(claim: Claim, answer: Answer) -> dict:
    """The key and its answer as the case records them (a stored KeyEntry)."""
    now = datetime.now(timezone.utc)  # wall clock: a key is kept for its real age
    return {"id": claim.key, "fingerprint": claim.fingerprint, "status": answer.status,
            "answer": json.dumps(answer.body, sort_keys=True),
            "at": now.replace(microsecond=now.microsecond // 1000 * 1000)}  # what BSON keeps


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

