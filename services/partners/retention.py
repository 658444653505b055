"""Retention of the partner's copy: personal data (names, contact, exact region, household, languages, the
plan) is deleted `PARTNER_RETENTION_DAYS` after monitoring ended, or after an offer was declined, expired or
withdrawn. The handover itself (ids, country, dates, status) stays for the scorecard and the audit.

A periodic job of the partners worker (see bootstrap)."""
from __future__ import annotations

from datetime import timedelta

DEFAULT_PARTNER_RETENTION_DAYS = 90


def delete_expired_copies(deps, days: int) -> int:
    """Delete the personal data of copies past their retention; returns how many copies."""
    now = deps.clock.now()
    return deps.repo.delete_expired_copies(now - timedelta(days=days), now)
