"""Sending one signed webhook: the notifier port and its `requests` adapter, pinned to a checked address.

`WebhookNotifier.send` asks the `TargetPolicy` where the URL's host resolves, refuses an internal
address before any connection is made, and then connects to exactly that address
(`PinnedAdapter`): the request still names the host (the `Host` header, TLS SNI and certificate
verification are for the name), but `requests` never looks the name up again, so a name that
resolves to a public address for the check and to `127.0.0.1` a moment later (DNS rebinding) gets
nowhere. Redirects are not followed and the environment's proxies are ignored.
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

from services.partners.targets import Target, TargetPolicy, TargetRefused, Unresolvable
from services.partners.webhooks.messages import signature_header

TIMEOUT_SECONDS = 10


ERROR_KINDS = ("timeout", "connection_refused", "connection_failed", "tls", "refused_address", "not_resolved",
               "http_status", "no_webhook", "other")


@dataclass(frozen=True)
class Outcome:
    """What one delivery attempt got: an HTTP status, or no status and the error that prevented one.
    `error` is technical text for operators; `error_kind` (one of ERROR_KINDS) says what kind it was."""

    status_code: int | None
    error: str | None
    duration_ms: float
    error_kind: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AbstractPartnerNotifier(ABC):
    @abstractmethod
    def send(self, url: str, secrets: Sequence[str], message_id: str, timestamp: int, body: str) -> Outcome:
        """Deliver one message signed with each of `secrets`; report what happened, never raise for a
        failed delivery."""


class PinnedAdapter(HTTPAdapter):
    """Connects to the address stored on the prepared request (`pinned_to`), never to what the URL's
    host resolves to now; TLS still presents and verifies the host name."""

    def build_connection_pool_key_attributes(self, request, verify, cert=None):
        host_params, pool_kwargs = super().build_connection_pool_key_attributes(request, verify, cert)
        target: Target | None = getattr(request, "pinned_to", None)
        if target is None:  # only pinned requests go through this adapter
            raise requests.ConnectionError("refused: the webhook target was not checked")
        if host_params["scheme"] == "https":
            pool_kwargs = {**pool_kwargs, "server_hostname": target.host, "assert_hostname": target.host}
        return {**host_params, "host": str(target.address), "port": target.port}, pool_kwargs


class WebhookNotifier(AbstractPartnerNotifier):
    """Posts over HTTP with `requests`, signed the Standard Webhooks way, to a checked address only."""

    def __init__(self, policy: TargetPolicy, timeout: float = TIMEOUT_SECONDS, verify: bool | str = True):
        self.policy = policy
        self.timeout = timeout
        self.verify = verify  # a CA bundle path in tests; True in real use

    def _session(self) -> requests.Session:
        session = requests.Session()  # one per attempt: sessions are not thread-safe, attempts run in a pool
        session.trust_env = False  # no proxies or .netrc from the environment: the checked address is the peer
        session.mount("http://", PinnedAdapter())
        session.mount("https://", PinnedAdapter())
        return session

    def send(self, url: str, secrets: Sequence[str], message_id: str, timestamp: int, body: str) -> Outcome:
        started = time.perf_counter()
        try:
            target = self.policy.resolve(url)
        except TargetRefused as refused:
            return Outcome(None, f"refused: {refused.reason}", _ms_since(started), "refused_address")  # no connection
        except Unresolvable as exc:
            return Outcome(None, f"not resolved: {exc}"[:500], _ms_since(started), "not_resolved")
        headers = {"content-type": "application/json", "user-agent": "Homeward-Webhooks/1",
                   "host": urlsplit(url).netloc.rsplit("@", 1)[-1],  # the name, though we connect to the address
                   "webhook-id": message_id, "webhook-timestamp": str(timestamp),
                   "webhook-signature": signature_header(secrets, message_id, timestamp, body)}
        with self._session() as session:
            prepared = session.prepare_request(requests.Request("POST", url, data=body.encode(), headers=headers))
            prepared.pinned_to = target
            try:
                # no redirects: the signed request goes to the configured URL or nowhere
                response = session.send(prepared, timeout=self.timeout, allow_redirects=False, verify=self.verify)
            except requests.RequestException as exc:
                return Outcome(None, f"{type(exc).__name__}: {exc}"[:500], _ms_since(started), error_kind(exc))
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return Outcome(response.status_code, error, _ms_since(started), "http_status" if error else None)


def error_kind(exc: requests.RequestException) -> str:
    """What kind of failure a request raised, read from the exception's class and its causes."""
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls"
    if isinstance(exc, requests.ConnectionError):
        seen, cause = set(), exc
        while cause is not None and id(cause) not in seen:  # urllib3 wraps the socket's error a few times
            seen.add(id(cause))
            if isinstance(cause, ConnectionRefusedError):
                return "connection_refused"
            cause = getattr(cause, "reason", None) or cause.__cause__ or cause.__context__
        return "connection_failed"
    return "other"


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
