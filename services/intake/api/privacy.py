"""Intake's privacy endpoints: the subject access export (admin) and the chain partner summary.

Registered by `services.intake.api.create_app()`.
"""
from __future__ import annotations

from flask_smorest import Blueprint

from services.intake import assessments, documents_files, handlers, notes, plan_versions, subjects, tasks
from services.intake.schemas import ChainPartnerQuerySchema
from services.intake.schemas.assessments import AssessmentOutSchema
from services.intake.schemas.documents_schemas import DocumentOutSchema
from services.intake.schemas.notes import NoteOutSchema
from services.intake.schemas.plan import PerspectivePlanOutSchema
from services.intake.schemas.tasks import TaskSchema
from shared.http.openapi import AnswerSchema
from shared.http import audit_resource, require, runtime

privacy_blp = Blueprint("privacy", __name__, url_prefix="/v1/returnees",
                        description="Subject access export and outcomes for chain partners")


def _service():
    return runtime().extras["service"]


@privacy_blp.route("/<returnee_id>/export")
@privacy_blp.alt_response(200, schema=AnswerSchema, success=True, description="Everything every service holds about the returnee")
@require("admin")
def export(returnee_id):
    """Everything every service holds about one returnee, as one JSON document (GDPR art. 15 and 20)."""
    service = _service()
    returnee = handlers.get_returnee(service.deps, returnee_id)
    return subjects.export_subject(returnee, service.repo.existing_personal_key(returnee_id) is not None,
                                   service.audit.about(returnee_id), service.subject_sources, service.clock.now(),
                                   NoteOutSchema().dump(notes.export_notes(service.deps, returnee_id), many=True),
                                   _documents(service, returnee_id),
                                   AssessmentOutSchema().dump(assessments.export_assessments(service.deps, returnee_id),
                                                              many=True),
                                   case_file={"perspective_plan": PerspectivePlanOutSchema().dump(
                                       plan_versions.export_plan(service.deps, returnee_id), many=True),
                                       "tasks": TaskSchema().dump(tasks.export_tasks(service.deps, returnee_id),
                                                                  many=True)})


def _documents(service, returnee_id: str) -> list[dict]:
    """The documents' metadata, each with `content`: the path its bytes are downloaded at (as an administrator)."""
    return [{**DocumentOutSchema().dump(document), "content": document["content"]}
            for document in documents_files.export_documents(service.deps, returnee_id)]


@privacy_blp.route("/<returnee_id>/chain-partner-summary")
@privacy_blp.alt_response(200, schema=AnswerSchema, success=True, description="The outcome summary for the chain partner")
@privacy_blp.arguments(ChainPartnerQuerySchema, location="query")
@require("consultant", "admin")
def chain_partner_summary(args, returnee_id):
    """An outcome summary (no names) for a named chain partner; 403 without the returnee's consent."""
    service = _service()
    returnee = handlers.get_returnee(service.deps, returnee_id)
    audit_resource(f"chain-partner:{args['chain_partner']}", returnee_id=returnee_id)  # to whom it went
    return subjects.chain_partner_summary(returnee, args["chain_partner"], service.chain_partners)
