"""Staff sign-in with a password: slowed guessing, never a lock-out, the owner told (issue 22, items 5-7).

- **Slowed per account and address** with the throttle the partners' token endpoint uses
  (`shared.throttle`): per (user name, address) `WEB_SIGNIN_FREE_FAILURES` (5) free failures, then each
  attempt waits twice as long as the one before (1 s, 2 s, ... up to 15 minutes); per account over all
  addresses at most `WEB_SIGNIN_ACCOUNT_FAILURES` (20) failures in 10 minutes, beyond which only
  addresses that signed in to the account before may try. A waiting attempt is refused before the
  password is checked (the page answers 429 with Retry-After; no request sleeps), so a refusal says
  nothing about the password, and the right password from an address that signed in before is
  refused only where that address itself guessed wrong: nobody can lock the owner out.
- **Addresses** are kept as keyed digests (HMAC-SHA256 with the app's secret key), never as they are:
  the last `KNOWN_ADDRESSES` an account signed in from, on the account (so every process knows them),
  and the throttle's counts in this process's memory.
- **The owner is told**: each failure is counted on the account with its time and logged; the next
  successful sign-in answers how many there were since the last one and when the last was (the page
  shows it), logs that too, and starts the count again.
- **Requests keep their threads**: at most `WEB_SIGNIN_CONCURRENT_CHECKS` (2) password checks run at once
  in a process (scrypt takes some tens of milliseconds and 16 MiB); an attempt beyond that is refused at
  once like a waiting one (1 s), so a flood of sign-ins with ever new names from ever new addresses,
  which no per-name rule slows, cannot take every request thread and leaves `/healthz` and the pages
  answering.
- **Nothing says which user names exist**: an unknown name, a wrong password, a deactivated account
  and one without a password (identity provider only) answer alike, after the same work: one password
  check (a dummy hash of the same cost when there is nothing to check against), one store read and one
  write (for an unknown name the write matches nothing), and the same throttle.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass
from datetime import datetime

from services.web import repository
from shared.passwords import verify_or_pretend
from shared.throttle import GuessThrottle

KNOWN_ADDRESSES = 10  # per account: the addresses it signed in from last
ACCOUNT_WINDOW = 600.0  # seconds over which WEB_SIGNIN_ACCOUNT_FAILURES are counted
log = logging.getLogger("homeward.web.signin")


def throttle(clock, settings) -> GuessThrottle:
    return GuessThrottle(clock, free_failures=settings.signin_free_failures,
                         spread=(settings.signin_account_failures, ACCOUNT_WINDOW))


@dataclass(frozen=True)
class SignIn:
    account: repository.StaffAccount | None
    outcome: str  # "ok", "invalid", "throttled"
    wait: int = 0  # throttled: seconds before this address may try again
    failed_before: int = 0  # ok: failed attempts since the previous sign-in
    last_failed_at: datetime | None = None


def source_key(address: str | None, secret: str) -> str:
    """An address as the store and the throttle keep it: a keyed digest, never the address itself."""
    return hmac.new(secret.encode(), (address or "unknown").encode(), hashlib.sha256).hexdigest()[:32]


def user_key(username: str | None) -> str:
    """A user name as accounts are named (lower case, at most 64 characters, the longest a name can be)."""
    return (username or "").strip().lower()[:64]


def authenticate(username: str, password: str, source: str, now: datetime, guesses: GuessThrottle,
                 checks: threading.Semaphore | None = None) -> SignIn:
    """Check a password from `source` (a `source_key`). `checks`: the password checks this process may run at
    once; when none is free the attempt is refused at once (wait 1 s), before anything is looked up."""
    if checks is not None and not checks.acquire(blocking=False):
        return SignIn(None, "throttled", wait=1)
    try:
        return _authenticate(username, password, source, now, guesses)
    finally:
        if checks is not None:
            checks.release()


def _authenticate(username: str, password: str, source: str, now: datetime, guesses: GuessThrottle) -> SignIn:
    name = user_key(username)
    account = repository.find_account(name) if name else None
    usable = account is not None and account.active and bool(account.password_hash)
    wait = guesses.wait(name, source, known=usable and source in (account.known_sources or []))
    if wait:
        return SignIn(None, "throttled", wait=wait)
    if not verify_or_pretend(account.password_hash if usable else None, password):
        guesses.failed(name, source)
        repository.count_failed_sign_in(name, now)
        if account is None:
            log.warning("failed sign-in with a user name that is no account")
        else:
            log.warning("failed sign-in for account %s (%d since its last sign-in)", name, account.failed_logins + 1)
        return SignIn(None, "invalid")
    guesses.succeeded(name, source)
    known = [s for s in account.known_sources or [] if s != source][-(KNOWN_ADDRESSES - 1):] + [source]
    repository.update_account(name, failed_logins=0, last_failed_at=None, last_login_at=now, known_sources=known)
    if account.failed_logins:
        log.warning("account %s signed in after %d failed attempts, the last at %s", name, account.failed_logins,
                    account.last_failed_at.isoformat() if account.last_failed_at else "?")
    told = account.failed_logins if account.last_failed_at else 0  # counted before issue 22: no time to tell
    return SignIn(account, "ok", failed_before=told, last_failed_at=account.last_failed_at)
