"""Passwords of people (staff accounts in the web app, partner users in partners): scrypt hashes.

scrypt (RFC 7914) with n=2**14, r=8: 16 MiB and some tens of milliseconds per hash, so a stolen
table of hashes is slow to attack. `verify_or_pretend` checks a password against a dummy hash when
there is no account, so an unknown user name costs as long as a wrong password (no enumeration by
timing).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}  # 16 MiB per hash: memory-hard (RFC 7914)
MAX_MEMORY = 64 * 1024 * 1024
MIN_PASSWORD = 12
_dummy: list[str] = []  # one hash of a random password, made when first needed


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, maxmem=MAX_MEMORY, **SCRYPT)
    return "scrypt${n}${r}${p}$".format(**SCRYPT) + base64.b64encode(salt).decode() + "$" + \
        base64.b64encode(digest).decode()


def verify_password(stored: str, password: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        salt_b, digest_b = base64.b64decode(salt), base64.b64decode(digest)
    except ValueError:
        return False
    candidate = hashlib.scrypt(password.encode(), salt=salt_b, n=int(n), r=int(r), p=int(p),
                               dklen=len(digest_b), maxmem=MAX_MEMORY)
    return hmac.compare_digest(candidate, digest_b)


def verify_or_pretend(stored: str | None, password: str) -> bool:
    """`verify_password`, or the same work against a dummy hash (and False) when nothing is stored."""
    if stored:
        return verify_password(stored, password)
    verify_password(dummy_hash(), password)
    return False


def dummy_hash() -> str:
    """The hash of a random password that `verify_or_pretend` checks against; a service makes it when it starts,
    so that not even its first unknown user name costs more than a known one."""
    if not _dummy:
        _dummy.append(hash_password(secrets.token_hex(8)))
    return _dummy[0]
