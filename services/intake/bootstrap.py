"""The composition root of the intake service: the only place that reads config and builds adapters."""
from __future__ import annotations

from datetime import timedelta


from services.intake.access_repository import AccessRepository
from services.intake.config import IntakeConfig
from services.intake.handlers import HANDLERS, Deps, seed_organisations
from services.intake.documents_repository import DocumentRepository
from services.intake.note_repository import NoteRepository
from services.intake.assessments_repository import AssessmentRepository
from services.intake.plan_repository import PlanRepository
from services.intake.tasks_repository import TaskRepository
from services.intake import tasks
from services.intake.repository import ReturneeRepository
from services.intake import rule_sets
from services.intake.rules_repository import RuleSetRepository
from services.intake.documents import ALIAS, AuditEntry, ConsumerMark, IdempotencyKey, Returnee
from services.intake.import_repository import ImportRepository
from services.intake.retention import anonymise_ended
from services.intake.subjects import HttpSubjectSources
from shared import topics
from shared import logs, store
from shared.audit import AuditLog
from shared.auth import TokenIssuer, load_private_key, verifier_for
from shared.background import Background, housekeeping
from shared.clock import SystemClock
from shared.http import Runtime, service_runtime
from shared.idempotency import IdempotencyStore
from shared.kafka import Publisher, dispatcher
from shared.outbox import OutboxRelay
from shared.config import Settings


class IntakeService:
    def __init__(self, settings: Settings | None = None, clock=None, publisher=None, subject_sources=None,
                 subject_urls: dict | None = None, config: IntakeConfig | None = None):
        self.settings = settings or Settings.from_env("intake")
        self.config = config = config or IntakeConfig.from_env()
        logs.configure()
        self.clock = clock or SystemClock()
        store.connect(self.settings, ALIAS)
        self.publisher = publisher or Publisher(self.settings.kafka_bootstrap_servers, "homeward-intake")
        self.verifier = verifier_for(self.settings)
        self.idempotency = IdempotencyStore(IdempotencyKey, self.settings.idempotency_ttl_seconds)
        self.audit = AuditLog(AuditEntry, self.settings.audit_retention_days)
        self.relay = OutboxRelay([Returnee], self.publisher, sweep_seconds=self.settings.outbox_sweep_seconds)
        self.repo = ReturneeRepository(notify=self.relay.notify)
        self.rule_sets = RuleSetRepository()
        self.notes = NoteRepository()
        self.access = AccessRepository()  # whose a file is, and the glass breaks (services.intake.access)
        self.deps = Deps(self.repo, self.clock, rules=self.eligibility_rules, notes=self.notes,
                         assessments=AssessmentRepository())
        self.deps.documents = self.documents = DocumentRepository()  # the case file's documents (GridFS)
        self.deps.plans, self.deps.tasks, self.deps.task_settings = PlanRepository(), TaskRepository(), config.tasks
        self.deps.after_write = lambda returnee_id: tasks.refresh(self.deps, returnee_id)
        seed_organisations(self.deps)
        self.subject_sources = subject_sources or HttpSubjectSources(
            subject_urls or {"partners": config.partners_url, "monitoring": config.monitoring_url},
            self._issuer())
        self.chain_partners = config.chain_partners
        self.retention_days = config.retention_days
        self.background = Background(self.settings, self.publisher, self.relay,
                                     [topics.HANDOVERS, topics.MONITORING, topics.INSIGHTS],
                                     dispatcher(HANDLERS, self.deps),
                                     periodic=[housekeeping(self.settings, self.idempotency, self.audit),
                                               ("retention", self.settings.housekeeping_interval_seconds,
                                                self.anonymise_ended),
                                               ("import-runs", self.settings.housekeeping_interval_seconds,
                                                self.remove_import_runs),
                                               ("read-models", config.read_model_repair_seconds,
                                                self.repo.repair_read_models),
                                               ("glass-breaks", self.settings.housekeeping_interval_seconds,
                                                self.prune_glass_breaks),
                                               ("tasks-backfill", 86_400.0, lambda: tasks.backfill(self.deps))],
                                     mark=ConsumerMark)  # how current the copies are (shared.freshness)

    def eligibility_rules(self, loaded: list[dict] | None = None) -> dict:
        """The eligibility rule sets by year: the shipped ones and the later years administrators loaded
        (`loaded`: as `RuleSetRepository.loaded` answered them, when the caller read them already)."""
        loaded = self.rule_sets.loaded() if loaded is None else loaded
        return rule_sets.combined(entry["rules"] for entry in loaded)

    def anonymise_ended(self) -> int:
        """Anonymise returnees RETENTION_DAYS after their case ended (retention)."""
        return anonymise_ended(self.deps, self.retention_days)

    def remove_import_runs(self) -> int:
        """Remove the import runs older than their retention (import_repository.RUN_RETENTION_DAYS)."""
        return ImportRepository().remove_expired(self.clock.now())

    def prune_glass_breaks(self) -> int:
        """Forget the glass breaks as the audit log forgets its entries (AUDIT_RETENTION_DAYS)."""
        return self.access.log.prune(self.clock.now() - timedelta(days=self.settings.audit_retention_days))

    def _issuer(self) -> TokenIssuer | None:
        """Signs the `service` tokens the subject export asks partners and monitoring with (None: no key here)."""
        if not self.settings.jwt_signing_key_file:
            return None
        key = load_private_key(self.settings.jwt_signing_key_file, create_dev_key=not self.settings.production)
        return TokenIssuer(key, self.settings.jwt_issuer, 120)

    def runtime(self) -> Runtime:
        return service_runtime(self, ALIAS)


def bootstrap(**overrides) -> IntakeService:
    return IntakeService(**overrides)
