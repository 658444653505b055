"""Sending a mail over SMTP (smtplib), and where to: SMTP_HOST, SMTP_PORT, SMTP_STARTTLS, SMTP_USER,
SMTP_PASSWORD (or SMTP_PASSWORD_FILE, a mounted secret), MAIL_FROM. Without SMTP_HOST no mail is sent (it waits in the delivery log as pending).
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from shared.config import ConfigError

TIMEOUT_SECONDS = 20
DEFAULT_DIGEST_TIME_ZONE = "Europe/Amsterdam"  # the programme's


def _hour(raw: str) -> time:
    """DIGEST_HOUR: `HH:MM` (or `HH`), 00:00 to 23:59; empty: 07:00."""
    raw = raw.strip()
    if not raw:
        return time(7, 0)
    try:
        hours, _, minutes = raw.partition(":")
        return time(int(hours), int(minutes or 0))
    except ValueError as error:
        raise ConfigError(f"DIGEST_HOUR must be HH:MM, 00:00 to 23:59 (got {raw!r})") from error


def _zone(raw: str) -> str:
    name = raw.strip() or DEFAULT_DIGEST_TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ConfigError(f"DIGEST_TIME_ZONE {name!r} is not a known time zone (an IANA name)") from error
    return name


def _password(environ) -> str:
    """SMTP_PASSWORD, or the contents of the file SMTP_PASSWORD_FILE names (its final line break dropped)."""
    path = environ.get("SMTP_PASSWORD_FILE", "")
    if path:
        try:
            with open(path, encoding="utf-8") as fh:
                return fh.read().rstrip("\r\n")
        except OSError as error:
            raise ConfigError(f"SMTP_PASSWORD_FILE {path}: {error.strerror}") from error
    return environ.get("SMTP_PASSWORD", "")


@dataclass(frozen=True)
class MailSettings:
    host: str = ""
    port: int = 25
    starttls: bool = False
    user: str = ""
    password: str = ""
    sender: str = "Homeward <no-reply@homeward.invalid>"
    digest_hour: time = time(7, 0)  # when the daily digest goes out (DIGEST_HOUR, HH:MM) ...
    digest_time_zone: str = DEFAULT_DIGEST_TIME_ZONE  # ... in this time zone (DIGEST_TIME_ZONE, IANA name)
    interval_seconds: float = 2.0  # how often the sender looks for due mail

    @classmethod
    def from_env(cls, environ) -> "MailSettings":
        def number(name, default, kind=int):
            raw = environ.get(name, "").strip()
            return kind(raw) if raw else default

        return cls(host=environ.get("SMTP_HOST", "").strip(), port=number("SMTP_PORT", 25),
                   starttls=environ.get("SMTP_STARTTLS", "0").strip().lower() in ("1", "true", "yes"),
                   user=environ.get("SMTP_USER", ""), password=_password(environ),
                   sender=environ.get("MAIL_FROM", "").strip() or cls.sender,
                   digest_hour=_hour(environ.get("DIGEST_HOUR", "")),
                   digest_time_zone=_zone(environ.get("DIGEST_TIME_ZONE", "")),
                   interval_seconds=number("MAIL_INTERVAL_SECONDS", 2.0, float))


def build_message(mail: dict, sender: str, now) -> EmailMessage:
    """A multipart/alternative message: the plain text, then the HTML, from the stored entry."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail["to"]
    message["Subject"] = mail["subject"]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring=mail["_id"], domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to these
    if mail.get("unsubscribe") or mail.get("one_click"):  # RFC 2369; RFC 8058 where one POST turns it off
        message["List-Unsubscribe"] = f"<{mail.get('one_click') or mail['unsubscribe']}>"
        if mail.get("one_click"):
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail["text"])
    message.add_alternative(mail["html"], subtype="html")
    message["Content-Language"] = mail["lang"]  # after the content, which replaces Content-* headers
    return message


class AbstractTransport:
    def send(self, message: EmailMessage) -> None:
        """Hand the message to the server; raise on any refusal or failure."""
        raise NotImplementedError


class SmtpTransport(AbstractTransport):
    def __init__(self, settings: MailSettings):
        self.settings = settings

    def send(self, message: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS) as client:
            client.ehlo()
            if s.starttls:
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if s.user:
                client.login(s.user, s.password)
            client.send_message(message)
