"""MongoDB access for partners: organisations, credentials, handovers, webhook messages and deliveries."""
from __future__ import annotations

from pymongo import ASCENDING
from pymongo.database import Database

from shared.store import to_date

DATE_FIELDS = ("planned_departure_date", "departed_on", "arrived_on")


class PartnersRepository:
    def __init__(self, db: Database):
        self.partners = db["partners"]
        self.credentials = db["credentials"]
        self.handovers = db["handovers"]
        self.webhook_messages = db["webhook_messages"]
        self.webhook_deliveries = db["webhook_deliveries"]
        self.handovers.create_index([("partner_id", ASCENDING), ("_id", ASCENDING)])
        self.handovers.create_index([("returnee_id", ASCENDING)])
        self.credentials.create_index([("partner_id", ASCENDING)])
        self.webhook_messages.create_index([("state", ASCENDING), ("next_attempt_at", ASCENDING)])
        self.webhook_deliveries.create_index([("partner_id", ASCENDING), ("_id", ASCENDING)])
        self.webhook_deliveries.create_index([("message_id", ASCENDING)])

    # organisations -------------------------------------------------------------------------------
    def get_partner(self, partner_id: str) -> dict | None:
        return self.partners.find_one({"_id": partner_id})

    # handovers -----------------------------------------------------------------------------------
    def get_handover(self, handover_id: str, partner_id: str | None = None) -> dict | None:
        """A handover; with `partner_id`, only if it belongs to that organisation."""
        selector = {"_id": handover_id}
        if partner_id is not None:
            selector["partner_id"] = partner_id
        return self.handovers.find_one(selector)

    def transition(self, handover_id: str, expected: str, changes: dict, push: dict) -> bool:
        """Compare-and-set on status: the state change and its outbox events in one update."""
        result = self.handovers.update_one({"_id": handover_id, "status": expected},
                                           {"$set": changes, "$push": push})
        return result.modified_count == 1


def partner_to_dict(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k not in ("_id", "webhook")}  # the signing secret stays here
    out["id"] = doc["_id"]
    return out


def handover_to_dict(doc: dict) -> dict:
    out = {k: v for k, v in doc.items() if k not in ("_id", "outbox", "webhook_outbox", "seen_events")}
    out["id"] = doc["_id"]
    for name in DATE_FIELDS:
        out[name] = to_date(doc.get(name))
    return out
