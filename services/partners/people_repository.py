"""Persistence of a partner organisation's people and their sessions (`partner_users`, `partner_sessions`).

Beside `repository.py` (organisations, credentials, handovers), and like it the only place that
builds queries on its documents. Reads return stored-shape dicts (`_id`) or None.

- A user name is unique over all organisations (a unique index): the password grant names no
  organisation. Lookups take exactly a `str`, so an operator object never becomes a query.
- Redeeming an invitation and spending a refresh token are conditional updates, so a code or a
  token works once even when two requests race.
"""
from __future__ import annotations

from datetime import datetime

from mongoengine import NotUniqueError, Q

from services.partners.documents import PartnerSession, PartnerUser
from shared.store import page

USER_FIELDS = ("partner_id", "username", "display_name", "email", "language", "role", "password_hash", "active",
               "created_at")


class UsernameTaken(Exception):
    pass


class PeopleRepository:
    # --- people ----------------------------------------------------------------------------------
    def add_user(self, user: dict) -> None:
        """Insert a new person; raises UsernameTaken when the user name is in use."""
        fields = {k: user[k] for k in USER_FIELDS if user.get(k) is not None}
        try:
            PartnerUser(id=user["_id"], invitation=user.get("invitation"), **fields).save(force_insert=True)
        except NotUniqueError as taken:
            raise UsernameTaken(user["username"]) from taken

    def user(self, user_id: str) -> dict | None:
        if type(user_id) is not str:  # noqa: E721 - exactly str
            return None
        return PartnerUser.objects(id=user_id).as_pymongo().first()

    def user_named(self, username: str) -> dict | None:
        if type(username) is not str or not username:  # noqa: E721 - exactly str
            return None
        return PartnerUser.objects(username=username).as_pymongo().first()

    def user_invited_by(self, code_hash: str) -> dict | None:
        return PartnerUser.objects(invitation__code_hash=code_hash).as_pymongo().first()

    def users_page(self, partner_id: str, limit: int, cursor: str | None, to_dict) -> dict:
        return page(PartnerUser.objects(partner_id=partner_id), limit, cursor, to_dict)

    def set_invitation(self, user_id: str, invitation: dict) -> dict | None:
        """A new one-time code for the person (the previous one stops working)."""
        if not PartnerUser.objects(id=user_id).update_one(set__invitation=invitation):
            return None
        return self.user(user_id)

    def redeem(self, user_id: str, code_hash: str, password_hash: str, now: datetime) -> dict | None:
        """Set the password if the code is still unused and unexpired (one winner when two race)."""
        done = PartnerUser.objects(id=user_id, active=True, invitation__code_hash=code_hash,
                                   invitation__redeemed_at=None, invitation__expires_at__gt=now).update_one(
            set__password_hash=password_hash, set__invitation__redeemed_at=now)
        return self.user(user_id) if done else None

    def set_active(self, user_id: str, active: bool) -> dict | None:
        if not PartnerUser.objects(id=user_id).update_one(set__active=active):
            return None
        return self.user(user_id)

    def mail_recipients(self, partner_id: str) -> list[dict]:
        """The organisation's active people with an address: whom its mails go to (as they chose)."""
        return list(PartnerUser.objects(partner_id=partner_id, active=True, email__nin=[None, ""])
                    .only("id", "email", "language", "mail_preferences", "role").as_pymongo())

    def set_mail_settings(self, user_id: str, preferences: dict, email: str | None, language: str | None) -> bool:
        changes = {"set__mail_preferences": preferences}
        if email:
            changes["set__email"] = email
        if language:
            changes["set__language"] = language
        return PartnerUser.objects(id=user_id).update_one(**changes) == 1

    def signed_in(self, user_id: str, now: datetime) -> None:
        PartnerUser.objects(id=user_id).update_one(set__last_sign_in_at=now)

    # --- sessions (refresh tokens, by their hash) ------------------------------------------------
    def add_session(self, token_hash: str, session: str, user: dict, started_at: datetime, now: datetime) -> None:
        PartnerSession(id=token_hash, session=session, user_id=user["_id"], partner_id=user["partner_id"],
                       started_at=started_at, issued_at=now).save(force_insert=True)

    def spend(self, token_hash: str, now: datetime) -> dict | None:
        """Mark the refresh token used and return it as it was; None when unknown or used before."""
        if type(token_hash) is not str:  # noqa: E721 - exactly str
            return None
        spent = PartnerSession.objects(id=token_hash, spent_at=None).modify(set__spent_at=now)
        return spent.to_mongo().to_dict() if spent is not None else None

    def session_of(self, token_hash: str) -> dict | None:
        return PartnerSession.objects(id=token_hash).as_pymongo().first()

    def end_session(self, session: str) -> int:
        return PartnerSession.objects(session=session).delete()

    def end_sessions_of(self, user_id: str) -> int:
        return PartnerSession.objects(user_id=user_id).delete()

    def delete_expired_sessions(self, issued_before: datetime, started_before: datetime) -> int:
        """Tokens idle past their expiry, and every token of sign-ins past the absolute expiry."""
        return PartnerSession.objects(Q(issued_at__lte=issued_before) | Q(started_at__lte=started_before)).delete()
