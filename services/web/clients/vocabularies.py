"""The code lists of intake, partners and monitoring (`GET /v1/vocabularies` of each), as the pages offer
and name them: the web app holds no copy of a list, so a code a service adds is offered and named without a
change here.

One copy per service and process, asked again with `If-None-Match` at most every `recheck` seconds
(`WEB_VOCABULARY_RECHECK_SECONDS`); while a service cannot be reached the copy held is used.

A list is named `service.list` ("monitoring.support_types"), or by its name alone ("exit_reasons"): the first
of intake, partners and monitoring that has a list of that name.
"""
from __future__ import annotations

import time

from services.web.clients.base import ApiClient, ApiError, ApiUnavailable
from shared.pages.vocabularies import HeldCopies, label_text

SERVICES = ("intake", "partners", "monitoring")


class UnknownVocabulary(LookupError):
    """No service has a list of that name: a mistake in the web app, not in the data."""


class Vocabularies:
    def __init__(self, clients: dict[str, ApiClient], recheck: float = 300.0, monotonic=time.monotonic):
        self.clients = clients
        self._held = HeldCopies(self._fetch, recheck, failures=(ApiError, ApiUnavailable), monotonic=monotonic)

    def _fetch(self, service: str, etag: str | None):
        response = self.clients[service].call("GET", "/v1/vocabularies", raw=True,
                                              headers={"If-None-Match": etag} if etag else None)
        tag = response.headers.get("ETag", "")
        return tag, None if response.status_code == 304 else response.json()["vocabularies"]

    def lists(self, service: str) -> dict:
        """{name: {"name", "codes": [{"code", "labels"}]}} of one service."""
        return self._held.get(service)

    def vocabulary(self, name: str) -> dict:
        service, _, bare = name.rpartition(".")
        if service:
            found = self.lists(service).get(bare)
            if found is None:
                raise UnknownVocabulary(name)
            return found
        failure = None
        for service in SERVICES:
            try:
                found = self.lists(service).get(name)
            except (ApiError, ApiUnavailable) as error:  # another service may have it: try that one first
                failure = failure or error
                continue
            if found is not None:
                return found
        raise failure or UnknownVocabulary(name)

    def codes(self, name: str) -> list[str]:
        """The codes of a list, in the order a form offers them."""
        return [entry["code"] for entry in self.vocabulary(name)["codes"]]

    def choices(self, name: str, locale: str) -> list[tuple[str, str]]:
        """[(code, label in `locale`)] in the order a form offers them."""
        return [(entry["code"], label_text(entry["labels"], locale, entry["code"]))
                for entry in self.vocabulary(name)["codes"]]

    def label(self, name: str, code, locale: str) -> str:
        """The label of `code` in `locale`; the code itself when the list lacks it or cannot be read."""
        if code is None or code == "":
            return ""
        try:
            return dict(self.choices(name, locale)).get(code, code)
        except (ApiError, ApiUnavailable):
            return code
