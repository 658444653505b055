"""An administrator's password reset ends the account's open sessions (issue 22, item 4), as deactivation does:
whoever knew the old password and signed in with it is signed out at once. An administrator resetting their own
password keeps the session they do it in."""
from __future__ import annotations

from services.web import accounts
from tests.unit.web.conftest import PASSWORD

NEW = "another long enough password"


def _signed_out(b) -> bool:
    response = b.client.get("/countries")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_reset_signs_the_account_out_everywhere(browser):
    first, second = browser("consultant"), browser("consultant")
    admin = browser("admin")
    admin.get("/staff")
    assert admin.post("/staff/consultant", {"action": "password", "password": NEW}).status_code == 302
    assert _signed_out(first) and _signed_out(second)
    assert not _signed_out(admin)
    assert browser().sign_in("consultant", NEW).status_code == 302  # the new password works
    assert browser().sign_in("consultant", PASSWORD).status_code != 302


def test_resetting_ones_own_password_keeps_this_session_and_ends_the_others(browser):
    elsewhere, here = browser("admin"), browser("admin")
    here.get("/staff")
    assert here.post("/staff/admin", {"action": "password", "password": NEW}).status_code == 302
    assert _signed_out(elsewhere)
    assert not _signed_out(here)


def test_a_refused_password_ends_nothing(browser):
    consultant, admin = browser("consultant"), browser("admin")
    admin.get("/staff")
    assert admin.post("/staff/consultant", {"action": "password", "password": "short"}).status_code == 422
    assert not _signed_out(consultant)


def test_the_command_line_reset_ends_the_sessions_too(browser):
    consultant = browser("consultant")
    accounts.set_password("consultant", NEW)
    assert _signed_out(consultant)
