"""Opening a returnee's sealed data with the key intake keeps (crypto-shredding).

Intake seals `personal` (names, contact) and `profile` (exact region, languages, household, the
reintegration plan) in `returnee.handover_requested.v1` and `returnee.updated.v1` with a per-returnee
key and destroys the key on erasure or when consent to share is withdrawn. Partners asks intake for the key with a short
service token. When intake cannot be reached, the handover is stored with its data still sealed and
the worker tries again later; when the key is gone, the sealed data is dropped.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from shared import sealing
from shared.service_calls import ServiceUnreachable, get_as_service


class KeyUnavailable(Exception):
    """Intake could not be asked now; try again later."""


class AbstractKeySource(ABC):
    @abstractmethod
    def key_for(self, returnee_id: str) -> str | None:
        """The returnee's sealing key, None when it no longer exists; KeyUnavailable when unknown now."""


class IntakeKeySource(AbstractKeySource):
    def __init__(self, intake_url: str, issuer, timeout: float = 5.0):
        self.intake_url = intake_url.rstrip("/")
        self.issuer = issuer
        self.timeout = timeout

    def key_for(self, returnee_id: str) -> str | None:
        try:
            response = get_as_service(self.issuer, "partners", f"{self.intake_url}/v1/personal-keys/{returnee_id}",
                                      self.timeout)
        except ServiceUnreachable as exc:
            raise KeyUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise KeyUnavailable(f"intake answered {response.status_code}")
        return response.json()["key"]


def open_personal(source: AbstractKeySource, returnee_id: str, personal) -> tuple[dict | None, dict | None]:
    """(readable personal data, still-sealed data): at most one of them is set."""
    if not sealing.is_sealed(personal):
        return personal, None  # never sealed (or sealed by nobody we know): kept as it came
    try:
        key = source.key_for(returnee_id)
    except KeyUnavailable:
        return None, personal
    if key is None:
        return None, None  # erased or consent withdrawn: the data must not be opened
    try:
        return sealing.unseal(key, personal), None
    except sealing.Unreadable:
        return None, None


PROFILE_FIELDS = ("region", "languages", "household", "reintegration_plan", "perspective_plan")  # the fixed plan
_ABSENT = object()


def open_copy(source: AbstractKeySource, returnee_id: str, personal=_ABSENT, profile=_ABSENT) -> dict:
    """The changes to a partner's copy from the sealed parts an event brought (one key request for both).

    Opened: `personal` and the profile's fields, and no sealed leftovers. Intake unreachable: the parts
    are kept in `personal_sealed` / `profile_sealed` for a retry. Key gone: nothing is opened or kept.
    A part that was never sealed is taken as it came (older events)."""
    parts = {name: value for name, value in (("personal", personal), ("profile", profile)) if value is not _ABSENT}
    key, unavailable = None, False
    if any(sealing.is_sealed(value) for value in parts.values()):
        try:
            key = source.key_for(returnee_id)
        except KeyUnavailable:
            unavailable = True
    changes: dict = {}
    for name, value in parts.items():
        opened = value
        if sealing.is_sealed(value):
            changes[f"{name}_sealed"] = value if unavailable else None
            try:
                opened = sealing.unseal(key, value) if key else None
            except sealing.Unreadable:
                opened = None
        if name == "personal":
            changes["personal"] = opened
        elif opened:
            changes.update({field: opened.get(field) for field in PROFILE_FIELDS if field in opened})
    return changes
