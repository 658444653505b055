"""The notes and documents lists say which items are shared with the partner holding the case (`shared`:
{partner_id, shared_at} or null), so that the staff page can offer to share or to stop sharing."""
from __future__ import annotations

from tests.unit.intake.returnees import PARTNER_P
from tests.unit.intake.test_sharing_api import case  # noqa: F401  (the fixture)


def test_the_lists_mark_a_shared_note_and_document_and_unsharing_clears_the_mark(case):  # noqa: F811
    client, _, headers, rid, _, note_id, doc_id = case
    for kind, item_id in (("notes", note_id), ("documents", doc_id)):
        assert client.get(f"/v1/returnees/{rid}/{kind}", headers=headers).json["items"][0]["shared"] is None
        shared_at = client.post(f"/v1/returnees/{rid}/{kind}/{item_id}/share", headers=headers).json["shared_at"]
        item = client.get(f"/v1/returnees/{rid}/{kind}", headers=headers).json["items"][0]
        assert item["shared"] == {"partner_id": PARTNER_P, "shared_at": shared_at}
        assert client.delete(f"/v1/returnees/{rid}/{kind}/{item_id}/share", headers=headers).status_code == 204
        assert client.get(f"/v1/returnees/{rid}/{kind}", headers=headers).json["items"][0]["shared"] is None
