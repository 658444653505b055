"""Alerts acted on, the scheduler's judging of due cases, and rescoring with another scheme."""
from __future__ import annotations

from functools import partial

from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from services.monitoring.domain.scoring import ScoringScheme
from shared.auth import Principal
from shared.errors import NotFound

from services.monitoring.handlers.writes import Deps, mutate


def act_on_alert(deps: Deps, who: Principal, alert_id: str, action: str, note: str) -> dict:
    """Acknowledge or resolve an alert; returns it."""
    case = deps.repo.find_by_alert(alert_id)
    if case is None:
        raise NotFound("No such alert.")
    case, _ = mutate(deps, case["_id"], partial(act, deps, who, alert_id, action, note), loaded=case)
    return alert_view(case, next(a for a in case["alerts"] if a["id"] == alert_id))


def alert_view(case: dict, alert: dict) -> dict:
    return {**{k: v for k, v in alert.items() if k != "cause"}, "returnee_id": case["returnee_id"],
            "country": case["country"], "partner_id": case["partner_id"]}


def judge_due_cases(deps: Deps) -> int:
    """The scheduler's tick: re-judge only the cases whose next change is due (not the whole world)."""
    today = deps.clock.today()
    judged = 0
    for returnee_id in deps.repo.due_for_judgement(today):
        mutate(deps, returnee_id, partial(judge, deps, today))
        judged += 1
    return judged


def rescore_all(deps: Deps, scheme: ScoringScheme) -> int:
    """Recompute every stored check-in with `scheme` (old values kept in each check-in's history)."""
    changed = 0
    for returnee_id in deps.repo.ids_with_checkins():
        counter = {}
        mutate(deps, returnee_id, partial(rescore, deps, scheme, counter))
        changed += counter.get("n", 0)
    return changed


# --- the changes to a case ---------------------------------------------------------------------------

def act(deps: Deps, who: Principal, alert_id: str, action: str, note: str, case: dict, new_id) -> list:
    """Acknowledge or resolve one of the case's alerts, with the person's note."""
    event = cases.act_on_alert(case, alert_id, action, deps.now_iso(), who.sub, note)
    return [event] if event else []


def judge(deps: Deps, today, case: dict, new_id) -> list:
    """Judge the case's slots and alerts for `today`."""
    return cases.evaluate(case, today, deps.now_iso(), deps.rules, new_id)


def rescore(deps: Deps, scheme: ScoringScheme, counter: dict, case: dict, new_id) -> list:
    """Every check-in of the case scored again with `scheme` (`counter["n"]`: how many changed)."""
    histories.restore(case, deps.repo.history(case))  # the whole history, moved out again afterwards
    counter["n"] = cases.rescore(case, scheme, deps.now_iso())
    return []
