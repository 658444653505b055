"""What every intake use case shares: its dependencies, building an event, reading and storing a returnee."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from services.intake import domain, offices
from services.intake.eligibility_rules import RULES
from services.intake.events import build_event
from services.intake.repository import AbstractReturneeRepository
from shared import sealing
from shared.errors import Conflict, NotFound
from shared.events import Envelope
from shared.dates import iso_day


class Deps:
    # the perspective plan's versions (services.intake.plan_repository), the worklist's rows (tasks_repository),
    # its durations (tasks.TaskSettings), and what keeps the worklist current after a write (tasks.refresh)
    plans = None
    tasks = None
    task_settings = None
    after_write: Callable[[str], None] | None = None

    def __init__(self, repo: AbstractReturneeRepository, clock, rules: Callable[[], dict] = lambda: RULES, notes=None,
                 assessments=None):
        self.repo = repo
        self.clock = clock
        self.rules = rules  # the eligibility rule sets by year: the shipped ones and those administrators loaded
        self.notes = notes  # the case file's notes (services.intake.notes.AbstractNoteRepository)
        self.assessments = assessments  # the judgements before return (services.intake.assessments)


def new_event(deps: Deps, type_: str, returnee_id: str, **data) -> Envelope:
    return build_event(type_, returnee_id, {"returnee_id": returnee_id, **data}, deps.clock.now())


def get_returnee(deps: Deps, returnee_id: str) -> dict:
    """The returnee, or NotFound (unknown or erased)."""
    returnee = deps.repo.get(returnee_id)
    if returnee is None:
        raise NotFound("No such returnee.")
    return returnee


def store_change(deps: Deps, returnee: dict, changes: dict, events=(), status: str | None = None) -> dict:
    """Store `changes` (and a move to `status`) with `events`, if nobody changed the returnee since it was read."""
    now = deps.clock.now()
    step = None
    if status is not None and status != returnee["status"]:
        changes, step = {**changes, "status": status}, {"status": status, "at": now}
    changed = deps.repo.change(returnee, {**changes, "updated_at": now}, [e for e in events if e], step)
    if changed is None:
        raise Conflict("The returnee changed meanwhile; read it again and retry.")
    if deps.after_write is not None:
        deps.after_write(changed["id"])  # the worklist's due dates follow the trajectory, the consultant, the exit
    return changed


def check_command(returnee: dict, command: str) -> None:
    try:
        domain.check_command(returnee["status"], command)
    except domain.StateConflict as exc:
        raise Conflict(exc.args[0])


def office_part(office: str | None) -> dict:
    """What events say of the office: its id and its region (None when not recorded)."""
    return {"office": office, "office_region": offices.region_of(office)}


def sealed_personal(deps: Deps, returnee: dict) -> dict:
    """The returnee's `personal` sub-object, sealed with the returnee's own key."""
    personal = {k: (iso_day(v) if isinstance(v, (date, datetime)) else v)
                for k, v in domain.personal_part(returnee).items()}
    key = deps.repo.personal_key(returnee["id"], sealing.new_key)
    return sealing.seal(key, returnee["id"], personal)
