"""One client's path through the programme, from the facts the repository stores (pure functions).

A client enters a trajectory on registration (the trajectory registered with) and on each decision
(`trajectory_history`), and leaves the programme on return or on an exit. Days are inclusive: a client
who decides, departs or exits on a day is in the new state on that day. The return is the departure
the consultant records; while a partner confirmed the arrival but no departure is recorded (yet), it is
the arrival day, so such a client counts as returned once, and once more never when the departure
(not after the arrival) is recorded later.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

DEFAULT_TRAJECTORY = "return_guidance"  # returnees from before trajectories (see domain.DEFAULT_TRAJECTORY)


def day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value


@dataclass(frozen=True)
class Client:
    registered: date
    trajectories: tuple[tuple[str, date], ...]  # (trajectory, from day), in order
    departed: date | None
    arrived: date | None
    exit_reason: str | None
    exited: date | None
    organisation: str | None
    supported: bool = False  # monitoring reported support delivered (checkin.recorded.v1)
    profile: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (dimension, groups) the breakdowns count in

    def left(self, trajectory: str) -> tuple[date, str] | None:
        """The first day the client left a trajectory and how: by a decision to the other trajectory, or as
        `ended_from` says; None while still in it or never in it."""
        for (before, _), (after, start) in zip(self.trajectories, self.trajectories[1:]):
            if before == trajectory and after != trajectory and not (self.ended and self.ended <= start):
                return start, after
        return self.ended_from(trajectory)

    def ended_from(self, trajectory: str) -> tuple[date, str] | None:
        """The day the client left the programme while in `trajectory`, and how: `returned` or the exit reason."""
        if not self.ended:
            return None
        in_force = None
        for step, start in self.trajectories:
            if start <= self.ended:
                in_force = step
        return (self.ended, "returned" if self.returned else self.exit_reason) if in_force == trajectory else None

    @property
    def returned(self) -> date | None:
        """The day the client returned: the recorded departure, else the confirmed arrival."""
        return self.departed or self.arrived

    @property
    def ended(self) -> date | None:
        """The day the client left the programme's trajectories (return or exit)."""
        return self.returned or self.exited

    def trajectory_on(self, on: date) -> str | None:
        """The trajectory the client is in on a day; None before registration and from departure or exit on."""
        if self.registered > on or (self.ended and self.ended <= on):
            return None
        current = None
        for trajectory, start in self.trajectories:
            if start <= on:
                current = trajectory
        return current

    def entered(self, trajectory: str) -> date | None:
        """The first day the client was in a trajectory (None: never)."""
        return next((start for t, start in self.trajectories if t == trajectory), None)

    def decisions_to_return(self) -> list[date]:
        """The days the client moved from future orientation to return guidance."""
        return [start for (before, _), (after, start) in zip(self.trajectories, self.trajectories[1:])
                if before == "future_orientation" and after == "return_guidance"]


def client(facts: dict) -> Client:
    registered = day(facts.get("registered_on")) or day(facts.get("created_at"))
    steps = tuple((s["trajectory"], day(s["started_on"])) for s in facts.get("trajectory_history") or ())
    exit_ = facts.get("exit") or {}
    return Client(registered=registered, trajectories=steps or ((DEFAULT_TRAJECTORY, registered),),
                  departed=day(facts.get("departed_on")), arrived=day(facts.get("arrived_on")),
                  exit_reason=exit_.get("reason"), exited=day(exit_.get("exited_on")),
                  organisation=exit_.get("organisation"),
                  supported=bool((facts.get("outcomes") or {}).get("supported_on")), profile=profile(facts))


def profile(facts: dict) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The groups a client counts in per breakdown: country of return, gender, month of birth (the age band is
    worked out at the report period's end) and each vulnerability (`none` without); `unknown` when not known,
    as after erasure."""
    born = day(facts.get("date_of_birth"))
    return (("country", (facts.get("country_of_return") or "unknown",)),
            ("gender", (facts.get("gender") or "unknown",)),
            ("born", (born.strftime("%Y-%m") if born else "unknown",)),
            ("vulnerability", tuple(sorted(set(facts.get("vulnerabilities") or ()))) or ("none",)))


def within(on: date | None, start: date | None, end: date) -> bool:
    return on is not None and on <= end and (start is None or on >= start)


def listed_organisations(organisations: list[dict], used: set) -> list[tuple[str, str]]:
    """(id, name) of the active organisations and of any other that `used` names, by name."""
    names = {o["id"]: o["name"] for o in organisations}
    shown = {o["id"] for o in organisations if o.get("active", True)} | {u for u in used if u}
    return sorted(((org, names.get(org, org)) for org in shown), key=lambda pair: pair[1].lower())
