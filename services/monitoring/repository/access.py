"""Need-to-know over monitoring's cases (shared.access, shared.glass_breaks): whose a client's case is, and the
glass breaks of consultants who opened a case outside their caseload with a reason."""
from __future__ import annotations

from services.monitoring.documents import Case, GlassBreak
from shared.glass_breaks import GlassBreakLog


class AccessRepository:
    def __init__(self):
        self.log = GlassBreakLog(GlassBreak)

    def owner(self, returnee_id: str) -> tuple[str | None, str | None] | None:
        """(office, following consultant) of a case; None when there is no case, or monitoring has not heard
        whose it is (neither named yet by intake's events): the rule cannot narrow it, as intake's cannot."""
        doc = Case.objects(id=returnee_id).only("office", "consultant").as_pymongo().first()
        if not doc or not (doc.get("office") or doc.get("consultant")):
            return None
        return doc.get("office"), doc.get("consultant")
