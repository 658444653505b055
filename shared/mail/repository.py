"""The queries on mail: queued entries out of their causes into the delivery log, claims, outcomes, the log.

`MailRepository(record_class, cause_classes)`: the service's `MailRecord` subclass and the document
classes whose writes queue mail (each with a `mail_outbox` list). Only this module queries them for mail.
"""
from __future__ import annotations

import time
from datetime import datetime

from mongoengine import NotUniqueError, Q
from ulid import ULID

from shared.mail.outbox import FIELD
from shared.store import page

ENTRY_FIELDS = ("to", "kind", "lang", "subject", "text", "html", "line", "unsubscribe", "one_click")
QUEUED = {f"{FIELD}.0": {"$exists": True}}
LOG_FIELDS = ("to", "kind", "lang", "state", "attempts", "created_at", "next_attempt_at", "sent_at", "last_error")


def log_entry(doc: dict) -> dict:
    """A mail as the delivery log shows it: never its texts."""
    return {"id": doc["_id"], **{name: doc.get(name) for name in LOG_FIELDS}}


class MailRepository:
    def __init__(self, record_class, cause_classes=(), run_class=None):
        self.record = record_class
        self.causes = list(cause_classes)
        self.runs = run_class  # a DigestRun subclass: one digest run a day over every sender replica

    def queued(self, limit: int) -> list[tuple]:
        """(cause class, document id, entry) of entries still in their cause's outbox."""
        found = []
        for cls in self.causes:
            for doc in cls.objects(__raw__=QUEUED).only(FIELD).limit(limit).as_pymongo():
                found += [(cls, doc["_id"], entry) for entry in doc.get(FIELD, [])]
        return found

    def enqueue(self, cause, doc_id, entry: dict, now: datetime) -> bool:
        """Move one entry into the log (pending, or waiting for the digest) and pull it from its cause;
        an entry moved before (a second sender, a crash between the two writes) is not added again."""
        fields = {k: entry.get(k, "") for k in ENTRY_FIELDS}
        state = "digest" if entry.get("digest") else "pending"
        try:
            self.record(id=entry["id"], state=state, created_at=now,
                        next_attempt_at=now if state == "pending" else None, **fields).save(force_insert=True)
            added = True
        except NotUniqueError:
            added = False
        cause.objects(id=doc_id).update_one(__raw__={"$pull": {FIELD: {"id": entry["id"]}}})
        return added

    def due(self, now: datetime, limit: int) -> list[str]:
        """Pending mails whose time has come, and mails whose sender stopped mid-attempt (claim run out)."""
        query = Q(state="pending", next_attempt_at__lte=now) | Q(state="sending", claimed_until__lte=now)
        return [doc["_id"] for doc in self.record.objects(query).only("id").order_by("id").limit(limit).as_pymongo()]

    def claim(self, mail_id: str, now: datetime, until: datetime) -> dict | None:
        """Take one due mail for an attempt; None when another sender took it (one winner when two race)."""
        query = Q(id=mail_id) & (Q(state="pending", next_attempt_at__lte=now) |
                                 Q(state="sending", claimed_until__lte=now))
        claimed = self.record.objects(query).modify(set__state="sending", set__claimed_until=until, inc__attempts=1,
                                                    new=True)
        return claimed.to_mongo().to_dict() if claimed is not None else None

    def sent(self, mail_id: str, at: datetime) -> None:
        """Delivered to the SMTP server: the texts are dropped (the log keeps who, what kind, when)."""
        self.record.objects(id=mail_id).update_one(set__state="sent", set__sent_at=at, unset__claimed_until=True,
                                                   unset__next_attempt_at=True, set__text="", set__html="",
                                                   set__one_click="", set__last_error=None)  # its link too

    def retry(self, mail_id: str, at: datetime, error: str) -> None:
        self.record.objects(id=mail_id).update_one(set__state="pending", set__next_attempt_at=at,
                                                   unset__claimed_until=True, set__last_error=error[:300])

    def failed(self, mail_id: str, error: str) -> None:
        self.record.objects(id=mail_id).update_one(set__state="failed", unset__claimed_until=True,
                                                   unset__next_attempt_at=True, set__last_error=error[:300])

    def waiting_digest(self) -> dict[tuple[str, str], list[dict]]:
        """The mails waiting for the digest, per (address, language)."""
        waiting: dict[tuple[str, str], list[dict]] = {}
        for doc in self.record.objects(state="digest").order_by("id").as_pymongo():
            waiting.setdefault((doc["to"], doc["lang"]), []).append(doc)
        return waiting

    def digested(self, mail_ids: list[str], digest_id: str) -> None:
        self.record.objects(id__in=mail_ids, state="digest").update(set__state="digested", set__digest_id=digest_id,
                                                                    set__text="", set__html="")

    def add_digest(self, entry: dict, now: datetime) -> bool:
        fields = {k: entry.get(k, "") for k in ENTRY_FIELDS if k != "line"}
        try:
            self.record(id=entry["id"], state="pending", created_at=now, next_attempt_at=now,
                        **fields).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def claim_digest_day(self, day: str, now: datetime) -> bool:
        """Take `day`'s digest run: True for the one sender whose insert is first, False for every other."""
        if self.runs is None:
            return True
        try:
            self.runs(id=day, started_at=now).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def digest_ran(self, day: str) -> bool:
        return self.runs is not None and self.runs.objects(id=day).count() > 0

    def digest_done(self, day: str, digests: int) -> None:
        if self.runs is not None:
            self.runs.objects(id=day).update_one(set__digests=digests)

    def log_page(self, limit: int, cursor: str | None, state: str | None = None) -> dict:
        """The delivery log, oldest first (ids are ULIDs), a page at a time; never the texts."""
        query = self.record.objects(state=state) if state else self.record.objects()
        return page(query.exclude("text", "html", "subject", "line"), limit, cursor, log_entry)

    def counts(self) -> dict[str, int]:
        return {state: self.record.objects(state=state).count() for state in ("pending", "sending", "failed")}

    def gauges(self) -> dict[str, float]:
        """For the sender's worker metrics: mails pending (due or waiting for a retry), being sent and failed, and
        the seconds the oldest pending one has waited (0 when none waits; ids are `mail_<ULID>`, made when the mail
        was queued, wall clock)."""
        counts = self.counts()
        oldest = self.record.objects(state="pending").order_by("id").only("id").first()
        age = 0.0
        if oldest is not None:
            try:
                age = max(0.0, time.time() - ULID.from_str(oldest.id.removeprefix("mail_")).timestamp)
            except ValueError:  # an id that is not a ULID says nothing about its age
                pass
        return {"mail_pending": counts["pending"], "mail_sending": counts["sending"], "mail_failed": counts["failed"],
                "mail_oldest_pending_age_seconds": age}
