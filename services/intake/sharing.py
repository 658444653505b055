"""Sharing one note or document of the case file with the partner holding the case (issue 20, "Privacy and access").

Explicit and one at a time: a consultant shares an item, and `returnee.item_shared.v1` carries its content sealed
with the returnee's key, as the plan travels (a note's text, kind and date; a document's title, kind, type and
size: its bytes never travel on Kafka, partners fetch them from intake at `.../shared-content`, with its service
token, for the partner the document is shared with). Unsharing, or deleting a shared document, sends
`returnee.item_unshared.v1`; erasure's `returnee.erased.v1` removes every shared item at the partner, and the
shredded key leaves the sealed copies in the event log unreadable. What is shared is kept on the returnee
(`shared`: item id -> partner, handover, when, by whom), written with the event in one update (the outbox).
See docs/casefile.md ("Sharing with the partner").
"""
from __future__ import annotations

from services.intake import documents_files, notes
from services.intake.events import ITEM_SHARED, ITEM_UNSHARED
from services.intake.handlers.common import Deps, get_returnee, new_event, store_change
from shared import sealing
from shared.errors import Conflict, Forbidden, NotFound

HOLDING = ("accepted", "arrived")  # the handover states in which a partner holds the case


def holder(returnee: dict) -> dict:
    """The handover of the partner holding the case (accepted or arrived, with consent to share), else Conflict."""
    handover = returnee.get("handover") or {}
    if handover.get("status") not in HOLDING or not (returnee.get("consent") or {}).get("share_with_partner"):
        raise Conflict("No partner holds the case: share once a partner has accepted it (with consent to share).")
    return handover


def _key(deps: Deps, returnee_id: str) -> str:
    return deps.repo.personal_key(returnee_id, sealing.new_key)


def share_note(deps: Deps, returnee_id: str, note_id: str, who: str) -> dict:
    """Share one note (its current text, kind and contact date) with the partner holding the case."""
    returnee = get_returnee(deps, returnee_id)
    note = deps.notes.get(returnee_id, note_id)
    if note is None:
        raise NotFound("No such note.")
    shown = notes.shown(note, _key(deps, returnee_id))
    content = {"text": shown["text"], "kind": shown["kind"], "contact_on": shown["contact_on"].isoformat(),
               "mode": shown["mode"]}
    return _share(deps, returnee, note_id, "note", content, who)


def share_document(deps: Deps, returnee_id: str, document_id: str, who: str) -> dict:
    """Share one document (title, kind, type, size; the bytes fetched by partners from intake)."""
    returnee = get_returnee(deps, returnee_id)
    document = documents_files.get_document(deps, returnee_id, document_id)
    content = {name: document[name] for name in ("title", "kind", "content_type", "size")}
    return _share(deps, returnee, document_id, "document", content, who)


def _share(deps: Deps, returnee: dict, item_id: str, item_type: str, content: dict, who: str) -> dict:
    handover = holder(returnee)
    now = deps.clock.now()
    share = {"type": item_type, "partner_id": handover["partner_id"], "handover_id": handover["id"],
             "shared_at": now, "shared_by": who}
    event = new_event(deps, ITEM_SHARED, returnee["id"], item_id=item_id, item_type=item_type,
                      handover_id=handover["id"], partner_id=handover["partner_id"], shared_at=now,
                      content=sealing.seal(_key(deps, returnee["id"]), returnee["id"], content))
    store_change(deps, returnee, {"shared": {**(returnee.get("shared") or {}), item_id: share}}, [event])
    return {"item_id": item_id, **share}


def unshare(deps: Deps, returnee_id: str, item_id: str, item_type: str) -> None:
    """Stop sharing an item: the partner's copy is removed (404 when it is not shared)."""
    returnee = get_returnee(deps, returnee_id)
    share = (returnee.get("shared") or {}).get(item_id)
    if share is None or share["type"] != item_type:
        raise NotFound("This item is not shared.")
    _unshare(deps, returnee, item_id)


def _unshare(deps: Deps, returnee: dict, item_id: str) -> None:
    shared = dict(returnee.get("shared") or {})
    share = shared.pop(item_id)
    event = new_event(deps, ITEM_UNSHARED, returnee["id"], item_id=item_id, item_type=share["type"],
                      handover_id=share["handover_id"], partner_id=share["partner_id"])
    store_change(deps, returnee, {"shared": shared}, [event])


def delete_document(deps: Deps, returnee_id: str, document_id: str) -> None:
    """Delete a document; a shared one is unshared first, so that the partner's copy goes too."""
    returnee = get_returnee(deps, returnee_id)
    if document_id in (returnee.get("shared") or {}) and deps.documents.get(returnee_id, document_id):
        _unshare(deps, returnee, document_id)
    documents_files.delete_document(deps, returnee_id, document_id)


def shared_content(deps: Deps, returnee_id: str, document_id: str, partner_id: str, caller: str) -> tuple[dict, bytes]:
    """A shared document's bytes for the partners service, for the partner it is shared with; else 404."""
    if caller != "partners":
        raise Forbidden("Only the partners service fetches shared documents.")
    returnee = get_returnee(deps, returnee_id)
    share = (returnee.get("shared") or {}).get(document_id)
    if share is None or share["type"] != "document" or share["partner_id"] != partner_id:
        raise NotFound("No such document.")
    try:
        held = holder(returnee)["id"] == share["handover_id"]
    except Conflict:
        held = False
    if not held:  # consent withdrawn, or the partner no longer holds the case
        raise NotFound("No such document.")
    return documents_files.document_content(deps, returnee_id, document_id)

