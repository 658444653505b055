"""Sealing personal data for crypto-shredding: each returnee's `personal` travels encrypted with a key
of its own, kept by intake. Destroying the key makes every copy in the Kafka log unreadable."""
from __future__ import annotations

import json

from cryptography.fernet import Fernet, InvalidToken

ALGORITHM = "fernet"


class Unreadable(Exception):
    """The sealed data does not open with this key."""


def new_key() -> str:
    return Fernet.generate_key().decode()


def seal(key: str, key_id: str, data: dict) -> dict:
    return {"sealed": ALGORITHM, "key_id": key_id,
            "ciphertext": Fernet(key.encode()).encrypt(json.dumps(data, sort_keys=True).encode()).decode()}


def is_sealed(value) -> bool:
    return isinstance(value, dict) and value.get("sealed") == ALGORITHM and "ciphertext" in value


def unseal(key: str, sealed: dict) -> dict:
    try:
        return json.loads(Fernet(key.encode()).decrypt(sealed["ciphertext"].encode()))
    except (InvalidToken, ValueError) as exc:
        raise Unreadable("the key does not open this data") from exc
