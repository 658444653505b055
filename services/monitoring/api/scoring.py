"""The scoring scheme: what is in use, and recomputing every stored check-in with it."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.monitoring import handlers
from services.monitoring.api.common import STAFF, _service
from services.monitoring.schemas import RecomputeSchema, ScoringSchemeSchema
from shared.http import require

scoring_blp = Blueprint("scoring", __name__, url_prefix="/v1/scoring", description="The scoring scheme")


@scoring_blp.route("")
@scoring_blp.alt_response(200, schema=ScoringSchemeSchema, success=True)
@require(*STAFF)
def scoring_scheme():
    """The scoring scheme in use: version and how domains feed the RSS dimensions."""
    scheme = _service().deps.scheme
    return {"version": scheme.version, "dimensions": scheme.dimensions,
            "index": "mean over scored domains of (score - 1) / 4"}


@scoring_blp.route("/recompute", methods=["POST"])
@scoring_blp.alt_response(200, schema=RecomputeSchema, success=True)
@require("admin")
def recompute():
    """Recompute every stored check-in with the current scheme; old values stay in each check-in's history."""
    changed = handlers.rescore_all(_service().deps, _service().deps.scheme)
    return {"scheme_version": _service().deps.scheme.version, "checkins_rescored": changed}
