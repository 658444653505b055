"""Guessing staff passwords (issue 22, items 5-7): slowed per account and address, refused early with 429
and Retry-After (never a sleeping request), never a lock-out of the right password from an address that
signed in before, the owner told at the next sign-in, and nothing that says which user names exist."""
from __future__ import annotations

import logging
import re

import pytest

from services.web import accounts, repository
from shared.throttle import GuessThrottle
from tests.unit.web.conftest import PASSWORD, csrf_of

STRANGER, OFFICE, HOME = "203.0.113.7", "198.51.100.20", "192.0.2.44"
WRONG = "not the password at all"


def attempt(app, username: str, password: str = PASSWORD, address: str = STRANGER, **headers):
    """One sign-in from `address` in a fresh browser."""
    client = app.test_client()
    page = client.get("/login", environ_base={"REMOTE_ADDR": address})
    return client.post("/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.data)},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def error_of(response) -> str:
    found = re.search(r'<p class="flash error" role="alert">([^<]*)</p>', response.get_data(as_text=True))
    return found.group(1) if found else ""


class TestGuessingIsSlowedNotSlept:
    def test_after_five_wrong_passwords_the_address_is_refused_early_with_retry_after(self, app, web):
        assert [attempt(app, "consultant", WRONG).status_code for _ in range(5)] == [401] * 5
        waits = []
        for _ in range(3):
            refused = attempt(app, "consultant", WRONG)
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            web.clock.advance(seconds=waits[-1])
            assert attempt(app, "consultant", WRONG).status_code == 401
        assert waits == [1, 2, 4]
        assert not hasattr(web, "sleep")  # nothing waits inside a request any more

    def test_the_refusal_is_the_sign_in_page_with_a_dutch_message(self, app):
        for _ in range(5):
            attempt(app, "consultant", WRONG)
        refused = attempt(app, "consultant", WRONG)
        html = refused.get_data(as_text=True)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1"
        assert error_of(refused) == "Te veel mislukte pogingen om aan te melden. Probeer het over 1 seconde opnieuw."
        assert 'name="password"' in html and "Too many" not in html  # the form, for a person to try again

    def test_a_long_wait_is_said_in_minutes(self, app, web):
        for _ in range(16):  # what 16 guesses would earn, without paying scrypt for each
            web.throttle.failed("consultant", accounts_source(web, STRANGER))
        refused = attempt(app, "consultant", WRONG)
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
        assert error_of(refused) == "Te veel mislukte pogingen om aan te melden. Probeer het over 15 minuten opnieuw."

    def test_beyond_the_password_checks_a_process_runs_at_once_an_attempt_is_refused_at_once(
            self, app, web, hash_checks):
        """A flood of new names from new addresses, which no per-name rule slows, keeps threads free."""
        for _ in range(web.settings.signin_concurrent_checks):
            assert web.password_checks.acquire(blocking=False)  # as if that many were checking now
        refused = attempt(app, "consultant")
        assert refused.status_code == 429 and refused.headers["Retry-After"] == "1" and hash_checks() == 0
        web.password_checks.release()
        assert attempt(app, "consultant").status_code == 302

    def test_the_right_password_waits_too_where_that_address_guessed_wrong(self, app, web):
        for _ in range(5):
            attempt(app, "consultant", WRONG)
        assert attempt(app, "consultant").status_code == 429  # a 429 says nothing about the password
        web.clock.advance(seconds=1)
        assert attempt(app, "consultant").status_code == 302
        assert [attempt(app, "consultant", WRONG).status_code for _ in range(5)] == [401] * 5  # counted afresh


class TestNoLockOut:
    def test_a_stranger_guessing_does_not_stop_the_owner_elsewhere(self, app):
        for _ in range(8):
            attempt(app, "consultant", WRONG)
        assert attempt(app, "consultant", WRONG).status_code == 429
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        assert attempt(app, "consultant", address=HOME).status_code == 302  # a first-time address too

    def test_many_addresses_stop_new_addresses_but_never_one_that_signed_in_before(self, app, web):
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        limit = web.settings.signin_account_failures
        for n in range(limit):
            assert attempt(app, "consultant", WRONG, address=f"203.0.113.{n}").status_code == 401
        newcomer = attempt(app, "consultant", address=HOME)
        assert newcomer.status_code == 429 and 0 < int(newcomer.headers["Retry-After"]) <= 600
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        web.clock.advance(minutes=10)
        assert attempt(app, "consultant", address=HOME).status_code == 302

    def test_the_address_is_remembered_in_the_store_not_only_in_one_processs_memory(self, app, web):
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        web.throttle = GuessThrottle(web.clock, spread=(3, 600.0))  # another process, or this one restarted
        for n in range(3):
            web.throttle.failed("consultant", accounts_source(web, f"203.0.113.{n}"))
        assert attempt(app, "consultant", address=HOME).status_code == 429
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        stored = repository.find_account("consultant").known_sources
        assert stored and "198.51.100.20" not in str(stored)  # keyed digests, never the address

    def test_a_new_password_forgets_the_addresses(self, app, web):
        assert attempt(app, "consultant", address=OFFICE).status_code == 302
        accounts.set_password("consultant", "another long password")
        assert repository.find_account("consultant").known_sources == []

    def test_behind_a_known_proxy_the_forwarded_address_counts(self, web):
        from services.web.app import create_app

        web.settings = web.settings.with_(trusted_proxy_hops=1)
        app = create_app(web=web)
        for _ in range(6):
            attempt(app, "consultant", WRONG, "10.0.0.5", **{"X-Forwarded-For": STRANGER})
        assert attempt(app, "consultant", WRONG, "10.0.0.5", **{"X-Forwarded-For": STRANGER}).status_code == 429
        assert attempt(app, "consultant", address="10.0.0.5", **{"X-Forwarded-For": OFFICE}).status_code == 302

    def test_x_forwarded_for_is_not_believed_by_default(self, app):
        for n in range(5):
            attempt(app, "consultant", WRONG, **{"X-Forwarded-For": f"192.0.2.{n}"})
        assert attempt(app, "consultant", WRONG, **{"X-Forwarded-For": "192.0.2.200"}).status_code == 429


class TestTheOwnerIsTold:
    def test_the_page_after_the_next_sign_in_says_how_many_and_when(self, app, web, api, caplog):
        for _ in range(3):
            attempt(app, "admin", WRONG)
            web.clock.advance(minutes=1)
        stored = repository.find_account("admin")
        assert stored.failed_logins == 3 and stored.last_failed_at.replace(tzinfo=None) == \
            web.clock.now().replace(tzinfo=None, minute=2)
        client = app.test_client()
        page = client.get("/login", environ_base={"REMOTE_ADDR": OFFICE})
        with caplog.at_level(logging.INFO, logger="homeward.web.signin"):
            landed = client.post("/login", data={"username": "admin", "password": PASSWORD,
                                                 "csrf_token": csrf_of(page.data)},
                                 environ_base={"REMOTE_ADDR": OFFICE}, follow_redirects=True)
        html = landed.get_data(as_text=True)
        assert landed.status_code == 200 and landed.request.path == "/partners"
        assert ("Sinds uw vorige aanmelding is 3 keer geprobeerd op uw account aan te melden met een verkeerd "
                "wachtwoord, het laatst op 2 mrt 2026, 10:02") in html  # 09:02 UTC in Europe/Amsterdam
        assert "Was u dat niet? Laat het dan een beheerder weten." in html
        assert any("admin" in r.getMessage() and "3 failed" in r.getMessage() for r in caplog.records)
        assert repository.find_account("admin").failed_logins == 0
        assert "Sinds uw vorige aanmelding" not in client.get("/partners").get_data(as_text=True)  # once

    def test_each_failure_is_logged_for_the_account_without_the_password(self, app, caplog):
        with caplog.at_level(logging.INFO, logger="homeward.web.signin"):
            attempt(app, "consultant", WRONG)
            attempt(app, "nobody", WRONG)
        lines = [r.getMessage() for r in caplog.records if r.name == "homeward.web.signin"]
        assert any("consultant" in line and "1 since" in line for line in lines), lines
        assert len(lines) == 2 and not any(WRONG in line or "nobody" in line for line in lines)


def accounts_source(web, address: str) -> str:
    from services.web import signin

    return signin.source_key(address, web.settings.secret_key)


class TestNothingSaysWhichNamesExist:
    """An unknown name, a wrong password, a deactivated account and one that signs in only through the
    identity provider: the same status and words, after the same work (one scrypt check; before, 0.07 s for
    an unknown name against up to 1.08 s for a known one, which slept)."""

    @pytest.fixture
    def others(self, web):
        accounts.create_account("gone", "consultant", PASSWORD, web.clock.now())
        accounts.set_active("gone", False)
        accounts.create_account("external", "consultant", None, web.clock.now())

    @pytest.mark.parametrize("name, password", [("nobody", WRONG), ("consultant", WRONG), ("gone", PASSWORD),
                                                ("external", PASSWORD)])
    def test_the_same_answers_after_the_same_work(self, app, others, hash_checks, name, password):
        answers = []
        for _ in range(6):
            hash_checks.reset()
            answer = attempt(app, name, password)
            answers.append((answer.status_code, error_of(answer), hash_checks()))
        assert answers == [(401, "Onbekende gebruikersnaam of verkeerd wachtwoord.", 1)] * 5 + [
            (429, "Te veel mislukte pogingen om aan te melden. Probeer het over 1 seconde opnieuw.", 0)]

    @pytest.mark.parametrize("hostile", ["", "   ", "a" * 5000, "consultant\x00", "{'$ne': None}", "CONSULTANT\t",
                                         "consultant\r\nSet-Cookie: homeward_session=x", "\u00ff" * 70, "../admin"])
    def test_hostile_user_names_are_unknown_names(self, app, hash_checks, hostile):
        answer = attempt(app, hostile, WRONG)
        assert answer.status_code == 401 and error_of(answer) == "Onbekende gebruikersnaam of verkeerd wachtwoord."
        assert hash_checks() == 1 and "homeward_session=x" not in str(answer.headers)
