"""The monitoring API: cases, alerts, outcomes and the partner scorecard."""
from __future__ import annotations

from services.web.clients.base import ApiClient, api_path


class MonitoringClient(ApiClient):
    def case(self, returnee_id: str) -> dict:
        return self.get(api_path("/v1/cases/{}", returnee_id))

    def record_checkin(self, body: dict, key: str) -> dict:
        """A check-in (the consultant's contact from the Netherlands), under its Idempotency-Key; with the reason
        the session gave to open this client's file, if one (the path does not name the client)."""
        reason = self._context(api_path("/v1/cases/{}", body["returnee_id"])) if self._context else {}
        return self.call("POST", "/v1/checkins", json=body, headers={"Idempotency-Key": key, **reason})

    def alerts_page(self, statuses: list[str], country: str | None = None, consultant: str | None = None,
                    cursor: str | None = None, limit: int = 50) -> dict:
        """One page of the worklist (`{items, next_cursor}`): the most serious type first, newest first within a
        type, of the given statuses (and country, and the clients `consultant` follows)."""
        return self.get("/v1/alerts", status=list(statuses), country=country, consultant=consultant, cursor=cursor,
                        limit=limit, order="worklist")

    def alert_counts(self, statuses: list[str], country: str | None = None) -> dict:
        """`{total, by_type, by_country, by_country_and_type}` of the alerts of the given statuses: one call."""
        return self.get("/v1/alerts/counts", status=list(statuses), country=country)

    def act_on_alert(self, alert_id: str, action: str, note: str) -> dict:
        return self.post(api_path("/v1/alerts/{}/{}", alert_id, action), {"note": note})

    def outcomes(self, by: str) -> dict:
        return self.get("/v1/outcomes", by=by)

    def outcomes_csv(self, by: str) -> str:
        return self.call("GET", "/v1/outcomes", params={"by": by, "format": "csv"}, raw=True).text

    def scorecard(self) -> list:
        return self.get("/v1/scorecard")["partners"]

    def support(self, **query) -> dict:
        """The support report (`from`, `to`, `by`): planned against delivered."""
        return self.get("/v1/reports/support", **query)
