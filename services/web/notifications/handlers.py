"""What the staff notifications do with the events they consume (homeward.returnees, homeward.handovers,
homeward.monitoring): learn who follows a returnee, and turn an alert or a failed handover into mail.
Each handler reads with a tolerant reader and applies its effect once (shared.store.apply_once, or the
event's id as the notification's)."""
from __future__ import annotations

from urllib.parse import urlencode

from marshmallow import fields

from services.web import notifications_repository as repository
from services.web.notifications.rules import ALERT_KINDS, FIXED, HANDOVER_KINDS, entries, link_token, username_of
from shared.events import Envelope
from shared.fields import ReaderSchema
from shared.kafka import read_event

REGISTERED, UPDATED, ERASED = "returnee.registered.v1", "returnee.updated.v1", "returnee.erased.v1"
ALERT_RAISED = "alert.raised.v1"
DECLINED, EXPIRED = "handover.declined.v1", "handover.expired.v1"


class RegisteredSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    country_of_return = fields.String(required=True)
    office = fields.String(allow_none=True)
    consultant = fields.String(allow_none=True)


class UpdatedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    changed = fields.List(fields.String(), required=True)
    office = fields.String(allow_none=True)
    consultant = fields.String(allow_none=True)


class ErasedSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


class AlertSchema(ReaderSchema):
    returnee_id = fields.String(required=True)
    country = fields.String(required=True)
    type = fields.String(required=True)


class HandoverSchema(ReaderSchema):
    returnee_id = fields.String(required=True)


def learn_registration(deps, envelope: Envelope) -> None:
    data = read_event(RegisteredSchema, envelope)
    repository.follow(data["returnee_id"], envelope.id, deps.clock.now(), consultant=data.get("consultant"),
                      office=data.get("office"), country=data["country_of_return"])


def learn_update(deps, envelope: Envelope) -> None:
    data = read_event(UpdatedSchema, envelope)
    known = {name: data.get(name) for name in ("consultant", "office") if name in data and name in data["changed"]}
    if known:
        repository.follow(data["returnee_id"], envelope.id, deps.clock.now(), **known)


def forget_returnee(deps, envelope: Envelope) -> None:
    repository.forget(read_event(ErasedSchema, envelope)["returnee_id"])


def mail_alert(deps, envelope: Envelope) -> None:
    data = read_event(AlertSchema, envelope)
    if data["type"] in ALERT_KINDS:
        _notify(deps, envelope, data["type"], data["returnee_id"], data["country"])


def mail_handover(deps, envelope: Envelope) -> None:
    data = read_event(HandoverSchema, envelope)
    _notify(deps, envelope, HANDOVER_KINDS[envelope.type], data["returnee_id"], None)


def _one_click(deps, account, kind: str) -> str:
    """The account's one-click unsubscribe link for this kind (none for a fixed kind or without an account)."""
    if account is None or kind in FIXED:
        return ""
    token = link_token(repository.mail_link_key(account.username), account.username, kind)
    return f"{deps.web_url}/mail/unsubscribe?{urlencode({'u': account.username, 'k': kind, 't': token, 'lang': account.mail_language or 'nl'})}"


def _notify(deps, envelope: Envelope, kind: str, returnee_id: str, country: str | None) -> None:
    followed = repository.following(returnee_id) or {}
    account = repository.account(username_of(followed.get("consultant")))
    team = deps.teams.get(followed.get("office") or "")
    mails = entries(kind, account, team, country or followed.get("country"),
                    f"{deps.web_url}/returnees/{returnee_id}", settings=f"{deps.web_url}/account/mail",
                    one_click=_one_click(deps, account, kind))
    if mails:
        repository.record(envelope.id, envelope.type, deps.clock.now(), mails)


HANDLERS = {REGISTERED: learn_registration, UPDATED: learn_update, ERASED: forget_returnee,
            ALERT_RAISED: mail_alert, DECLINED: mail_handover, EXPIRED: mail_handover}
