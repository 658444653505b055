"""A partner organisation's people (issue 18): field workers and their coordinator, and their tokens.

- Homeward's administrators create any of an organisation's people; its coordinator (a person with
  the role `coordinator`, signed in) invites and deactivates its field workers, not other
  coordinators and not itself. Someone of another organisation gets 404, as for any other id.
- A person is created with a one-time invitation code (shown once, stored as SHA-256, valid
  `INVITATION_DAYS`); redeeming it sets the password (scrypt, `shared.passwords`). A new code
  replaces the old one and, once redeemed, ends the person's sessions (a forgotten password).
- The password grant answers an access token (`sub` the person, `org` the organisation, role
  `partner`, `partner_role`; no names) and a refresh token: random, stored as SHA-256, good for
  one use, idle `REFRESH_IDLE`, at most `REFRESH_LONGEST` after the sign-in. A spent refresh token
  shown again ends the whole session (someone holds a copy). Deactivation deletes every session.

Slowing down guessing is the token endpoint's business (`services.partners.api.token_grants`).
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from ulid import ULID

from services.partners import mail
from services.partners.people_repository import PeopleRepository, UsernameTaken
from shared.auth import Principal, TokenIssuer
from shared.errors import Conflict, DomainError, Forbidden, NotFound
from shared.ids import PARTNER_USER, is_id
from shared.passwords import hash_password, verify_or_pretend
from shared.texts import Text

INVITATION_DAYS = 7
REFRESH_IDLE, REFRESH_LONGEST = timedelta(hours=12), timedelta(days=7)
SCOPE = "handovers checkins"  # as the organisation's API clients get
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread
NO_PERSON = Text("No such person in this organisation.")
WRONG = Text("Wrong user name or password, or the account is not active.")


class InvalidGrant(DomainError):
    """OAuth `invalid_grant` (RFC 6749 5.2): a wrong password, an unknown user, a dead refresh token."""


class InvitationGone(DomainError):
    status = 410


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _code_digest(code: str) -> str:
    """Codes are typed on phones: case, spaces and dashes do not matter."""
    return _digest(re.sub(r"[\s-]", "", code).upper())


def new_code() -> str:
    """A one-time code of 80 random bits, as four groups of four characters (`K7QM-3XPA-9RTD-WF2H`)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(chars[i:i + 4] for i in range(0, 16, 4))


def user_to_dict(doc: dict) -> dict:
    """A person as the API shows it: never the password hash or the code."""
    invitation = doc.get("invitation") or {}
    return {"id": doc["_id"], **{k: doc.get(k) for k in ("partner_id", "username", "display_name", "email", "role",
                                                        "active", "created_at", "last_sign_in_at")},
            "language": doc.get("language") or "en", "mail_preferences": mail.preferences(doc),
            "password_set": bool(doc.get("password_hash")),
            "invite_expires_at": None if invitation.get("redeemed_at") else invitation.get("expires_at")}


class People:
    """The use cases; `partners` is the organisations' repository (is the organisation there and active)."""

    def __init__(self, repo: PeopleRepository, partners, clock, issuer: TokenIssuer | None, access=None):
        self.repo, self.partners, self.clock, self.issuer = repo, partners, clock, issuer
        self.access = access  # services.partners.access.AccessEnds: a person's tokens end with its access

    # --- who may manage an organisation's people -------------------------------------------------
    def _coordinator(self, who: Principal, partner_id: str) -> dict | None:
        """None for an administrator; the coordinator's own record for a coordinator of `partner_id`."""
        if who.role == "admin":
            if self.partners.get_partner(partner_id) is None:
                raise NotFound("No such partner organisation.")
            return None
        if who.org != partner_id:
            raise NotFound("No such partner organisation.")
        me = self.repo.user(who.sub) if is_id(who.sub, PARTNER_USER) else None
        if me is None or me["partner_id"] != partner_id or not me.get("active") or me["role"] != "coordinator":
            raise Forbidden("Only the organisation's coordinator manages its people.")
        return me

    def _managed(self, who: Principal, partner_id: str, user_id: str) -> dict:
        """A person of `partner_id` the caller may act on (a coordinator: another field worker)."""
        me = self._coordinator(who, partner_id)
        user = self.repo.user(user_id)
        if user is None or user["partner_id"] != partner_id:
            raise NotFound(NO_PERSON)
        if me is not None and (user["_id"] == me["_id"] or user["role"] != "field_worker"):
            raise Forbidden("A coordinator manages the field workers; Homeward's administrators manage coordinators.")
        return user

    # --- people ----------------------------------------------------------------------------------
    def create(self, who: Principal, partner_id: str, data: dict) -> dict:
        """A new person with a one-time invitation code (in this answer only)."""
        if self._coordinator(who, partner_id) is not None and data["role"] != "field_worker":
            raise Forbidden("A coordinator invites field workers; Homeward's administrators appoint coordinators.")
        code, invitation = self._invitation()
        user = {"_id": PARTNER_USER + str(ULID()), "partner_id": partner_id, "username": data["username"],
                "display_name": data["display_name"], "email": data.get("email"), "role": data["role"],
                "language": data.get("language", "en"),
                "password_hash": "", "active": True, "created_at": self.clock.now(), "invitation": invitation}
        try:
            self.repo.add_user(user)
        except UsernameTaken:
            raise Conflict("This user name is taken.", errors={"username": "This user name is taken."})
        return {**user_to_dict(user), "invite_code": code}

    def list(self, who: Principal, partner_id: str, limit: int, cursor: str | None) -> dict:
        self._coordinator(who, partner_id)
        return self.repo.users_page(partner_id, limit, cursor, user_to_dict)

    def me(self, who: Principal) -> dict:
        user = self.repo.user(who.sub) if is_id(who.sub, PARTNER_USER) else None
        if user is None or user["partner_id"] != who.org:
            raise Forbidden("This token is an organisation's API client, not one of its people.")
        return user_to_dict(user)

    def set_mail_settings(self, who: Principal, data: dict) -> dict:
        """The signed-in person's address, language and choices per kind (the kinds not named keep theirs)."""
        user = self.repo.user(self.me(who)["id"])
        preferences = {**mail.preferences(user), **data.get("preferences", {})}
        self.repo.set_mail_settings(user["_id"], preferences, data.get("email"), data.get("language"))
        return user_to_dict(self.repo.user(user["_id"]))

    def set_active(self, who: Principal, partner_id: str, user_id: str, active: bool) -> dict:
        """Deactivate (every session and access token ends at once, in every service) or activate."""
        self._managed(who, partner_id, user_id)
        user = self.repo.set_active(user_id, active)
        if not active:
            self.repo.end_sessions_of(user_id)
            self._end_tokens(partner_id, user_id)
        return user_to_dict(user)

    def _end_tokens(self, partner_id: str, user_id: str) -> None:
        if self.access is not None:
            self.access.subjects(partner_id, [user_id])

    def reinvite(self, who: Principal, partner_id: str, user_id: str) -> dict:
        """A new one-time code (a lost code or a forgotten password): the previous one stops working."""
        self._managed(who, partner_id, user_id)
        code, invitation = self._invitation()
        return {**user_to_dict(self.repo.set_invitation(user_id, invitation)), "invite_code": code}

    def _invitation(self) -> tuple[str, dict]:
        code = new_code()
        return code, {"code_hash": _code_digest(code), "expires_at": self.clock.now() + timedelta(days=INVITATION_DAYS)}

    def redeem(self, code: str, password: str) -> dict:
        """Set the password with a one-time code; a used or expired one answers 410, an unknown one 400."""
        digest = _code_digest(code)
        user = self.repo.user_invited_by(digest)
        if user is None:
            raise DomainError("This invitation code is not valid: check it, or ask your coordinator for a new one.")
        invitation, now = user["invitation"], self.clock.now()
        if invitation.get("redeemed_at"):
            raise InvitationGone("This invitation code has been used already; ask your coordinator for a new one.")
        if invitation["expires_at"] <= now:
            raise InvitationGone(Text("This invitation code expired on {day}; ask your coordinator for a new one.",
                                      day=f"{invitation['expires_at']:%Y-%m-%d}"))
        if not user.get("active"):
            raise InvitationGone("This account has been deactivated; ask your coordinator.")
        redeemed = self.repo.redeem(user["_id"], digest, hash_password(password), now)
        if redeemed is None:
            raise InvitationGone("This invitation code has been used already; ask your coordinator for a new one.")
        self.repo.end_sessions_of(user["_id"])  # a new password: whoever knew the old one is signed out
        if user.get("password_hash"):  # a reset, not the first password: its access tokens end too
            self._end_tokens(user["partner_id"], user["_id"])
        return user_to_dict(redeemed)

    # --- tokens ----------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str) -> dict:
        """The password grant; an unknown user costs a password check too, and gets the same answer."""
        user = self.repo.user_named(username)
        right = verify_or_pretend(user.get("password_hash") if user else None, password)
        if not right or not self._may_sign_in(user):
            raise InvalidGrant(WRONG)
        now = self.clock.now()
        self.repo.signed_in(user["_id"], now)
        return self._tokens(user, str(ULID()), now, now)

    def refresh(self, refresh_token: str) -> dict:
        """The refresh token grant: the token is spent and a new pair made, within the session's limits."""
        digest, now = _digest(refresh_token), self.clock.now()
        spent = self.repo.spend(digest, now)
        if spent is None:
            replayed = self.repo.session_of(digest)
            if replayed is not None:  # used before: a copy is in someone else's hands
                self.repo.end_session(replayed["session"])
            raise InvalidGrant("The refresh token is not valid (used, expired or ended); sign in again.")
        started = spent["started_at"]
        user = self.repo.user(spent["user_id"])
        if not self._may_sign_in(user):
            self.repo.end_sessions_of(spent["user_id"])
            raise InvalidGrant("The account is not active; its sessions have ended.")
        if now - spent["issued_at"] > REFRESH_IDLE or now - started > REFRESH_LONGEST:
            self.repo.end_session(spent["session"])
            raise InvalidGrant("The session has ended; sign in again.")
        return self._tokens(user, spent["session"], started, now)

    def _may_sign_in(self, user: dict | None) -> bool:
        if user is None or not user.get("active"):
            return False
        partner = self.partners.get_partner(user["partner_id"])
        return partner is not None and partner.get("active", True)

    def _tokens(self, user: dict, session: str, started, now) -> dict:
        access, ttl = self.issuer.issue(user["_id"], "partner", org=user["partner_id"], scope=SCOPE,
                                        partner_role=user["role"])
        refresh = secrets.token_urlsafe(32)
        self.repo.add_session(_digest(refresh), session, user, started, now)
        lasts = min(REFRESH_IDLE, started + REFRESH_LONGEST - now)
        return {"access_token": access, "token_type": "Bearer", "expires_in": ttl, "scope": SCOPE,
                "refresh_token": refresh, "refresh_expires_in": int(lasts.total_seconds())}

    def forget_expired_sessions(self) -> int:
        """Housekeeping: delete refresh tokens past their idle or absolute expiry."""
        now = self.clock.now()
        return self.repo.delete_expired_sessions(now - REFRESH_IDLE, now - REFRESH_LONGEST)
