"""Connects mongoengine's "web" alias: MongoDB at MONGODB_URI, or an in-process mongomock store."""
from __future__ import annotations

import mongoengine

from services.web.documents import ALIAS


def connect(settings) -> None:
    """(Re)connect the alias; called from create_app, never at import time (pymongo is not fork-safe)."""
    mongoengine.disconnect(alias=ALIAS)
    if settings.mongodb_uri:
        mongoengine.connect(db=settings.mongodb_db, host=settings.mongodb_uri, alias=ALIAS, tz_aware=True,
                            uuidRepresentation="standard", serverSelectionTimeoutMS=5000)
    else:
        import mongomock

        mongoengine.connect(db=settings.mongodb_db, alias=ALIAS, mongo_client_class=mongomock.MongoClient,
                            tz_aware=True, uuidRepresentation="standard")


def ping() -> bool:
    try:
        mongoengine.get_db(ALIAS).command("ping")
        return True
    except Exception:  # noqa: BLE001 - readiness reports any failure as "not ready"
        return False
