"""The consultant's worklist (issue 20, item 6): what falls due, derived from the case file.

Each source is one function `(returnee, file, settings) -> [(kind, ref, due_on, details)]` (`file`: the newest
fixed version of the plan and the current one, `fixed` and `current`, both None without a fixed plan, and the
documents' metadata, `documents`); the list
`SOURCES` is the whole worklist, and adding a source is adding a function. A task's identity is its returnee,
kind and `ref` (the day or goal it follows from), so the same task is derived again after every write and keeps
its state: done, postponed with a reason (sealed with the returnee's key) to a day, or reassigned to a colleague.
The due dates are a read model (`tasks_repository`, indexed by who and when) that intake updates after each
write of the returnee or its plan (`refresh`); listing reads that model only, never the returnees.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from services.intake import plan_versions
from services.intake.handlers.common import Deps
from services.intake.vocabulary import FUTURE_ORIENTATION, RETURN_GUIDANCE, STATUSES
from shared import access, sealing
from shared.auth import Principal
from shared.errors import NotFound

TASK = "tsk_"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
OPEN_CASE = ("registered", "handover_requested", "handover_declined", "handover_accepted")  # before departure
ENDED = ("exited", "closed")


@dataclass(frozen=True)
class TaskSettings:
    """The worklist's durations (environment variables in brackets; README "Configuration")."""
    evaluation_months: int = 6  # the plan is evaluated at least half a year after it was fixed (TASK_EVALUATION_MONTHS)
    orientation_months: int = 12  # future orientation lasts about a year (TASK_ORIENTATION_MONTHS)
    guidance_months: int = 18  # the agreed term of guidance, 1.5 years (TASK_GUIDANCE_MONTHS)
    how_next_days: int = 14  # the "hoe nu verder" conversation, days before guidance ends (TASK_HOW_NEXT_DAYS)
    horizon_days: int = 30  # what the worklist shows by default: due within this many days (TASK_HORIZON_DAYS)
    document_notice_days: int = 60  # an ID or travel document's renewal, days before it expires (TASK_DOCUMENT_NOTICE_DAYS)



# the environment variable of each duration (read by services/intake/config.py)
TASK_ENV = {"evaluation_months": "TASK_EVALUATION_MONTHS", "orientation_months": "TASK_ORIENTATION_MONTHS",
            "guidance_months": "TASK_GUIDANCE_MONTHS", "how_next_days": "TASK_HOW_NEXT_DAYS",
            "horizon_days": "TASK_HORIZON_DAYS", "document_notice_days": "TASK_DOCUMENT_NOTICE_DAYS"}


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _started(returnee: dict, trajectory: str) -> date | None:
    """The day the returnee's current stretch of `trajectory` began (None when in another one now)."""
    history = returnee.get("trajectory_history") or []
    if not history or history[-1]["trajectory"] != trajectory or returnee.get("status") not in OPEN_CASE:
        return None
    return history[-1]["started_on"]


# --- the sources ----------------------------------------------------------------------------------------

def plan_evaluation(returnee: dict, file: dict, settings: TaskSettings):
    """Evaluate the plan at least half a year after it was (last) fixed."""
    if file["fixed"] and returnee.get("status") not in ENDED:
        fixed_on = file["fixed"]["fixed_on"]
        yield "plan_evaluation", fixed_on.isoformat(), add_months(fixed_on, settings.evaluation_months), {}


def future_orientation_year(returnee: dict, file: dict, settings: TaskSettings):
    """Future orientation near its year: decide with the client what comes next."""
    started = _started(returnee, FUTURE_ORIENTATION)
    if started:
        yield "future_orientation_year", started.isoformat(), add_months(started, settings.orientation_months), {}


def guidance_term(returnee: dict, file: dict, settings: TaskSettings):
    """Return guidance near its agreed term (1.5 years); two weeks before it, the "hoe nu verder" conversation."""
    started = _started(returnee, RETURN_GUIDANCE)
    if started:
        ends = add_months(started, settings.guidance_months)
        yield "guidance_term", started.isoformat(), ends, {}
        yield "how_next", started.isoformat(), ends - timedelta(days=settings.how_next_days), {}


def goal_deadlines(returnee: dict, file: dict, settings: TaskSettings):
    """A goal open or in progress whose deadline comes (or passed), in the current version once the plan was fixed
    (a goal achieved or dropped in a later version is off the list before that version is fixed)."""
    if not file["fixed"] or returnee.get("status") in ENDED:
        return
    for goal in file["current"]["goals"]:
        if goal.get("deadline") and goal.get("status") in ("open", "in_progress"):
            yield "goal_deadline", f"{goal['id']}:{goal['deadline'].isoformat()}", goal["deadline"], {
                "goal_id": goal["id"], "domain": goal["domain"]}


def document_expiry(returnee: dict, file: dict, settings: TaskSettings):
    """An ID or travel document that expires: renew it, TASK_DOCUMENT_NOTICE_DAYS before its `expires_on`."""
    if returnee.get("status") in ENDED:
        return
    for document in file["documents"]:
        if document.get("expires_on"):
            yield "document_expiry", f"{document['id']}:{document['expires_on'].isoformat()}", \
                document["expires_on"] - timedelta(days=settings.document_notice_days), {"document_id": document["id"]}


SOURCES = (plan_evaluation, future_orientation_year, guidance_term, goal_deadlines, document_expiry)


def task_id(returnee_id: str, kind: str, ref: str) -> str:
    """A task's stable id: `tsk_` and 26 Crockford base32 characters of a hash of what it is about."""
    number = int.from_bytes(hashlib.sha256(f"{returnee_id}|{kind}|{ref}".encode()).digest()[:17], "big") >> 6
    return TASK + "".join(_CROCKFORD[(number >> (5 * i)) & 31] for i in reversed(range(26)))


def derived(returnee: dict, file: dict, settings: TaskSettings) -> list[dict]:
    """The tasks the file asks for now."""
    return [{"id": task_id(returnee["id"], kind, ref), "returnee_id": returnee["id"], "kind": kind, "ref": ref,
             "derived_due_on": due_on, "goal_id": details.get("goal_id"), "domain": details.get("domain"),
             "document_id": details.get("document_id")}
            for source in SOURCES for kind, ref, due_on, details in source(returnee, file, settings)]


def refresh(deps: Deps, returnee_id: str) -> None:
    """Bring the returnee's rows of the read model in line with the file, after a write."""
    returnee = deps.repo.get(returnee_id)
    if returnee is None:
        deps.tasks.delete_all_of(returnee_id)
        return
    versions = plan_versions.all_versions(deps, returnee_id) if deps.plans.versions(returnee_id) else []
    fixed = [version for version in versions if version["fixed_on"]]
    documents = deps.documents.all_of(returnee_id) if getattr(deps, "documents", None) is not None else []
    file = {"fixed": fixed[-1] if fixed else None, "current": versions[-1] if fixed else None, "documents": documents}
    deps.tasks.sync(returnee_id, returnee.get("consultant"), derived(returnee, file, deps.task_settings),
                    office=returnee.get("office"))


def backfill(deps: Deps, chunk: int = 500) -> int:
    """Derive the worklist of the returnees whose file has no row in it yet: those written before tasks existed
    (or whose rows a crash lost between their write and its refresh); on start, then daily. How many."""
    open_ids = deps.repo.ids_with_status(status for status in STATUSES if status not in ENDED)
    derived_now = 0
    for start in range(0, len(open_ids), chunk):
        ids = open_ids[start:start + chunk]
        for returnee_id in sorted(set(ids) - deps.tasks.returnees_with_rows(ids)):
            refresh(deps, returnee_id)
            derived_now += 1
    return derived_now


def shown(row: dict, key: str | None) -> dict:
    reason = row.get("postpone_reason")
    state = "done" if row.get("done_at") else "postponed" if row.get("postponed_to") else "open"
    return {"id": row["id"], "returnee_id": row["returnee_id"], "kind": row["kind"], "state": state,
            "due_on": row["due"], "derived_due_on": row["derived_due_on"], "consultant": row.get("consultant"),
            "assigned_to": row.get("assigned_to"), "owner": row.get("owner"), "postponed_to": row.get("postponed_to"),
            "postpone_reason": sealing.unseal(key, reason)["text"] if reason and key else None,
            "postponed_by": row.get("postponed_by"), "done_at": row.get("done_at"), "done_by": row.get("done_by"),
            "goal_id": row.get("goal_id"), "domain": row.get("domain"), "document_id": row.get("document_id")}


def _shown_all(deps: Deps, rows: list[dict]) -> list[dict]:
    keys = {rid: deps.repo.existing_personal_key(rid) for rid in {row["returnee_id"] for row in rows
                                                                  if row.get("postpone_reason")}}
    return [shown(row, keys.get(row["returnee_id"])) for row in rows]


def list_tasks(deps: Deps, consultant: str | None, due_before: date | None, limit: int,
               visible: dict | None = None) -> list[dict]:
    """Open tasks due on or before `due_before` (default: within the horizon), soonest first; `visible` is
    need-to-know's filter over the rows' `office` and `consultant` (services.intake.access.visible_to)."""
    until = due_before or deps.clock.today() + timedelta(days=deps.task_settings.horizon_days)
    return _shown_all(deps, deps.tasks.due(consultant, until, limit, visible))


def _row(deps: Deps, task_id_: str) -> dict:
    row = deps.tasks.get(task_id_)
    if row is None or not row.get("active", True):
        raise NotFound("No such task.")
    return row


def readable(deps: Deps, task_id_: str, who: Principal) -> None:
    """A task `who` may act on: given to them, or of a client they read (need-to-know); else it does not exist."""
    row = _row(deps, task_id_)
    if row.get("owner") != who.sub and not access.may_read(who, row.get("office"), row.get("consultant")):
        raise NotFound("No such task.")


def mark_done(deps: Deps, task_id_: str, who: str) -> dict:
    _row(deps, task_id_)
    return _shown_all(deps, [deps.tasks.set_state(task_id_, {"done_at": deps.clock.now(), "done_by": who})])[0]


def postpone(deps: Deps, task_id_: str, until: date, reason: str, who: str) -> dict:
    row = _row(deps, task_id_)
    key = deps.repo.personal_key(row["returnee_id"], sealing.new_key)
    sealed = sealing.seal(key, row["returnee_id"], {"text": reason})
    return _shown_all(deps, [deps.tasks.set_state(task_id_, {"postponed_to": until, "postpone_reason": sealed,
                                                              "postponed_by": who, "done_at": None})])[0]


def reassign(deps: Deps, task_id_: str, to: str) -> dict:
    _row(deps, task_id_)
    return _shown_all(deps, [deps.tasks.set_state(task_id_, {"assigned_to": to})])[0]


def export_tasks(deps: Deps, returnee_id: str) -> list[dict]:
    return _shown_all(deps, deps.tasks.all_of(returnee_id))
