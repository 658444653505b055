"""The staff notifications' queries (services/web/notifications), beside `repository.py`."""
from __future__ import annotations

from datetime import datetime

from mongoengine import NotUniqueError

from services.web.documents import Following, Notification, StaffAccount, StaffDigestRun, StaffMail
from shared.mail.repository import MailRepository
from shared.store import apply_once


def follow(returnee_id: str, event_id: str, now: datetime, **fields) -> None:
    """Record who follows a returnee (and its office, country): the fields the event carried, once."""
    Following.objects(id=returnee_id).update_one(upsert=True, set_on_insert__seen_events=[])
    changes = {name: value for name, value in fields.items()}
    apply_once(Following.objects(id=returnee_id), {"$set": {**changes, "updated_at": now}}, event_id)


def following(returnee_id: str) -> dict | None:
    return Following.objects(id=returnee_id).exclude("seen_events").as_pymongo().first()


def account(username: str | None) -> StaffAccount | None:
    return StaffAccount.objects(username=username).first() if username else None


def forget(returnee_id: str) -> None:
    """Erasure: nothing about the returnee stays here (the mails hold no name to start with)."""
    Following.objects(id=returnee_id).delete()


def record(event_id: str, type_: str, now: datetime, mails: list[dict]) -> bool:
    """The event and its mails in one insert; False when it was recorded before (a redelivery)."""
    try:
        Notification(id=event_id, type=type_, received_at=now, mail_outbox=mails).save(force_insert=True)
    except NotUniqueError:
        return False
    return True


def mail_log() -> MailRepository:
    """The staff mails' queries (shared.mail): the delivery log, and the notifications that queue into it."""
    return MailRepository(StaffMail, [Notification], StaffDigestRun)
