"""The web app's production settings and the terminal command that creates the first administrator."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import mongoengine
import pytest

from services.web import accounts, manage, signin
from services.web.config import WebSettings
from shared.clock import SystemClock
from shared.config import ConfigError

PRODUCTION = {"HOMEWARD_ENV": "production", "MONGODB_URI": "mongodb://db-0:27017/?replicaSet=rs0",
              "WEB_JWT_SIGNING_KEY_FILE": "/run/secrets/web-jwt-signing-key.pem"}


class TestProductionSettings:
    def test_the_secret_key_can_come_from_a_mounted_secret_file(self, tmp_path):
        secret = tmp_path / "web-secret-key"
        secret.write_text("k" * 48 + "\n")
        settings = WebSettings.from_env({**PRODUCTION, "WEB_SECRET_KEY_FILE": str(secret)})
        assert settings.secret_key == "k" * 48 and settings.production

    @pytest.mark.parametrize("change, problem", [
        ({}, "WEB_SECRET_KEY"),
        ({"WEB_SECRET_KEY": "too short"}, "at least 32 characters"),
        ({"WEB_SECRET_KEY_FILE": "/nonexistent/web-secret-key"}, "WEB_SECRET_KEY_FILE"),
        ({"WEB_SECRET_KEY": "s" * 40, "WEB_JWT_SIGNING_KEY_FILE": ""}, "WEB_JWT_SIGNING_KEY_FILE"),
        ({"WEB_SECRET_KEY": "s" * 40, "MONGODB_URI": ""}, "MONGODB_URI"),
    ])
    def test_production_refuses_missing_or_weak_secrets(self, change, problem):
        with pytest.raises(ConfigError, match=problem):
            WebSettings.from_env({**PRODUCTION, **change})


class TestFirstAdministrator:
    @pytest.fixture
    def settings(self):
        yield WebSettings(mongodb_db="homeward_web_test")
        mongoengine.get_db("web").client.drop_database("homeward_web_test")

    def test_is_created_from_a_terminal_with_the_password_on_stdin_and_can_sign_in(self, settings, capsys):
        assert manage.main(["create-account", "Alice", "admin", "--email", "alice@example.org"], stdin=io.StringIO("a long enough password\n"),
                           settings=settings) == 0
        guesses = signin.throttle(SystemClock(), settings)
        signed = signin.authenticate("alice", "a long enough password", "a desk", datetime.now(timezone.utc), guesses)
        assert signed.outcome == "ok" and signed.account.role == "admin"

    def test_a_short_password_or_an_unknown_account_is_refused(self, settings, capsys):
        assert manage.main(["create-account", "bob", "admin", "--email", "bob@example.org"], stdin=io.StringIO("short"), settings=settings) == 1
        assert "At least 12 characters" in capsys.readouterr().err
        assert accounts.account("bob") is None
        assert manage.main(["set-password", "bob"], stdin=io.StringIO("a long enough password"),
                           settings=settings) == 1
