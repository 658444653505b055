"""The composition root of the monitoring service: the only place that reads config and builds adapters."""
from __future__ import annotations

import time
from datetime import timedelta

from services.monitoring.config import MonitoringConfig
from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import ScoringScheme
from services.monitoring.handlers import HANDLERS, Deps, judge_due_cases
from services.monitoring.history_feed import HistoryFeed
from services.monitoring.insights_feed import InsightsFeed
from services.monitoring.insights_repository import InsightsRepository
from services.monitoring.repository import CaseRepository
from services.monitoring.repository.access import AccessRepository
from services.monitoring.repository.money import RateRepository, ReceiptRepository
from services.monitoring.retention import blank_old_notes
from services.monitoring.documents import ALIAS, AuditEntry, Case, CountryInsight, IdempotencyKey, Revocation
from shared import topics
from shared import logs, store
from shared.audit import AuditLog
from shared.auth import verifier_for
from shared.background import Background, housekeeping
from shared.clock import SystemClock
from shared.http import Runtime, service_runtime
from shared.idempotency import IdempotencyStore
from shared.kafka import Publisher, dispatcher
from shared.outbox import OutboxRelay
from shared.revocations import Revocations
from shared.config import Settings


class MonitoringService:
    def __init__(self, settings: Settings | None = None, clock=None, publisher=None,
                 rules: Rules | None = None, scheme: ScoringScheme | None = None, config: MonitoringConfig | None = None):
        self.settings = settings or Settings.from_env("monitoring")
        self.config = config = config or MonitoringConfig.from_env(self.settings)
        logs.configure()
        self.clock = clock or SystemClock()
        store.connect(self.settings, ALIAS)
        self.publisher = publisher or Publisher(self.settings.kafka_bootstrap_servers, "homeward-monitoring")
        # partners' tokens revoked before their expiry are refused (shared.revocations; partner.access_revoked.v1)
        self.revocations = Revocations(Revocation, config.revocation_refresh_seconds)
        self.verifier = verifier_for(self.settings, revoked=self.revocations.ended)
        self.idempotency = IdempotencyStore(IdempotencyKey, self.settings.idempotency_ttl_seconds)
        self.audit = AuditLog(AuditEntry, self.settings.audit_retention_days)
        self.relay = OutboxRelay([Case, CountryInsight], self.publisher,
                                 sweep_seconds=self.settings.outbox_sweep_seconds)
        self.repo = CaseRepository(notify=self.relay.notify)
        self.rates, self.receipts = RateRepository(), ReceiptRepository()
        self.access = AccessRepository()  # whose a case is, and the glass breaks (shared.glass_breaks)
        self.insights = InsightsRepository(self.settings.suppression_k,
                                           config.insight_release_min_returnees,
                                           notify=self.relay.notify)
        self.insights_feed = InsightsFeed(lambda cases: self.insights.cases_changed(cases, self.clock.now()),
                                          linger=config.insight_feed_linger_seconds)
        self.history_feed = HistoryFeed(self.idempotency.keep, self.repo.move_history,
                                        linger=config.history_feed_linger_seconds)
        self.deps = Deps(self.repo, self.clock, rules or config.rules, scheme or config.scheme,
                         self.insights_feed, self.history_feed, self.idempotency)
        self.deps.revocations = self.revocations
        self.deps.receipts = self.receipts  # erasure removes a returnee's receipts
        self.batch_max_items = config.batch_max_items
        self.notes_retention_days = config.notes_retention_days
        self.rescan_seconds = config.rescan_seconds
        self._judged: tuple = (None, float("-inf"))  # the day of the last full pass, and when it ran
        self.background = Background(self.settings, self.publisher, self.relay, [topics.RETURNEES, topics.HANDOVERS],
                                     dispatcher(HANDLERS, self.deps),
                                     periodic=[("scheduler", self.settings.scheduler_interval_seconds, self.tick),
                                               housekeeping(self.settings, self.idempotency, self.audit),
                                               ("insights-repair", config.insight_repair_seconds,
                                                self.repair_insights),
                                               ("keys-repair", 86_400.0, self.repair_keys),
                                               ("notes-retention", self.settings.housekeeping_interval_seconds,
                                                self.expire_notes),
                                               ("glass-breaks", self.settings.housekeeping_interval_seconds,
                                                self.prune_glass_breaks)])

    def runtime(self) -> Runtime:
        return service_runtime(self, ALIAS)

    def expire_notes(self) -> int:
        """Blank check-in notes older than NOTES_RETENTION_DAYS (retention)."""
        return blank_old_notes(self.deps, self.notes_retention_days)

    def prune_glass_breaks(self) -> int:
        """Forget the glass breaks as the audit log forgets its entries (AUDIT_RETENTION_DAYS)."""
        return self.access.log.prune(self.clock.now() - timedelta(days=self.settings.audit_retention_days))

    def tick(self) -> int:
        """One scheduler run: judge the cases whose slots or alerts are due; returns how many.

        Every write judges its case for the day it runs on, leaving `next_check_on` after that day, so
        once a day has had a full pass only a new day can make a case due. The pass repeats anyway
        after SCHEDULER_RESCAN_SECONDS, for a write that judged its case just before midnight."""
        today, started = self.clock.today(), time.monotonic()
        day, at = self._judged
        if today == day and started - at < self.rescan_seconds:
            return 0
        judged = judge_due_cases(self.deps)
        self._judged = (today, started)
        return judged

    def repair_keys(self) -> int:
        """Copy the Idempotency-Keys every case holds to the key store (on start, then daily): what the
        history feed held when a process stopped is not lost."""
        return self.idempotency.keep(self.repo.recent_keys())

    def repair_insights(self) -> int:
        """Rebuild the country insights' totals from all cases (on start, then rarely)."""
        return self.insights.repair(self.repo.with_checkins(), self.clock.now())


def bootstrap(**overrides) -> MonitoringService:
    return MonitoringService(**overrides)
