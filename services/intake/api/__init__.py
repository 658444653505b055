"""The intake HTTP API for consultants and project leads: returnees, consent, handover, eligibility.

Run: `gunicorn 'services.intake.api:create_app()'`

One module per resource, each with its blueprint: `returnees`, `organisations` (with offices),
`eligibility` (with the yearly rule sets), `countries` (with the personal-data keys), `reports`, `privacy`, `imports`
(the caseload import), `notes` (the case file's notes), `documents_api` (the case file's documents);
`assessments` (the judgement before return), `plan` (the perspective plan), `tasks` (the worklist); `access` (the
glass breaks; the need-to-know rule is `services.intake.access`, applied to every route about one client by its
hook); `common` holds what several of them use.
"""
from __future__ import annotations

from services.intake.access import guard_client_files
from services.intake.api.assessments import assessments_blp
from services.intake.api.countries import countries_blp, keys_blp
from services.intake.api.imports import imports_blp
from services.intake.api.documents_api import documents_blp
from services.intake.api.eligibility import eligibility_blp
from services.intake.api.notes import notes_blp
from services.intake.api.plan import plan_blp
from services.intake.api.sharing_api import sharing_blp
from services.intake.api.tasks import tasks_blp
from services.intake.api.organisations import offices_blp, organisations_blp
from services.intake.api.privacy import privacy_blp
from services.intake.api.reports import reports_blp
from services.intake.api.returnees import returnees_blp
from services.intake.bootstrap import IntakeService, bootstrap
from services.intake.vocabulary import VOCABULARY
from shared.http import service_app
from shared.http.glass_breaks_api import glass_breaks_blueprint
from shared.http.vocabularies import vocabularies_blueprint
from services.intake.documents_files import DOCUMENT
from services.intake.notes import NOTE
from services.intake.tasks import TASK
from shared.ids import RETURNEE, SLUG

__all__ = ["create_app"]


def create_app(settings=None, service: IntakeService | None = None):
    """Build the intake app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    # the import name of the service package: its templates are in services/intake/templates
    app = service_app("services.intake", "Homeward intake", service,
                       (returnees_blp, imports_blp, organisations_blp, offices_blp, eligibility_blp, countries_blp, reports_blp,
                        keys_blp, privacy_blp, notes_blp, documents_blp, assessments_blp, plan_blp, tasks_blp,
                        glass_breaks_blueprint(), sharing_blp, vocabularies_blueprint(VOCABULARY)),
                       path_ids={"returnee_id": RETURNEE, "organisation_id": SLUG, "import_id": "imp_", "note_id": NOTE,
                                 "document_id": DOCUMENT, "task_id": TASK})
    app.before_request(guard_client_files)  # need-to-know, after the token and the path's ids are checked
    return app
