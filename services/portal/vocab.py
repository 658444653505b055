"""The services' code lists and monitoring's scoring rubric (`GET /v1/vocabularies/{name}`), kept in the
process and asked again with `If-None-Match` at most every `recheck` seconds (304: the copy is current).
When the service cannot be reached the copy held is used.

Labels come in the services' languages (nl, en, fr); a page language they do not have yet gets English.
"""
from __future__ import annotations

import time

from services.portal.clients import ApiError, ApiUnavailable
from shared.pages.vocabularies import HeldCopies

FALLBACK = "en"


class Vocabularies:
    def __init__(self, apis: dict, recheck: float = 60.0, monotonic=time.monotonic):
        self.apis = apis
        self._held = HeldCopies(self._fetch, recheck, failures=(ApiError, ApiUnavailable), monotonic=monotonic)

    @property
    def recheck(self) -> float:
        return self._held.recheck

    @recheck.setter
    def recheck(self, seconds: float) -> None:
        self._held.recheck = seconds

    def _fetch(self, key: tuple[str, str], etag: str | None):
        service, name = key
        response = self.apis[service].send("GET", f"/v1/vocabularies/{name}",
                                           headers={"If-None-Match": etag} if etag else {})
        if response.status_code == 304 and etag:
            return response.headers.get("ETag", etag), None
        if response.status_code >= 500:
            raise ApiUnavailable(f"vocabulary {name}: {response.status_code}")
        if response.status_code != 200:
            raise ApiError(response.status_code, {"status": response.status_code})
        return response.headers.get("ETag", ""), response.json()

    def document(self, service: str, name: str) -> dict:
        return self._held.get((service, name))

    @staticmethod
    def _text(labels: dict, locale: str) -> str:
        return labels.get(locale) or labels.get(FALLBACK) or next(iter(labels.values()), "")

    def choices(self, service: str, name: str, locale: str) -> list[tuple[str, str]]:
        """[(code, label in `locale`)] in the order a form offers them."""
        return [(c["code"], self._text(c["labels"], locale)) for c in self.document(service, name)["codes"]]

    def label(self, service: str, name: str, code: str | None, locale: str) -> str:
        if code is None:
            return ""
        try:
            return dict(self.choices(service, name, locale)).get(code, code)
        except (ApiError, ApiUnavailable):
            return code

    def rubric(self, locale: str) -> dict:
        """Monitoring's domains: {"version", "domains": [{"code", "label", "levels": [(score, meaning)]}]}."""
        document = self.document("monitoring", "domains")
        return {"version": document.get("version", ""),
                "domains": [{"code": c["code"], "label": self._text(c["labels"], locale),
                             "levels": [(level["score"], self._text(level["labels"], locale))
                                        for level in c.get("rubric") or []]} for c in document["codes"]]}
