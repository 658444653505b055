"""The one guess throttle (shared/throttle.py) of the token endpoint, the partners' invitations and the staff
sign-in, on a manual clock: its rules, without HTTP (the services' own tests go through their routes)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from shared import throttle
from shared.clock import ManualClock
from shared.throttle import GuessThrottle


@pytest.fixture
def clock():
    return ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))


def fail(guesses: GuessThrottle, times: int, key: str = "k", source: str = "a") -> None:
    for _ in range(times):
        guesses.failed(key, source)


class TestPerKeyAndAddress:
    def test_free_failures_then_waits_doubling_up_to_a_quarter_of_an_hour(self, clock):
        guesses = GuessThrottle(clock, free_failures=3, spread=None)
        fail(guesses, 2)
        assert guesses.wait("k", "a") is None
        waits = []
        for _ in range(12):
            fail(guesses, 1)
            waits.append(guesses.wait("k", "a"))
        assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]

    def test_a_wait_runs_out_with_time(self, clock):
        guesses = GuessThrottle(clock, spread=None)
        fail(guesses, throttle.FREE_FAILURES + 2)  # the next attempt waits 4 s
        clock.advance(seconds=3)
        assert guesses.wait("k", "a") == 1
        clock.advance(seconds=1)
        assert guesses.wait("k", "a") is None

    def test_other_addresses_and_other_keys_are_not_slowed(self, clock):
        guesses = GuessThrottle(clock, spread=None)
        fail(guesses, 10)
        assert guesses.wait("k", "a") and guesses.wait("k", "b") is None and guesses.wait("other", "a") is None

    def test_a_success_starts_the_count_again(self, clock):
        guesses = GuessThrottle(clock, spread=None)
        fail(guesses, throttle.FREE_FAILURES)
        guesses.succeeded("k", "a")
        fail(guesses, throttle.FREE_FAILURES - 1)
        assert guesses.wait("k", "a") is None


class TestOverAllAddresses:
    def test_beyond_the_limit_new_addresses_wait_until_the_window_has_room(self, clock):
        guesses = GuessThrottle(clock, spread=(4, 600.0))
        for n in range(4):
            fail(guesses, 1, source=f"s{n}")
            clock.advance(seconds=10)
        assert guesses.wait("k", "newcomer") == 600 - 40  # the oldest of the four leaves the window then
        clock.advance(seconds=560)
        assert guesses.wait("k", "newcomer") is None

    def test_an_address_that_succeeded_carries_on(self, clock):
        guesses = GuessThrottle(clock, spread=(4, 600.0))
        guesses.succeeded("k", "own")
        for n in range(10):
            fail(guesses, 1, source=f"s{n}")
        assert guesses.wait("k", "own") is None and guesses.wait("k", "newcomer")

    def test_the_caller_may_say_whether_an_address_is_known(self, clock):
        """The web app keeps the addresses an account signed in from in its store: every process knows them."""
        guesses = GuessThrottle(clock, spread=(4, 600.0))
        guesses.succeeded("k", "own")
        for n in range(4):
            fail(guesses, 1, source=f"s{n}")
        assert guesses.wait("k", "elsewhere", known=True) is None
        assert guesses.wait("k", "own", known=False) == 600

    def test_its_own_failures_slow_even_a_known_address(self, clock):
        guesses = GuessThrottle(clock, spread=(100, 600.0))
        guesses.succeeded("k", "own")
        fail(guesses, throttle.FREE_FAILURES, source="own")
        assert guesses.wait("k", "own", known=True) == 1

    def test_without_a_spread_limit_no_number_of_addresses_slows_another(self, clock):
        guesses = GuessThrottle(clock, spread=None)
        for n in range(500):
            fail(guesses, 1, source=f"s{n}")
        assert guesses.wait("k", "newcomer") is None


def test_memory_stays_bounded(clock, monkeypatch):
    monkeypatch.setattr(throttle, "MAX_ENTRIES", 50)
    guesses = GuessThrottle(clock)
    for n in range(500):
        guesses.failed(f"key{n}", f"s{n}")
    assert len(guesses._pairs) == 50 and len(guesses._keys) == 50
