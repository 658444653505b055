"""Notes and documents shared with the partner holding the case: kept on its handover (opened with the returnee's
key from intake, as the plan is; still sealed while intake cannot be asked), removed when unshared, and by
erasure, withdrawn consent, an exit and retention with the rest of the copy (COPY_OF_PERSON)."""
from __future__ import annotations

from datetime import date

from services.partners import keys
from services.partners.handlers.common import Deps
from services.partners.shared_items import FileUnavailable, ItemSharedSchema, ItemUnsharedSchema
from shared.errors import NotFound, NotYet
from shared.events import Envelope
from shared.kafka import read_event


SHOWN = ("kind", "text", "contact_on", "mode", "title", "content_type", "size", "content")


def keep_shared_item(deps: Deps, envelope: Envelope) -> None:
    """A consultant shared a note or document: keep it on the partner's handover (again: the newer content)."""
    data = read_event(ItemSharedSchema, envelope)
    handover = deps.repo.get_handover(data["handover_id"], data["partner_id"])
    if handover is None or handover.get("erased"):
        return
    opened, sealed = keys.open_personal(deps.key_source, data["returnee_id"], data["content"])
    if opened is None and sealed is None:
        return  # the key is gone (erased, consent withdrawn): nothing may be kept
    item = {"id": data["item_id"], "type": data["item_type"], "shared_at": data["shared_at"],
            "content": opened, "sealed": sealed}
    kept = [other for other in handover.get("shared") or [] if other["id"] != item["id"]]
    deps.repo.apply_event(handover["_id"], envelope.id, {"shared": [*kept, item]})


def drop_shared_item(deps: Deps, envelope: Envelope) -> None:
    """The consultant stopped sharing an item (or deleted the document): remove it from the handover."""
    data = read_event(ItemUnsharedSchema, envelope)
    handover = deps.repo.get_handover(data["handover_id"], data["partner_id"])
    if handover is None:
        return
    kept = [item for item in handover.get("shared") or [] if item["id"] != data["item_id"]]
    deps.repo.apply_event(handover["_id"], envelope.id, {"shared": kept})


def shared_items(deps: Deps, handover: dict) -> list[dict]:
    """The handover's shared items as the API answers them, newest first (a still sealed one opened if it can be)."""
    items = []
    for item in sorted(handover.get("shared") or [], key=lambda item: item["shared_at"], reverse=True):
        content = item.get("content")
        if content is None and item.get("sealed"):
            content, _ = keys.open_personal(deps.key_source, handover["returnee_id"], item["sealed"])
        shown = {**dict.fromkeys(SHOWN), "id": item["id"], "type": item["type"], "shared_at": item["shared_at"],
                 "readable": content is not None, **{k: v for k, v in (content or {}).items() if k in SHOWN}}
        if shown.get("contact_on"):
            shown["contact_on"] = date.fromisoformat(shown["contact_on"])
        if item["type"] == "document":
            shown["content"] = f"/v1/handovers/{handover['_id']}/shared/{item['id']}/content"
        items.append(shown)
    return items


def shared_document(deps: Deps, handover: dict, item_id: str) -> tuple[dict, str, bytes]:
    """(the item, content type, bytes) of a document shared on this handover, fetched from intake; else 404."""
    item = next((i for i in shared_items(deps, handover) if i["id"] == item_id and i["type"] == "document"), None)
    if item is None:
        raise NotFound("No such shared document.")
    try:
        got = deps.shared_files.content(handover["returnee_id"], item_id, handover["partner_id"])
    except FileUnavailable:
        raise NotYet("The document cannot be fetched from intake now; try again in a moment.",
                     "intake_unreachable", 503, 10) from None
    if got is None:
        raise NotFound("No such shared document.")
    return item, *got
