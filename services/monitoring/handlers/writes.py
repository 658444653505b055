"""How every monitoring use case writes: read the case once, change a copy, write it and its events in one
compare-and-set update; then the country insights and the history feed follow."""
from __future__ import annotations

import pickle
from typing import Callable

from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import ScoringScheme
from services.monitoring.events import (PLAN_UPDATED, build_event)
from services.monitoring.repository import AbstractCaseRepository
from shared.events import Envelope
from shared.errors import Conflict, DomainError, Invalid, NotFound
from shared.http import iso

MAX_WRITE_ATTEMPTS = 8
REFUSALS = {404: NotFound, 409: Conflict, 422: Invalid}


class Deps:
    revocations = None  # shared.revocations.Revocations: the partners' tokens that ended early (set by bootstrap)
    receipts = None  # repository.money.ReceiptRepository: erasure removes the returnee's receipts (set by bootstrap)

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

