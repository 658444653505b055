"""The monitoring service's own settings, read once from the environment in bootstrap (frozen): the
schedule's rules, the scoring scheme, and the tuning of its feeds and background work.

The settings every service shares (store, broker, tokens, production checks) are `shared.config.Settings`.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from services.monitoring.domain.schedule import Rules
from services.monitoring.domain.scoring import CURRENT, SCHEMES, ScoringScheme
from services.monitoring.retention import DEFAULT_NOTES_RETENTION_DAYS
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


@dataclass(frozen=True)
class MonitoringConfig:
    rules: Rules = field(default_factory=Rules)
    scheme: ScoringScheme = field(default_factory=lambda: SCHEMES[CURRENT])
    insight_release_min_returnees: int = 5  # a country's insight is published from this many returnees on
    insight_feed_linger_seconds: float = 0.05
    history_feed_linger_seconds: float = 0.02
    insight_repair_seconds: float = 86_400.0
    revocation_refresh_seconds: float = 1.0
    batch_max_items: int = 100
    notes_retention_days: int = DEFAULT_NOTES_RETENTION_DAYS
    # the due-case query is indexed on MongoDB (every tick) and a scan in memory (once a day and rarely)
    rescan_seconds: float = 300.0

    @classmethod
    def from_env(cls, settings: Settings, environ=None) -> "MonitoringConfig":
        env = environ if environ is not None else os.environ
        return cls(rules=rules_from_env(env), scheme=scheme_from_env(env),
                   insight_release_min_returnees=env_int("INSIGHT_RELEASE_MIN_RETURNEES", settings.suppression_k, env),
                   insight_feed_linger_seconds=env_float("INSIGHT_FEED_LINGER_SECONDS", cls.insight_feed_linger_seconds,
                                                         env),
                   history_feed_linger_seconds=env_float("HISTORY_FEED_LINGER_SECONDS", cls.history_feed_linger_seconds,
                                                         env),
                   insight_repair_seconds=env_float("INSIGHT_REPAIR_SECONDS", cls.insight_repair_seconds, env),
                   revocation_refresh_seconds=env_float("REVOCATION_REFRESH_SECONDS", cls.revocation_refresh_seconds,
                                                        env),
                   batch_max_items=env_int("CHECKIN_BATCH_MAX_ITEMS", cls.batch_max_items, env),
                   notes_retention_days=env_int("NOTES_RETENTION_DAYS", cls.notes_retention_days, env),
                   rescan_seconds=env_float("SCHEDULER_RESCAN_SECONDS", 0.0 if settings.mongodb_uri else 300.0, env))
