"""The composition root of the monitoring service: the only place that reads config and builds adapters."""
from __future__ import annotations

import json
import os
import time

from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES, ScoringScheme
from services.monitoring.handlers import HANDLERS, Deps, judge_due_cases
from services.monitoring.history_feed import HistoryFeed
from services.monitoring.insights_feed import InsightsFeed
from services.monitoring.insights_repository import InsightsRepository
from services.monitoring.repository import CaseRepository
from services.monitoring.retention import DEFAULT_NOTES_RETENTION_DAYS, blank_old_notes
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
from shared.config import Settings, env_float, env_int, env_list


def rules_from_env(environ=None) -> Rules:
    env = environ if environ is not None else os.environ
    months = tuple(int(m) for m in env_list("MONITORING_MONTHS", env)) or Rules.months
    return Rules(months=tuple(sorted(set(months))),
                 overdue_after_days=env_int("CHECKIN_OVERDUE_AFTER_DAYS", 14, env),
                 missed_after_days=env_int("CHECKIN_MISSED_AFTER_DAYS", 45, env),
                 handover_answer_days=env_int("HANDOVER_ANSWER_DAYS", 5, env),
                 arrival_confirm_days=env_int("ARRIVAL_CONFIRM_DAYS", 3, env),
                 index_drop=env_float("INDEX_DROP_ALERT", 0.25, env),
                 reminder_days_before=env_int("CHECKIN_REMINDER_DAYS", 3, env))


def scheme_from_env(environ=None) -> ScoringScheme:
    """SCORING_SCHEME picks a version; SCORING_SCHEME_FILE (JSON {version, dimensions}) adds one."""
    env = environ if environ is not None else os.environ
    schemes = dict(SCHEMES)
    if env.get("SCORING_SCHEME_FILE"):
        with open(env["SCORING_SCHEME_FILE"], encoding="utf-8") as handle:
            spec = json.load(handle)
        schemes[spec["version"]] = ScoringScheme(spec["version"], spec["dimensions"])
    return schemes[env.get("SCORING_SCHEME", "") or CURRENT]


class MonitoringService:
    def __init__(self, settings: Settings | None = None, clock=None, publisher=None,
                 rules: Rules | None = None, scheme: ScoringScheme | None = None):
        self.settings = settings or Settings.from_env("monitoring")
        logs.configure()
        self.clock = clock or SystemClock()
        store.connect(self.settings, ALIAS)
        self.publisher = publisher or Publisher(self.settings.kafka_bootstrap_servers, "homeward-monitoring")
        # partners' tokens revoked before their expiry are refused (shared.revocations; partner.access_revoked.v1)
        self.revocations = Revocations(Revocation, env_float("REVOCATION_REFRESH_SECONDS", 1.0))
        self.verifier = verifier_for(self.settings, revoked=self.revocations.ended)
        self.idempotency = IdempotencyStore(IdempotencyKey, self.settings.idempotency_ttl_seconds)
        self.audit = AuditLog(AuditEntry, self.settings.audit_retention_days)
        self.relay = OutboxRelay([Case, CountryInsight], self.publisher,
                                 sweep_seconds=self.settings.outbox_sweep_seconds)
        self.repo = CaseRepository(notify=self.relay.notify)
        self.insights = InsightsRepository(self.settings.suppression_k,
                                           env_int("INSIGHT_RELEASE_MIN_RETURNEES", self.settings.suppression_k),
                                           notify=self.relay.notify)
        self.insights_feed = InsightsFeed(lambda cases: self.insights.cases_changed(cases, self.clock.now()),
                                          linger=env_float("INSIGHT_FEED_LINGER_SECONDS", 0.05))
        self.history_feed = HistoryFeed(self.idempotency.keep, self.repo.move_history,
                                        linger=env_float("HISTORY_FEED_LINGER_SECONDS", 0.02))
        self.deps = Deps(self.repo, self.clock, rules or rules_from_env(), scheme or scheme_from_env(),
                         self.insights_feed, self.history_feed, self.idempotency)
        self.deps.revocations = self.revocations
        self.batch_max_items = env_int("CHECKIN_BATCH_MAX_ITEMS", 100)
        self.notes_retention_days = env_int("NOTES_RETENTION_DAYS", DEFAULT_NOTES_RETENTION_DAYS)
        # the due-case query is indexed on MongoDB (every tick) and a scan in memory (once a day and rarely)
        self.rescan_seconds = env_float("SCHEDULER_RESCAN_SECONDS", 0.0 if self.settings.mongodb_uri else 300.0)
        self._judged: tuple = (None, float("-inf"))  # the day of the last full pass, and when it ran
        self.background = Background(self.settings, self.publisher, self.relay, [topics.RETURNEES, topics.HANDOVERS],
                                     dispatcher(HANDLERS, self.deps),
                                     periodic=[("scheduler", self.settings.scheduler_interval_seconds, self.tick),
                                               housekeeping(self.settings, self.idempotency, self.audit),
                                               ("insights-repair", env_float("INSIGHT_REPAIR_SECONDS", 86_400.0),
                                                self.repair_insights),
                                               ("keys-repair", 86_400.0, self.repair_keys),
                                               ("notes-retention", self.settings.housekeeping_interval_seconds,
                                                self.expire_notes)])

    def runtime(self) -> Runtime:
        return service_runtime(self, ALIAS)

    def expire_notes(self) -> int:
        """Blank check-in notes older than NOTES_RETENTION_DAYS (retention)."""
        return blank_old_notes(self.deps, self.notes_retention_days)

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
