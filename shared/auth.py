"""Tokens: RS256 JWTs issued by the partners service (partners) or an identity provider (staff).

Every service verifies tokens against the public keys it trusts: the public half of the local
signing key (when it has one) and the key sets at `JWT_JWKS_URLS`. Authorisation then comes from
the token's claims (`role`, `org`), never from the request.

Run `python -m shared.auth <role> [--sub NAME] [--ttl SECONDS]` to mint a staff token for local use.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.texts import Text

STAFF_ROLES = ("consultant", "project_lead", "admin")
ROLES = STAFF_ROLES + ("partner", "service")  # service: one Homeward service calling another
DEV_KEY_MARKER = b"# homeward development key: never use in production\n"


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class Principal:
    sub: str
    role: str
    org: str | None = None
    scope: str = ""
    partner_role: str | None = None  # a partner organisation's person: coordinator or field_worker
    issued_at: float = 0.0  # the token's `iat`: a revocation ends the tokens issued at or before it
    offices: tuple[str, ...] = ()  # a staff member's offices (claim `offices`): whose clients they read (shared.access)
    caseload: tuple[str, ...] = ()  # the staff whose followed clients they read too: team, covered for (`caseload`)

    @property
    def is_partner(self) -> bool:
        return self.role == "partner"


def load_private_key(path: str, create_dev_key: bool = False):
    """Load a PEM RSA key; in development, create one at `path` when it is missing."""
    file = Path(path)
    if not file.exists():
        if not create_dev_key:
            raise FileNotFoundError(f"signing key {path} not found")
        file.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        tmp = file.with_suffix(".tmp")
        tmp.write_bytes(DEV_KEY_MARKER + pem)
        tmp.chmod(0o600)
        tmp.replace(file)
    raw = file.read_bytes()
    start = raw.find(b"-----BEGIN")
    return serialization.load_pem_private_key(raw[start:], password=None)


def key_id(public_key) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER,
                                  serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def jwks(public_keys) -> dict:
    keys = []
    for public_key in public_keys:
        jwk = RSAAlgorithm.to_jwk(public_key, as_dict=True)
        keys.append({**jwk, "kid": key_id(public_key), "use": "sig", "alg": "RS256"})
    return {"keys": keys}


class TokenIssuer:
    """Signs tokens; `ttl_seconds` (at most 15 minutes) is the lifetime of partner tokens."""

    def __init__(self, private_key, issuer: str, ttl_seconds: int = 900, clock=time.time):
        self._key = private_key
        self.kid = key_id(private_key.public_key())
        self.issuer = issuer
        self.ttl = min(ttl_seconds, 900)
        self._clock = clock

    def issue(self, sub: str, role: str, org: str | None = None, scope: str = "",
              ttl: int | None = None, partner_role: str | None = None, offices=(), caseload=()) -> tuple[str, int]:
        if role not in ROLES:
            raise ValueError(f"unknown role {role}")
        instant = self._clock()
        now = int(instant)
        lifetime = self.ttl if ttl is None else ttl
        # `iat` to the millisecond (RFC 7519 allows it): a revocation ends exactly the tokens issued before it
        claims = {"iss": self.issuer, "sub": sub, "role": role, "scope": scope,
                  "iat": round(instant, 3), "nbf": now, "exp": now + lifetime}
        if org:
            claims["org"] = org
        if partner_role:
            claims["partner_role"] = partner_role
        if offices:
            claims["offices"] = sorted(offices)
        if caseload:
            claims["caseload"] = sorted(caseload)
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self.kid})
        return token, lifetime


class TokenVerifier:
    """Verifies RS256 tokens; a verified token is remembered until it expires (checking RS256 on every
    request costs ~30x decoding the payload, see bench/RESULTS.md)."""

    CACHE_SIZE = 10_000

    def __init__(self, public_keys=(), jwks_urls=(), issuers=("homeward",), leeway: int = 30, clock=time.time,
                 revoked=None):
        self._keys = {key_id(k): k for k in public_keys}
        self._jwks = [jwt.PyJWKClient(url, cache_keys=True, lifespan=300, timeout=5) for url in jwks_urls]
        self._issuers = list(issuers)
        self._leeway = leeway
        self._clock = clock
        self._verified: dict[str, tuple[Principal, float]] = {}
        self._revoked = revoked  # Principal -> bool: ended before its expiry (shared.revocations), checked every time

    def _key_for(self, token: str):
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError as exc:
            raise InvalidToken("malformed token") from exc
        if kid in self._keys:
            return self._keys[kid]
        for client in self._jwks:
            try:
                return client.get_signing_key(kid).key
            except jwt.PyJWKClientError:
                continue
        raise InvalidToken("unknown signing key")

    def verify(self, token: str) -> Principal:
        cached = self._verified.get(token)
        if cached is not None:
            if self._clock() >= cached[1] + self._leeway:
                self._verified.pop(token, None)
                raise InvalidToken("token expired")
            principal = cached[0]
        else:
            principal, expires = self._verify(token)
            if len(self._verified) >= self.CACHE_SIZE:
                self._verified.clear()  # simple and bounded: the next requests verify again
            self._verified[token] = (principal, expires)
        if self._revoked is not None and self._revoked(principal):
            raise InvalidToken("token revoked")
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        key = self._key_for(token)
        try:
            claims = jwt.decode(token, key, algorithms=["RS256"], issuer=self._issuers,
                                leeway=self._leeway, options={"require": ["exp", "iat", "sub", "iss"]})
        except jwt.ExpiredSignatureError as exc:
            raise InvalidToken("token expired") from exc
        except jwt.PyJWTError as exc:
            raise InvalidToken(Text("invalid token: {reason}", reason=exc)) from exc
        role = claims.get("role")
        if role not in ROLES:
            raise InvalidToken("token has no known role")
        if role == "partner" and not claims.get("org"):
            raise InvalidToken("partner token without organisation")
        partner_role = claims.get("partner_role") if role == "partner" else None
        staff = role in STAFF_ROLES
        return Principal(sub=str(claims["sub"]), role=role, org=claims.get("org"), scope=str(claims.get("scope", "")),
                         partner_role=partner_role if isinstance(partner_role, str) else None,
                         issued_at=float(claims["iat"]), offices=_names(claims.get("offices")) if staff else (),
                         caseload=_names(claims.get("caseload")) if staff else ()), float(claims["exp"])


def _names(claim) -> tuple[str, ...]:
    """A claim that lists names (`offices`, `caseload`) as a tuple; anything else as none."""
    return tuple(sorted({n for n in claim if isinstance(n, str) and n})) if isinstance(claim, list) else ()


def trusted_public_keys(settings) -> list:
    """The public halves of the local signing key (if any) and of retired keys kept during a rotation."""
    keys = []
    if settings.jwt_signing_key_file:
        keys.append(load_private_key(settings.jwt_signing_key_file,
                                     create_dev_key=not settings.production).public_key())
    keys += [load_private_key(path).public_key() for path in settings.jwt_verification_key_files]
    return keys


def verifier_for(settings, public_keys: list | None = None, revoked=None) -> "TokenVerifier":
    """The verifier a service uses: its local keys and the configured key sets and issuers; `revoked` (a
    `shared.revocations.Revocations.ended`) refuses the tokens revoked before their expiry."""
    keys = trusted_public_keys(settings) if public_keys is None else public_keys
    return TokenVerifier(keys, settings.jwt_jwks_urls, settings.jwt_trusted_issuers, revoked=revoked)


def main(argv=None) -> int:
    """Mint a staff token signed with the local key (development only)."""
    from shared.config import Settings

    parser = argparse.ArgumentParser(prog="python -m shared.auth", description=main.__doc__)
    parser.add_argument("role", choices=STAFF_ROLES)
    parser.add_argument("--sub", default=None, help="who the token is for (default: local-<role>)")
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="lifetime in seconds (default 12 h)")
    parser.add_argument("--offices", default="", help="the offices whose clients a consultant reads, comma-separated")
    args = parser.parse_args(argv)
    settings = Settings.from_env("cli")
    key = load_private_key(settings.jwt_signing_key_file, create_dev_key=not settings.production)
    issuer = TokenIssuer(key, settings.jwt_issuer)
    offices = [office.strip() for office in args.offices.split(",") if office.strip()]
    token, _ = issuer.issue(args.sub or f"local-{args.role}", args.role, ttl=args.ttl, offices=offices)
    sys.stdout.write(token + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

