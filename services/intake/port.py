"""The port of intake's persistence: what its use cases need from storage, in domain words (repository.py is
the mongoengine implementation)."""
from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Callable, Iterable

from shared.events import Envelope


class AbstractReturneeRepository(ABC):
    """The port: what intake's use cases need from storage, in domain words."""

    @abstractmethod
    def add(self, returnee: dict, events: Iterable[Envelope]) -> dict:
        """Store a new returnee with its first events; returns it as stored."""

    @abstractmethod
    def get(self, returnee_id: str) -> dict | None:
        """The returnee, or None when unknown or erased."""

    @abstractmethod
    def page(self, filters: dict, cursor: str | None, limit: int) -> dict:
        """`{items, next_cursor}` of returnees not erased, oldest first; filters: `status`, `country`, `office`,
        `consultant`, `trajectory`, `q` (words starting a name or the client reference, or a returnee id),
        `attention_on` (a day: only the returnees who need attention then)."""

    def events_as_of(self) -> datetime | None:
        """When the copies of partners' and monitoring's state were last known current (None: not known)."""
        return None

    @abstractmethod
    def counts(self, filters: dict) -> dict:
        """`{total, by_status, by_country}` of the returnees `page` would list with `filters`."""

    @abstractmethod
    def change(self, returnee: dict, changes: dict, events: Iterable[Envelope] = (),
               step: dict | None = None) -> dict | None:
        """Apply `changes` (and append the history `step`) with `events`, if the returnee is still at the
        status and version it was read at; returns it changed, or None when it changed meanwhile."""

    @abstractmethod
    def erase(self, returnee_id: str, fields: Iterable[str], events: Iterable[Envelope], at: datetime) -> bool:
        """Remove `fields` and consent, keep a tombstone, destroy the personal key; False if already erased."""

    @abstractmethod
    def closed_before(self, statuses: Iterable[str], at: datetime) -> list[str]:
        """Ids of returnees not erased that reached one of `statuses` before `at` (retention's work)."""

    @abstractmethod
    def report_facts(self, offices: Iterable[str] | None = None) -> list[dict]:
        """Every returnee (erased ones too) of `offices` (None: all), with only what the reports count (a scan:
        the repair's and the tests' reference; the reports read `report_days`)."""

    @abstractmethod
    def report_days(self, office: str | None = None, region: str | None = None, breakdowns: bool = False):
        """The per-day table of entries and exits of one office, one region or (neither) all, kept by each write;
        with `breakdowns`, each group's counters too (a report with a breakdown)."""

    @abstractmethod
    def repair_read_models(self) -> int:
        """Rebuild the counts and the day table from the returnees; returns how many were corrected."""

    @abstractmethod
    def apply_handover_event(self, event_id: str, returnee_id: str, handover_id: str, from_statuses: Iterable[str],
                             changes: dict, step: dict) -> bool:
        """A partner's answer to the current offer, once; False when redelivered, stale or not applicable."""

    @abstractmethod
    def apply_monitoring_event(self, event_id: str, returnee_id: str, changes: dict,
                               completion: dict | None = None) -> bool:
        """Monitoring's news, once; with `completion` (a history step), an arrived returnee moves to its status."""

    @abstractmethod
    def organisations(self, include_inactive: bool = False) -> list[dict]:
        """The return organisations clients can be referred to, by name."""

    @abstractmethod
    def organisation(self, organisation_id: str) -> dict | None:
        """One return organisation, active or not."""

    @abstractmethod
    def add_organisation(self, organisation: dict) -> bool:
        """Add a return organisation; False when its id is taken."""

    @abstractmethod
    def set_organisation_active(self, organisation_id: str, active: bool) -> dict | None:
        """(De)activate a return organisation; None when unknown."""

    @abstractmethod
    def keep_insight(self, country: str, version: int, insight: dict, at: datetime) -> bool:
        """Keep a country's insight unless a newer version is kept already."""

    @abstractmethod
    def insight(self, country: str) -> dict | None:
        """The newest insight kept for a country."""

    def insights(self, countries: list[str]) -> dict[str, dict]:
        """The newest insight kept for each of `countries` that has one (one read where the store allows)."""
        found = {code: self.insight(code) for code in countries}
        return {code: insight for code, insight in found.items() if insight}

    @abstractmethod
    def personal_key(self, returnee_id: str, make_key: Callable[[], str]) -> str:
        """The returnee's sealing key, created on first use."""

    @abstractmethod
    def existing_personal_key(self, returnee_id: str) -> str | None:
        """The returnee's sealing key if there is one (never creates it)."""

    @abstractmethod
    def destroy_personal_key(self, returnee_id: str) -> None:
        """Crypto-shredding: every copy sealed with this key becomes unreadable."""
