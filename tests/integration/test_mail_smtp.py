"""Real SMTP: the transport to a local aiosmtpd server (shared.mail.devserver) that keeps .eml files."""
from __future__ import annotations

import smtplib
from email import message_from_bytes, policy

import pytest

from shared.mail.smtp import MailSettings, SmtpTransport, build_message
from shared.mail.texts import render
from tests.helpers import eventually


def mail(lang="fr"):
    rendered = render("offer_new", lang, country="GN", link="http://portal/offers")
    return {"_id": "mail_01J", "to": "fw@example.org", "lang": lang, "subject": rendered.subject,
            "text": rendered.text, "html": rendered.html}


def test_a_mail_sent_over_smtp_is_kept_as_an_eml_file_with_text_and_html(smtp_server):
    controller, directory = smtp_server
    settings = MailSettings(host="127.0.0.1", port=controller.port, sender="Homeward <no-reply@homeward.test>")
    from datetime import datetime, timezone

    SmtpTransport(settings).send(build_message(mail(), settings.sender, datetime.now(timezone.utc)))
    files = eventually(lambda: list(directory.glob("*.eml")), message="an .eml file")
    received = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert received["To"] == "fw@example.org" and received["Subject"] == "Nouvelle offre de transfert"
    assert "Guinée" in received.get_body(("plain",)).get_content()
    assert 'href="http://portal/offers"' in received.get_body(("html",)).get_content()


@pytest.mark.parametrize("settings", [{"starttls": True}, {"user": "homeward", "password": "secret"}])
def test_starttls_and_credentials_are_asked_for_when_configured(smtp_server, settings):
    """The local server offers neither: a transport configured for them refuses to send in clear."""
    controller, directory = smtp_server
    transport = SmtpTransport(MailSettings(host="127.0.0.1", port=controller.port, **settings))
    from datetime import datetime, timezone

    with pytest.raises(smtplib.SMTPException):
        transport.send(build_message(mail(), "h@homeward.test", datetime.now(timezone.utc)))
    assert list(directory.glob("*.eml")) == []
