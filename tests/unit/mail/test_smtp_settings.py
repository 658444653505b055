"""The SMTP settings as a deployment gives them: the password from a mounted secret file."""
from __future__ import annotations

import pytest

from shared.config import ConfigError
from shared.mail.smtp import MailSettings


def test_the_password_comes_from_smtp_password_file_without_its_line_break(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("pa ss\n")
    settings = MailSettings.from_env({"SMTP_HOST": "smtp.example.org", "SMTP_USER": "homeward",
                                      "SMTP_PASSWORD": "ignored", "SMTP_PASSWORD_FILE": str(secret)})
    assert settings.password == "pa ss" and settings.user == "homeward"


def test_an_empty_password_file_means_no_password(tmp_path):
    secret = tmp_path / "smtp-password"
    secret.write_text("")
    assert MailSettings.from_env({"SMTP_PASSWORD_FILE": str(secret)}).password == ""


def test_a_missing_password_file_is_refused_at_start(tmp_path):
    with pytest.raises(ConfigError, match="SMTP_PASSWORD_FILE"):
        MailSettings.from_env({"SMTP_PASSWORD_FILE": str(tmp_path / "absent")})


def test_without_a_file_smtp_password_is_read():
    assert MailSettings.from_env({"SMTP_PASSWORD": "secret"}).password == "secret"
