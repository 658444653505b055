"""The composition root of the intake service: the only place that reads config and builds adapters."""
from __future__ import annotations

from services.intake.handlers import HANDLERS, Deps
from services.intake.repository import ReturneeRepository
from shared import topics
from shared.config import Settings
from shared.kafka import dispatcher
from shared.runtime import Infrastructure


class IntakeService:
    def __init__(self, settings: Settings | None = None, clock=None, db=None, publisher=None):
        self.settings = settings or Settings.from_env("intake")
        self.infra = Infrastructure(self.settings, clock=clock, db=db, publisher=publisher)
        self.repo = ReturneeRepository(self.infra.db)
        self.deps = Deps(self.repo, self.infra.clock)
        self.infra.wire([self.repo.returnees], [topics.HANDOVERS, topics.MONITORING, topics.INSIGHTS],
                        dispatcher(HANDLERS, self.deps))


def bootstrap(**overrides) -> IntakeService:
    return IntakeService(**overrides)
