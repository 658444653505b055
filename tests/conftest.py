"""Fixtures every test level shares: a throwaway signing key and tokens signed with it, settings
on an in-memory store, and the guard that keeps tests away from real data.

With `MONGODB_URI` set, tests that take `settings_for` run against that MongoDB instead (the same
repository tests), in databases whose names end in `_test`, dropped before and after each test.
"""
from __future__ import annotations

import os

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
    """auth(role, org=None, ttl=None, sub=None, offices=(), caseload=()) -> headers with a bearer token."""

    def make(role: str, org: str | None = None, ttl: int | None = None, sub: str | None = None,
             offices=(), caseload=()) -> dict:
        token, _ = issuer.issue(sub or f"test-{role}", role, org=org, ttl=ttl, offices=offices, caseload=caseload)
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def settings_for(key_file):
    """settings_for(service, **env) -> Settings for tests (in-memory store, test signing key)."""

    made = []

    def make(service: str, **env) -> Settings:
        environ = {"JWT_SIGNING_KEY_FILE": key_file, "MONGODB_DB": f"homeward_{service}_test",
                   "MONGODB_URI": os.environ.get("MONGODB_URI", ""),
                   **{k.upper(): str(v) for k, v in env.items()}}
        settings = refuse_unless_test_database(Settings.from_env(service, environ=environ))
        drop_test_database(settings)
        made.append(settings)
        return settings

    yield make
    for settings in made:
        drop_test_database(settings)


class RealDataRefused(Exception):
    """A test was about to use a database that is not a test database."""


def refuse_unless_test_database(settings):
    """Refuse any database whose name does not end in `_test` (flask-mongoengine's guard): a test
    pointed at a real MongoDB must never touch production or development data."""
    if not settings.mongodb_db.endswith("_test"):
        raise RealDataRefused(f"refusing database {settings.mongodb_db!r}: test databases end in _test")
    return settings


def drop_test_database(settings, client_class=None) -> None:
    """Start and leave a real test database empty; the in-memory store is fresh on every connect."""
    if not settings.mongodb_uri:
        return
    refuse_unless_test_database(settings)
    if client_class is None:
        from pymongo import MongoClient as client_class
    with client_class(settings.mongodb_uri, serverSelectionTimeoutMS=5000) as client:
        client.drop_database(settings.mongodb_db)


@pytest.fixture
def smtp_server(tmp_path):
    """A real SMTP server on a free loopback port keeping each mail as an .eml file (shared.mail.devserver):
    yields (controller, directory); `controller.port` is where to send."""
    from shared.mail import devserver

    directory = tmp_path / "mail"
    controller = devserver.start(directory)
    yield controller, directory
    controller.stop()
