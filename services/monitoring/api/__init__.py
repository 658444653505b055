"""The monitoring HTTP API: check-ins (single and batch), cases, alerts.

Run: `gunicorn 'services.monitoring.api:create_app()'`

One module per resource, each with its blueprint: `checkins`, `cases`, `alerts`, `scoring` and
`reports` (insights, outcomes, scorecard), `comparison` (before return beside after); `common` holds what several of them use.
"""
from __future__ import annotations

from services.monitoring.api.alerts import alerts_blp
from services.monitoring.api.cases import cases_blp
from services.monitoring.api.checkins import checkins_blp
from services.monitoring.api.comparison import comparison_blp
from services.monitoring.api.money import money_blp
from services.monitoring.api.reports import reports_blp
from services.monitoring.api.scoring import scoring_blp
from services.monitoring.api.subjects import subjects_blp
from services.monitoring.api.support import support_blp
from services.monitoring.bootstrap import MonitoringService, bootstrap
from services.monitoring.schemas import BatchItemSchema
from services.monitoring.vocabulary import VOCABULARY
from shared.glass_breaks import client_files_guard
from shared.http import service_app
from shared.http.glass_breaks_api import glass_breaks_blueprint
from shared.http.vocabularies import vocabularies_blueprint

__all__ = ["create_app"]


def create_app(settings=None, service: MonitoringService | None = None):
    """Build the monitoring app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    service.insights_feed.start()  # country insights follow the check-ins beside the requests
    service.history_feed.start()  # so do the copies of their keys and the moves of old check-ins
    app = service_app(__name__, "Homeward monitoring", service,
                      (checkins_blp, cases_blp, alerts_blp, scoring_blp, reports_blp, subjects_blp, money_blp, support_blp,
                       comparison_blp, glass_breaks_blueprint(), vocabularies_blueprint(VOCABULARY)),
                      schemas={"BatchItem": BatchItemSchema})  # what a batch's items should be (BatchSchema)
    # need-to-know over one client's case (/v1/cases/<returnee_id>, its receipts), after the token is checked
    app.before_request(client_files_guard)
    return app
