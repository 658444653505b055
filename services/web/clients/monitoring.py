"""The monitoring API: cases, alerts, outcomes and the partner scorecard."""
from __future__ import annotations

from services.web.clients.base import ApiClient, api_path


class MonitoringClient(ApiClient):
    def case(self, returnee_id: str) -> dict:
        return self.get(api_path("/v1/cases/{}", returnee_id))

    def alerts(self, status: str | None = None, country: str | None = None, returnee_id: str | None = None) -> list:
        return self.all_pages("/v1/alerts", status=status, country=country, returnee_id=returnee_id)

    def act_on_alert(self, alert_id: str, action: str, note: str) -> dict:
        return self.post(api_path("/v1/alerts/{}/{}", alert_id, action), {"note": note})

    def outcomes(self, by: str) -> dict:
        return self.get("/v1/outcomes", by=by)

    def outcomes_csv(self, by: str) -> str:
        return self.call("GET", "/v1/outcomes", params={"by": by, "format": "csv"}, raw=True).text

    def scorecard(self) -> list:
        return self.get("/v1/scorecard")["partners"]
