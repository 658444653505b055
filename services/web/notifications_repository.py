"""The staff notifications' queries (services/web/notifications), beside `repository.py`."""
from __future__ import annotations

import secrets
from datetime import datetime

from mongoengine import NotUniqueError, Q

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


def mail_link_key(username: str) -> str:
    """The account's key for its one-click unsubscribe links: made once (the first writer's stays), then read."""
    StaffAccount.objects(Q(username=username) & (Q(mail_link_key="") | Q(mail_link_key__exists=False))).update_one(
        set__mail_link_key=secrets.token_urlsafe(32))
    found = StaffAccount.objects(username=username).only("mail_link_key").first()
    return found.mail_link_key if found is not None else ""


def turn_off(username: str, kind: str) -> None:
    """One kind of mail to `none` for the account (the one-click unsubscribe), the other choices kept."""
    StaffAccount.objects(username=username).update_one(**{f"set__mail_preferences__{kind}": "none"})


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
