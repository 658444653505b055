"""Partner organisations and handovers: the rules (stdlib only; the code lists are in vocabulary.py)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from shared.errors import Conflict
from shared.texts import Text

LIVE = ("offered", "accepted")  # a handover whose partner is told of the returnee's departure (webhook)
# a handover the departure date is recorded on: also one the partner confirmed the arrival of before the
# departure reached partners (the two cross: the partner's call and intake's event race)
DEPARTURE_NOTED = LIVE + ("arrived",)
FOLLOWED = ("offered", "accepted", "arrived")  # a handover whose copy follows the consultant's corrections

# action -> (statuses it may start from, status it leads to)
TRANSITIONS = {
    "accept": (("offered",), "accepted"),
    "decline": (("offered",), "declined"),
    "confirm_arrival": (("accepted",), "arrived"),
    "withdraw": (("offered",), "withdrawn"),
    "retract": (LIVE, "withdrawn"),  # the client left the programme before departing
    "expire": (("offered",), "expired"),
}


class StateConflict(Conflict):
    """The handover is not in a state that allows the action (HTTP 409)."""


def next_status(current: str, action: str) -> str:
    allowed_from, target = TRANSITIONS[action]
    if current not in allowed_from:
        raise StateConflict(Text("cannot {action} a handover that is {status}", action=action.replace("_", " "),
                                 status=current))
    return target


def coverage_problem(partner: dict | None, country: str) -> str | None:
    """Why a partner cannot take a case in `country` (a decline reason), or None when it can."""
    if partner is None or not partner.get("active", True):
        return "other"
    if country not in partner.get("countries", []):
        return "not_in_coverage_area"
    return None


@dataclass(frozen=True)
class NewSecret:
    client_id: str
    secret: str
    hashed: str


def new_client_secret() -> NewSecret:
    client_id = "hw_" + secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return NewSecret(client_id, secret, hash_secret(secret))


def hash_secret(secret: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(secret.encode(), salt=salt, n=2 ** 14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


_dummy: list[str] = []  # one hash of a random secret, made when first needed


def dummy_secret_hash() -> str:
    """A stored-like hash of a random secret (the same scrypt cost): an unknown client id is checked against
    it, so that it takes as long as a known one with a wrong secret (issue 22)."""
    if not _dummy:
        _dummy.append(hash_secret(secrets.token_urlsafe(32)))
    return _dummy[0]


def secret_matches(secret: str, stored: str) -> bool:
    try:
        _, salt_hex, _ = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(hash_secret(secret, bytes.fromhex(salt_hex)), stored)
