"""What every API client shares: the signed-in user's bearer token, JSON, problem+json errors."""
from __future__ import annotations

from urllib.parse import quote

import requests


# The lists a page may read whole, each with why it stays small: the partner organisations (a few per country
# of return, about 40 countries: some hundreds at most, and pages need them all to name partners and offer them).
BOUNDED = frozenset({"/v1/partners", "/v1/partners/names"})


class ApiError(Exception):
    """The API answered with a problem: its status, detail and per-field `errors`."""

    def __init__(self, status: int, problem: dict):
        super().__init__(f"{status}: {problem.get('detail', '')}")
        self.status = status
        self.problem = problem

    @property
    def detail(self) -> str:
        return str(self.problem.get("detail") or self.problem.get("title") or "")

    @property
    def errors(self) -> dict:
        return self.problem.get("errors") or {}


class ApiUnavailable(Exception):
    """The service could not be reached."""


def api_path(template: str, *segments) -> str:
    """`template` with each `{}` filled by one path segment, percent-encoded whole: an id holding "/", "?", "#"
    stays one segment of the route it names, never another route, a query string or a fragment. An empty
    segment or one of dots only (which HTTP libraries resolve as a step up) names nothing: 404 without a call."""
    encoded = [quote(str(segment), safe="") for segment in segments]
    if any(text.strip(".") == "" for text in encoded):
        raise ApiError(404, {"status": 404, "detail": "Not an identifier."})
    return template.format(*encoded)


class ApiClient:
    def __init__(self, base_url: str, token, timeout: float = 10.0, session: requests.Session | None = None,
                 context_headers=None):
        self.base_url = base_url.rstrip("/")
        self._token = token  # callable: the current user's bearer token
        self._context = context_headers  # callable: path -> headers the signed-in user's call carries (a reason)
        self._timeout = timeout
        self._http = session or requests.Session()

    def call(self, method: str, path: str, params=None, json=None, headers=None, raw: bool = False):
        """Call the API as the signed-in user; JSON (or the raw response), ApiError on a problem."""
        merged = {"Authorization": f"Bearer {self._token()}", **(self._context(path) if self._context else {}),
                  **(headers or {})}
        if params:
            params = {k: v for k, v in params.items() if v not in (None, "")}
        try:
            response = self._http.request(method, self.base_url + path, params=params, json=json, headers=merged,
                                          timeout=self._timeout)
        except requests.RequestException as exc:
            raise ApiUnavailable(str(exc)) from exc
        if response.status_code >= 400:
            try:
                problem = response.json()
            except ValueError:
                problem = {"detail": response.text[:500]}
            raise ApiError(response.status_code, problem if isinstance(problem, dict) else {})
        if raw:
            return response
        return response.json() if response.content else None

    def get(self, path: str, **params):
        return self.call("GET", path, params=params)

    def download(self, path: str, language: str, **params):
        """A file the API writes (XLSX, PDF, CSV): the raw response, its labels in `language`."""
        return self.call("GET", path, params=params, headers={"Accept-Language": language}, raw=True)

    def post(self, path: str, body=None, headers=None):
        return self.call("POST", path, json=body if body is not None else {}, headers=headers)

    def glass_breaks(self, cursor: str | None = None, returnee_id: str | None = None, limit: int = 50) -> dict:
        """One page of the files opened with a reason outside the opener's caseload, newest first (administrators):
        intake's (the client files) and monitoring's (the cases) each serve theirs (shared/glass_breaks.py)."""
        return self.get("/v1/access/glass-breaks", cursor=cursor, returnee_id=returnee_id, limit=limit)

    def all_pages(self, path: str, limit: int = 200, most: int = 5000, **params) -> list:
        """Every item of a paged list (`items`, `next_cursor`), at most `most`: only for the lists named in
        BOUNDED, which do not grow with the caseload; any other list is read one page per page view."""
        if path not in BOUNDED:
            raise ValueError(f"{path} is not a bounded list: ask for one page")
        items, cursor = [], None
        while True:
            page = self.get(path, limit=limit, cursor=cursor, **params)
            items.extend(page["items"])
            cursor = page.get("next_cursor")
            if not cursor or len(items) >= most:
                return items
