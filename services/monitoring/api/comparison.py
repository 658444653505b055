"""Before return beside after it, for project leads: the mean change per domain from the judgement before return
to the latest check-in after it, per group, small cells hidden (domain/comparison.py)."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint

from services.monitoring.api.common import _service
from services.monitoring.repository.before_return import BeforeReturnRepository
from services.monitoring.domain.comparison import before_after_table
from services.monitoring.schemas import OutcomesSchema
from services.monitoring.vocabulary import BEFORE_AFTER_GROUPINGS
from shared.http import require

comparison_blp = Blueprint("comparison", __name__, description="Scores before return beside those after it")


class ComparisonQuerySchema(ma.Schema):
    by = ma.fields.String(load_default="country", validate=ma.validate.OneOf(BEFORE_AFTER_GROUPINGS))


@comparison_blp.route("/v1/outcomes/before-after")
@comparison_blp.arguments(ComparisonQuerySchema, location="query")
@comparison_blp.alt_response(200, schema=OutcomesSchema, success=True)
@require("project_lead", "admin")
def before_after(args):
    """Per group: returnees assessed before return and checked in after it, and per domain the mean score
    before, the mean latest score after and the mean change (hidden below k returnees)."""
    service = _service()
    return before_after_table(service.repo.monitored(), BeforeReturnRepository().all(), args["by"],
                              service.settings.suppression_k)
