"""The composition root of the monitoring service: the only place that reads config and builds adapters."""
from __future__ import annotations

import json
import os

from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES, ScoringScheme
from services.monitoring.handlers import HANDLERS, Deps, judge_due_cases
from services.monitoring.insights import InsightsRepository, refresh_stale
from services.monitoring.repository import CaseRepository
from shared import topics
from shared.config import Settings, env_float, env_int, env_list
from shared.kafka import dispatcher
from shared.runtime import Infrastructure


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
    def __init__(self, settings: Settings | None = None, clock=None, db=None, publisher=None,
                 rules: Rules | None = None, scheme: ScoringScheme | None = None):
        self.settings = settings or Settings.from_env("monitoring")
        self.infra = Infrastructure(self.settings, clock=clock, db=db, publisher=publisher)
        self.repo = CaseRepository(self.infra.db)
        self.insights = InsightsRepository(self.infra.db, self.repo.cases, self.settings.suppression_k)
        self.deps = Deps(self.repo, self.infra.clock, rules or rules_from_env(), scheme or scheme_from_env(),
                         self.insights)
        self.batch_max_items = env_int("CHECKIN_BATCH_MAX_ITEMS", 100)
        self.infra.wire([self.repo.cases, self.insights.insights], [topics.RETURNEES, topics.HANDOVERS],
                        dispatcher(HANDLERS, self.deps),
                        periodic=[("scheduler", self.settings.scheduler_interval_seconds, self.tick)])

    def tick(self) -> None:
        """One scheduler run: judge due slots and alerts, then refresh stale country insights."""
        judge_due_cases(self.deps)
        refresh_stale(self.insights, self.infra.clock.now())


def bootstrap(**overrides) -> MonitoringService:
    return MonitoringService(**overrides)
