"""The intake service's own settings, read once from the environment in bootstrap (frozen).

The settings every service shares (store, broker, tokens, production checks) are `shared.config.Settings`.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from services.intake.retention import DEFAULT_RETENTION_DAYS
from services.intake.subjects import CHAIN_PARTNERS
from services.intake.tasks import TASK_ENV, TaskSettings
from shared.config import env_int, env_list


@dataclass(frozen=True)
class IntakeConfig:
    partners_url: str = "http://127.0.0.1:8002"  # where a subject access request asks partners (PARTNERS_URL)
    monitoring_url: str = "http://127.0.0.1:8003"  # and monitoring (MONITORING_URL)
    chain_partners: tuple[str, ...] = CHAIN_PARTNERS  # the return organisations of the chain (CHAIN_PARTNERS)
    retention_days: int = DEFAULT_RETENTION_DAYS
    read_model_repair_seconds: int = 3600  # how often the read models are rebuilt (READ_MODEL_REPAIR_SECONDS)
    document_max_bytes: int = 10 * 1024 * 1024  # the largest document a case file takes (DOCUMENT_MAX_MB)
    targets_file: str = ""  # the programme's targets (REPORT_TARGETS_FILE; empty: services/intake/targets.json)
    tasks: TaskSettings = TaskSettings()  # the worklist's durations (TASK_*_MONTHS, TASK_*_DAYS)

    @classmethod
    def from_env(cls, environ=None) -> "IntakeConfig":
        env = environ if environ is not None else os.environ
        return cls(partners_url=env.get("PARTNERS_URL", "") or cls.partners_url,
                   monitoring_url=env.get("MONITORING_URL", "") or cls.monitoring_url,
                   chain_partners=env_list("CHAIN_PARTNERS", env) or cls.chain_partners,
                   retention_days=env_int("RETENTION_DAYS", cls.retention_days, env),
                   read_model_repair_seconds=env_int("READ_MODEL_REPAIR_SECONDS", cls.read_model_repair_seconds, env),
                   document_max_bytes=env_int("DOCUMENT_MAX_MB", 10, env) * 1024 * 1024,
                   targets_file=env.get("REPORT_TARGETS_FILE", "") or cls.targets_file,
                   tasks=TaskSettings(**{name: env_int(variable, getattr(TaskSettings, name), env)
                                         for name, variable in TASK_ENV.items()}))
