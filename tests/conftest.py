"""Fixtures every test level shares: a throwaway signing key and tokens signed with it."""
from __future__ import annotations

import pytest

from shared.auth import TokenIssuer, load_private_key
from shared.config import Settings


@pytest.fixture(scope="session")
def key_file(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("keys") / "test-signing-key.pem"
    load_private_key(str(path), create_dev_key=True)
    return str(path)


@pytest.fixture(scope="session")
def issuer(key_file) -> TokenIssuer:
    return TokenIssuer(load_private_key(key_file), "homeward")


@pytest.fixture(scope="session")
def auth(issuer):
    """auth(role, org=None, ttl=None) -> headers with a bearer token."""

    def make(role: str, org: str | None = None, ttl: int | None = None, sub: str | None = None) -> dict:
        token, _ = issuer.issue(sub or f"test-{role}", role, org=org, ttl=ttl)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def settings_for(key_file):
    """settings_for(service, **env) -> Settings for tests (in-memory store, test signing key)."""

    def make(service: str, **env) -> Settings:
        environ = {"JWT_SIGNING_KEY_FILE": key_file, "MONGODB_DB": f"homeward_{service}_test",
                   **{k.upper(): str(v) for k, v in env.items()}}
        return Settings.from_env(service, environ=environ)

    return make
