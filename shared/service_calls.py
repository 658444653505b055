"""One Homeward service asking another over HTTP, with a short `service` token it signs itself.

Used where a worker or an administrator's request needs another service's answer: partners asking
intake for a sealing key, intake gathering a subject access export.
"""
from __future__ import annotations

import requests


class ServiceUnreachable(Exception):
    """The other service could not be asked now (no signing key here, network error)."""


def get_as_service(issuer, caller: str, url: str, timeout: float) -> requests.Response:
    """GET `url` with a 2-minute token of role `service` for `caller`; the caller judges the status."""
    if issuer is None:
        raise ServiceUnreachable("this process holds no signing key to ask other services with")
    token, _ = issuer.issue(caller, "service", ttl=120)
    try:
        return requests.get(url, timeout=timeout, headers={"Authorization": f"Bearer {token}"})
    except requests.RequestException as exc:
        raise ServiceUnreachable(str(exc)) from exc
