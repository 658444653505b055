"""The portal is a client of two APIs, with the signed-in person's token: partners (sign-in, the
organisation, its people, handovers) and monitoring (cases, check-ins). Never their databases.

A call answers the JSON body, or raises `ApiError` (the problem document) or `ApiUnavailable`. `token` is a
callable: `token()` the current access token, `token(renew=True)` a renewed one, asked once after a 401.
"""
from __future__ import annotations

import requests

PAGE_MOST = 200  # the APIs' largest page

class ApiError(Exception):
    """The API answered with a problem: its status and document (`errors`, `error_codes`, `type`)."""

    def __init__(self, status: int, problem: dict, headers=None):
        super().__init__(f"{status}: {problem.get('detail', '')}")
        self.status, self.problem, self.headers = status, problem, dict(headers or {})

    @property
    def kind(self) -> str:
        """The problem type's last segment ("422", "case-not-known-yet"); the OAuth `error` when there is one."""
        return str(self.problem.get("error") or str(self.problem.get("type") or "").rstrip("/").rsplit("/", 1)[-1])

    @property
    def codes(self) -> dict:
        """{field path: message code} (the API's `error_codes`; "invalid" for a field without one)."""
        codes = self.problem.get("error_codes") or {}
        return {path: codes.get(path, "invalid") for path in self.problem.get("errors") or {}}


class ApiUnavailable(Exception):
    """The API could not be reached, or answered no usable response."""


class Http:
    def __init__(self, base_url: str, token, timeout: float = 10.0, session: requests.Session | None = None):
        self.base_url, self._token, self._timeout = base_url.rstrip("/"), token, timeout
        self._http = session or requests.Session()

    def send(self, method: str, path: str, authorised: bool = True, **kwargs) -> requests.Response:
        """The raw response (any status); ApiUnavailable when there is none. With a 401 the token is renewed
        and the request sent once more."""
        response = self._send(method, path, self._token() if authorised else None, **kwargs)
        if authorised and response.status_code == 401:
            response = self._send(method, path, self._token(renew=True), **kwargs)
        if response.status_code >= 500 and response.status_code != 503:
            raise ApiUnavailable(f"{method} {path}: {response.status_code}")
        return response

    def _send(self, method, path, token, headers=None, **kwargs) -> requests.Response:
        headers = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        try:
            return self._http.request(method, self.base_url + path, headers=headers, timeout=self._timeout, **kwargs)
        except requests.RequestException as exc:
            raise ApiUnavailable(str(exc)) from exc

    def call(self, method: str, path: str, authorised: bool = True, **kwargs):
        response = self.send(method, path, authorised, **kwargs)
        if response.status_code == 503:
            raise ApiUnavailable(f"{method} {path}: 503")
        if response.status_code >= 400:
            raise ApiError(response.status_code, _document(response), response.headers)
        return response.json() if response.content else None

    def get(self, path: str, **params):
        return self.call("GET", path, params={k: v for k, v in params.items() if v not in (None, "")})

    def post(self, path: str, body: dict | None = None):
        return self.call("POST", path, json=body if body is not None else {})

    def page(self, path: str, limit: int, cursor: str | None = None, **params) -> dict:
        """One page of a list (`{items, next_cursor}`): the portal never walks every page of an API (issue 23),
        so what it shows costs a page, not the organisation's caseload."""
        return self.get(path, limit=limit, cursor=cursor, **params)


def _document(response) -> dict:
    try:
        document = response.json()
    except ValueError:
        return {"status": response.status_code}
    return document if isinstance(document, dict) else {"status": response.status_code}


class PartnersApi(Http):
    def password_grant(self, username: str, password: str, source: str | None = None) -> dict:
        """The person's tokens. `source`, the browser's address, goes along as X-Forwarded-For: the partners API
        slows guessing per user name and address, and honours it behind TRUSTED_PROXY_HOPS (else every
        person signing in here shares the portal's address)."""
        return self.call("POST", "/v1/oauth/token", authorised=False,
                         headers={"X-Forwarded-For": source} if source else None,
                         data={"grant_type": "password", "username": username, "password": password})

    def refresh_grant(self, refresh_token: str) -> dict:
        return self.call("POST", "/v1/oauth/token", authorised=False,
                         data={"grant_type": "refresh_token", "refresh_token": refresh_token})

    def redeem(self, code: str, password: str) -> dict:
        return self.call("POST", "/v1/partner-users/invitations/redeem", authorised=False,
                         json={"code": code, "password": password})

    def me(self, token: str) -> dict:
        """The person a fresh token names (before there is a session to take the token from)."""
        return self._with(token, "GET", "/v1/partner-users/me")

    def partner_with(self, token: str, partner_id: str) -> dict:
        return self._with(token, "GET", f"/v1/partners/{partner_id}")

    def _with(self, token: str, method: str, path: str):
        response = self._send(method, path, token)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _document(response), response.headers)
        return response.json()

    def partner(self, partner_id: str) -> dict:
        return self.get(f"/v1/partners/{partner_id}")

    def webhook(self, partner_id: str) -> dict | None:
        try:
            return self.get(f"/v1/partners/{partner_id}/webhook")
        except ApiError as exc:
            if exc.status in (403, 404):  # none set, or not readable for this person
                return None
            raise

    def handovers(self, statuses=(), returnee_ids=(), limit: int = 50, cursor: str | None = None,
                  order: str | None = None) -> dict:
        """One page of the organisation's handovers in `statuses`, of `returnee_ids` (at most 200 each call)."""
        return self.page("/v1/handovers", limit, cursor, status=list(statuses) or None,
                         returnee_id=list(returnee_ids) or None, order=order)

    def handovers_of(self, returnee_id: str) -> list:
        """Every handover of one returnee to this organisation: a few, so one page of the API holds them."""
        return self.handovers(returnee_ids=(returnee_id,), limit=PAGE_MOST)["items"]

    def handover(self, handover_id: str) -> dict:
        return self.get(f"/v1/handovers/{handover_id}")

    def shared(self, handover_id: str) -> list:
        """The notes and documents the consultant shared on the handover, newest first."""
        return self.get(f"/v1/handovers/{handover_id}/shared")["items"]

    def shared_content(self, handover_id: str, item_id: str) -> requests.Response:
        """A shared document's bytes (the raw response: the caller passes on its type); ApiError when refused."""
        response = self.send("GET", f"/v1/handovers/{handover_id}/shared/{item_id}/content")
        if response.status_code == 503:
            raise ApiUnavailable("shared document: 503")
        if response.status_code >= 400:
            raise ApiError(response.status_code, _document(response), response.headers)
        return response

    def users(self, partner_id: str) -> list:
        """The organisation's people (a team: one page of the API holds them)."""
        return self.page(f"/v1/partners/{partner_id}/users", PAGE_MOST)["items"]


class MonitoringApi(Http):
    def cases(self, limit: int = 50, cursor: str | None = None, returnee_ids=(), due_by=None,
              open_alerts: bool = False) -> dict:
        """One page of the organisation's cases: of `returnee_ids` (at most 200), due by a day, with open alerts."""
        return self.page("/v1/cases", limit, cursor, returnee_id=list(returnee_ids) or None,
                         due_by=due_by.isoformat() if due_by else None, open_alerts="true" if open_alerts else None)

    def case(self, returnee_id: str) -> dict | None:
        """The case, or None while monitoring has none the partner may see (before the arrival)."""
        try:
            return self.get(f"/v1/cases/{returnee_id}")
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def batch(self, items: list) -> dict:
        return self.post("/v1/checkins/batch", {"items": items})

    def put_receipt(self, path: str, content: bytes) -> dict:
        """Attach a receipt (the file's bytes) to one support line; monitoring judges its kind by its bytes."""
        return self.call("PUT", path, data=content, headers={"Content-Type": "application/octet-stream"})

    def receipt(self, path: str):
        """The receipt's file: (content type, bytes), or None when the line has none."""
        response = self.send("GET", path)
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise ApiError(response.status_code, _document(response), response.headers)
        return response.headers.get("Content-Type", "application/octet-stream"), response.content
