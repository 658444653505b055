"""The perspective plan (perspectiefplan, seed 001): goals per domain with what is needed, who does it, a
deadline and a status; fixed (vastgesteld) on a day; every change a new version with what changed and why.

Goals and reasons are sealed with the returnee's personal key (as the notes are), so erasure, which shreds the
key and deletes the versions, leaves nothing readable. The partner holding the case gets the newest fixed
version, sealed inside the profile (`perspective_plan`), when a version is fixed: intake emits
`returnee.updated.v1` with `changed: ["perspective_plan"]`; a later handover carries it too. See docs/casefile.md.
"""
from __future__ import annotations

from datetime import date

from ulid import ULID

from services.intake import disclosure
from services.intake.events import RETURNEE_UPDATED
from services.intake.handlers.common import Deps, get_returnee, new_event, store_change
from services.intake.schemas.plan import GOAL
from shared import sealing
from shared.errors import Conflict, Invalid
from shared.texts import Text

GOAL_FIELDS = ("domain", "goal", "needed", "who", "deadline", "status")


def _key(deps: Deps, returnee_id: str) -> str:
    return deps.repo.personal_key(returnee_id, sealing.new_key)


def shown(version: dict | None, key: str | None, returnee_id: str, fixed_version: int | None = None) -> dict:
    """A stored version as the API answers it (version 0: no plan yet)."""
    if version is None:
        return {"returnee_id": returnee_id, "version": 0, "goals": [], "fixed_on": None, "fixed_by": None,
                "fixed_version": None, "written_by": None, "written_at": None, "reason": None, "changes": []}
    reason = version.get("reason")
    return {"returnee_id": returnee_id, "version": version["version"],
            "goals": _dated(sealing.unseal(key, version["goals"])["goals"]), "fixed_on": version.get("fixed_on"),
            "fixed_by": version.get("fixed_by"), "fixed_version": fixed_version,
            "written_by": version["written_by"], "written_at": version["written_at"],
            "reason": sealing.unseal(key, reason)["text"] if reason else None, "changes": version.get("changes", [])}


def _dated(goals: list[dict]) -> list[dict]:
    return [{**goal, "deadline": date.fromisoformat(goal["deadline"]) if goal.get("deadline") else None}
            for goal in goals]


def _fixed_version(versions: list[dict]) -> int | None:
    return max((v["version"] for v in versions if v.get("fixed_on")), default=None)


def all_versions(deps: Deps, returnee_id: str) -> list[dict]:
    get_returnee(deps, returnee_id)
    versions = deps.plans.versions(returnee_id)
    if not versions:
        return []
    key, fixed = _key(deps, returnee_id), _fixed_version(versions)
    return [shown(v, key, returnee_id, fixed) for v in versions]


def current_plan(deps: Deps, returnee_id: str) -> dict:
    versions = all_versions(deps, returnee_id)
    return versions[-1] if versions else shown(None, None, returnee_id)


def latest_fixed(deps: Deps, returnee_id: str) -> dict | None:
    """The newest fixed version (opened), or None; for the tasks and the partner's copy."""
    fixed = [v for v in all_versions(deps, returnee_id) if v["fixed_on"]]
    return fixed[-1] if fixed else None


def changes_between(before: list[dict], after: list[dict]) -> list[dict]:
    """What changed from one version's goals to the next: goals added, changed (which fields), removed."""
    earlier = {goal["id"]: goal for goal in before}
    out = []
    for goal in after:
        old = earlier.pop(goal["id"], None)
        if old is None:
            out.append({"goal": goal["id"], "change": "added", "fields": []})
        elif any(old.get(name) != goal.get(name) for name in GOAL_FIELDS):
            out.append({"goal": goal["id"], "change": "changed",
                        "fields": [name for name in GOAL_FIELDS if old.get(name) != goal.get(name)]})
    out.extend({"goal": goal_id, "change": "removed", "fields": []} for goal_id in earlier)
    return out


def _iso_goals(goals: list[dict]) -> list[dict]:
    return [{**goal, "deadline": goal["deadline"].isoformat() if goal.get("deadline") else None} for goal in goals]


def change_plan(deps: Deps, returnee_id: str, data: dict, author: str) -> dict:
    """A new version of the plan; once a version was fixed, the change needs its reason."""
    get_returnee(deps, returnee_id)
    current = current_plan(deps, returnee_id)
    if data.get("version") is not None and data["version"] != current["version"]:
        raise Conflict("The plan changed meanwhile; read it again and retry.")
    if current["fixed_version"] is not None and not (data.get("reason") or "").strip():
        raise Invalid("A fixed plan changes with its reason.", errors={"reason": Text(
            "Say what changed and why: the plan was fixed.")})
    goals = [{"id": goal.get("id") or GOAL + str(ULID()), **{name: goal.get(name) for name in GOAL_FIELDS}}
             for goal in _iso_goals(data["goals"])]
    key = _key(deps, returnee_id)
    reason = (data.get("reason") or "").strip()
    version = {"returnee_id": returnee_id, "version": current["version"] + 1,  # goals sealed with ISO days
               "goals": sealing.seal(key, returnee_id, {"goals": goals}),
               "reason": sealing.seal(key, returnee_id, {"text": reason}) if reason else None,
               "changes": changes_between(_iso_goals(current["goals"]), goals), "written_by": author,
               "written_at": deps.clock.now(), "fixed_on": None}
    if not deps.plans.add(version):
        raise Conflict("The plan changed meanwhile; read it again and retry.")
    _written(deps, returnee_id)
    return current_plan(deps, returnee_id)


def fix_plan(deps: Deps, returnee_id: str, fixed_on, who: str) -> dict:
    """Fix (vaststellen) the current version on `fixed_on`; the partner holding the case gets it sealed."""
    returnee = get_returnee(deps, returnee_id)
    current = current_plan(deps, returnee_id)
    if current["version"] == 0:
        raise Conflict("There is no plan to fix yet.")
    if current["fixed_on"]:
        raise Conflict("This version of the plan is fixed already.")
    if fixed_on > deps.clock.today():
        raise Invalid("Implausible day.", errors={"fixed_on": Text("Must not be in the future.")})
    if fixed_on < returnee["registered_on"]:
        raise Invalid("Implausible day.", errors={"fixed_on": Text(
            "Must not be before the registration ({registered_on}).",
            registered_on=returnee["registered_on"].isoformat())})
    if not deps.plans.fix(returnee_id, current["version"], {"fixed_on": fixed_on, "fixed_by": who,
                                                            "fixed_at": deps.clock.now()}):
        raise Conflict("The plan changed meanwhile; read it again and retry.")
    plan = current_plan(deps, returnee_id)
    copy = {**returnee, "perspective_plan": partner_copy(plan)}
    profile = sealing.seal(_key(deps, returnee_id), returnee_id, disclosure.profile(copy))
    store_change(deps, returnee, {}, [new_event(deps, RETURNEE_UPDATED, returnee_id, changed=["perspective_plan"],
                                                profile=profile)])
    _written(deps, returnee_id)
    return plan


def partner_copy(plan: dict | None) -> dict | None:
    """What the partner receives of a fixed plan (inside the sealed profile)."""
    if not plan:
        return None
    return {"version": plan["version"], "fixed_on": plan["fixed_on"].isoformat(), "goals": _iso_goals(plan["goals"])}


def _written(deps: Deps, returnee_id: str) -> None:
    if deps.after_write is not None:
        deps.after_write(returnee_id)  # the worklist's due dates (services/intake/tasks.py)


def export_plan(deps: Deps, returnee_id: str) -> list[dict]:
    """Every version of the plan, for the subject access export."""
    key = deps.repo.existing_personal_key(returnee_id)
    versions = deps.plans.versions(returnee_id) if key else []
    fixed = _fixed_version(versions)
    return [shown(v, key, returnee_id, fixed) for v in versions]
