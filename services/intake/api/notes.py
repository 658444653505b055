"""The case file's conversation and contact notes: consultants and administrators only (never project leads,
whose pages are pseudonymous, nor partners). Every read is in the audit log by person, as every /v1 call."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from services.intake import notes
from services.intake.api.common import WRITERS, _deps
from services.intake.schemas.notes import NoteOutSchema, NotePatchSchema, NoteQuerySchema, NoteSchema
from shared.http import audit_resource, page_of, principal, require

notes_blp = Blueprint("notes", __name__, url_prefix="/v1/returnees",
                      description="The case file's conversation and contact notes (gespreksverslagen)")


@notes_blp.route("/<returnee_id>/notes")
class Notes(MethodView):
    @notes_blp.arguments(NoteQuerySchema, location="query")
    @notes_blp.alt_response(200, schema=page_of(NoteOutSchema), success=True)
    @require(*WRITERS)
    def get(self, args, returnee_id):
        """The client's notes, newest first, a page at a time; `q` finds the notes holding every word asked."""
        page = notes.list_notes(_deps(), returnee_id, args.get("q"), args["cursor"], args["limit"])
        return {"items": NoteOutSchema().dump(page["items"], many=True), "next_cursor": page["next_cursor"]}

    @notes_blp.arguments(NoteSchema)
    @notes_blp.response(201, NoteOutSchema)
    @require(*WRITERS)
    def post(self, data, returnee_id):
        """Write a note of a conversation or contact (`written_by` is the caller)."""
        note = notes.add_note(_deps(), returnee_id, data, principal().sub)
        audit_resource(note["id"], returnee_id=returnee_id)
        return note


@notes_blp.route("/<returnee_id>/notes/<note_id>")
class NoteById(MethodView):
    @notes_blp.response(200, NoteOutSchema)
    @require(*WRITERS)
    def get(self, returnee_id, note_id):
        """One note; its author and administrators also get the earlier versions (`versions`)."""
        audit_resource(note_id, returnee_id=returnee_id)
        return notes.get_note(_deps(), returnee_id, note_id, principal())

    @notes_blp.arguments(NotePatchSchema(partial=True))
    @notes_blp.response(200, NoteOutSchema)
    @notes_blp.alt_response(409, response="CONFLICT")
    @require(*WRITERS)
    def patch(self, changes, returnee_id, note_id):
        """Correct a note (its author or an administrator): a new version, the earlier text kept."""
        audit_resource(note_id, returnee_id=returnee_id)
        return notes.correct_note(_deps(), returnee_id, note_id, changes, principal())
