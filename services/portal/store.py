"""Connects the portal's "portal" alias through the seedwork: MongoDB at MONGODB_URI, or an in-process store."""
from __future__ import annotations

from services.portal.documents import ALIAS
from shared import store


def connect(settings) -> None:
    """(Re)connect the alias; called from create_app, never at import time (pymongo is not fork-safe)."""
    store.connect(settings, ALIAS)


def ping() -> bool:
    return store.ping(ALIAS)
