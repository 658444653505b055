"""The need-to-know rule's reads and the glass-break log (services/intake/access.py): the look-up of whose a
client's file is, and the glass breaks (shared.glass_breaks.GlassBreakLog over intake's `glass_breaks`)."""
from __future__ import annotations

from services.intake.documents import GlassBreak, Returnee
from shared.glass_breaks import GlassBreakLog


class AccessRepository:
    def __init__(self):
        self.log = GlassBreakLog(GlassBreak)

    def owner(self, returnee_id: str) -> tuple[str | None, str | None] | None:
        """(office, following consultant) of a client not erased; None when there is none (the view answers 404)."""
        doc = Returnee.objects(id=returnee_id, erased__ne=True).only("office", "consultant").as_pymongo().first()
        return (doc.get("office"), doc.get("consultant")) if doc else None
