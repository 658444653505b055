"""Retention at intake: a returnee whose case ended (monitoring completed, or closed) is anonymised
`RETENTION_DAYS` after it ended, exactly as an erasure: personal data and free text removed here, a
tombstone kept so the quarterly report's counts stay right, `returnee.erased.v1` sent so partners and
monitoring anonymise their copies, and the sealing key destroyed.

A periodic job of the intake worker (see bootstrap)."""
from __future__ import annotations

from datetime import timedelta

from services.intake.handlers import Deps, erase_returnee
from shared.errors import NotFound

DEFAULT_RETENTION_DAYS = 365
ENDED = ("monitoring_completed", "closed")


def anonymise_ended(deps: Deps, days: int) -> int:
    """Anonymise the returnees whose case ended more than `days` ago; returns how many."""
    anonymised = 0
    for returnee_id in deps.repo.closed_before(ENDED, deps.clock.now() - timedelta(days=days)):
        try:
            erase_returnee(deps, returnee_id)
            anonymised += 1
        except NotFound:
            pass  # erased meanwhile
    return anonymised
