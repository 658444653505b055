"""The need-to-know rule's reads and the glass-break log (services/intake/access.py): the only module that
queries `glass_breaks`, and the look-up of whose a client's file is."""
from __future__ import annotations

import hashlib
from datetime import datetime

from ulid import ULID

from services.intake.documents import GlassBreak, Returnee
from shared.store import page


class AccessRepository:
    def owner(self, returnee_id: str) -> tuple[str | None, str | None] | None:
        """(office, following consultant) of a client not erased; None when there is none (the view answers 404)."""
        doc = Returnee.objects(id=returnee_id, erased__ne=True).only("office", "consultant").as_pymongo().first()
        return (doc.get("office"), doc.get("consultant")) if doc else None

    def record(self, who: str, role: str, returnee_id: str, reason: str, path: str, at: datetime) -> None:
        """One more request of a glass break: the day's entry of this person, client and reason, made once."""
        key = hashlib.sha256("\x1f".join((who, returnee_id, reason, at.date().isoformat())).encode()).hexdigest()
        GlassBreak._get_collection().update_one(
            {"key": key}, {"$setOnInsert": {"_id": str(ULID.from_datetime(at)), "at": at, "who": who, "role": role,
                                            "returnee_id": returnee_id, "reason": reason, "path": path},
                           "$set": {"last_at": at}, "$inc": {"requests": 1}}, upsert=True)

    def page(self, limit: int, cursor: str | None, returnee_id: str | None = None, who: str | None = None) -> dict:
        """The glass breaks, newest first (of one client or one person when asked)."""
        filters = {name: value for name, value in (("returnee_id", returnee_id), ("who", who)) if value}
        return page(GlassBreak.objects(**filters), limit, cursor, _row, newest_first=True)

    def prune(self, before: datetime) -> int:
        """Remove the entries older than the audit log keeps its own (the periodic job)."""
        return GlassBreak.objects(last_at__lt=before).delete()


def _row(doc: dict) -> dict:
    return {"id": doc["_id"], "at": doc["at"], "last_at": doc["last_at"], "who": doc["who"], "role": doc["role"],
            "returnee_id": doc["returnee_id"], "reason": doc["reason"], "path": doc["path"],
            "requests": doc.get("requests", 1)}
