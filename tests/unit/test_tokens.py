"""Token verification: signature, issuer, expiry, roles, and the cache of verified tokens."""
from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.auth import InvalidToken, TokenIssuer, TokenVerifier


@pytest.fixture(scope="module")
def key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_valid_partner_token_gives_role_and_organisation(key):
    token, _ = TokenIssuer(key, "homeward").issue("c1", "partner", org="prt_1")
    principal = TokenVerifier([key.public_key()]).verify(token)
    assert (principal.sub, principal.role, principal.org, principal.is_partner) == ("c1", "partner", "prt_1", True)


@pytest.mark.parametrize("issuer,claims,message", [
    ("elsewhere", {}, "invalid token"),
    ("homeward", {"ttl": -120}, "expired"),
])
def test_bad_tokens_are_refused(key, issuer, claims, message):
    token, _ = TokenIssuer(key, issuer).issue("c1", "consultant", ttl=claims.get("ttl"))
    with pytest.raises(InvalidToken, match=message):
        TokenVerifier([key.public_key()]).verify(token)


def test_a_partner_token_needs_an_organisation(key):
    token, _ = TokenIssuer(key, "homeward").issue("c1", "partner")
    with pytest.raises(InvalidToken, match="organisation"):
        TokenVerifier([key.public_key()]).verify(token)


def test_a_cached_token_still_expires(key):
    clock = Clock(time.time())
    token, ttl = TokenIssuer(key, "homeward", clock=clock).issue("c1", "consultant", ttl=60)
    verifier = TokenVerifier([key.public_key()], clock=clock, leeway=0)
    assert verifier.verify(token).role == "consultant"
    assert verifier.verify(token).role == "consultant"  # from the cache
    clock.now += ttl + 1
    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_tokens_from_an_unknown_key_are_refused(key):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token, _ = TokenIssuer(other, "homeward").issue("c1", "admin")
    with pytest.raises(InvalidToken, match="unknown signing key"):
        TokenVerifier([key.public_key()]).verify(token)
