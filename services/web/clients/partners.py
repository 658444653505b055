"""The partners API: organisations, credentials, webhooks and their delivery log."""
from __future__ import annotations

from services.web.clients.base import ApiClient, ApiError, api_path


class PartnersClient(ApiClient):
    def partners(self, country: str | None = None) -> list:
        return self.all_pages("/v1/partners", country=country)

    def names(self) -> list:
        """Every organisation's id, name, countries and `active` (what every staff role may read)."""
        return self.all_pages("/v1/partners/names")

    def partner(self, partner_id: str) -> dict:
        return self.get(api_path("/v1/partners/{}", partner_id))

    def create(self, body: dict) -> dict:
        return self.post("/v1/partners", body)

    def credentials(self, partner_id: str) -> list:
        found = self.get(api_path("/v1/partners/{}/credentials", partner_id))
        return found["items"] if isinstance(found, dict) else found

    def new_credential(self, partner_id: str) -> dict:
        return self.post(api_path("/v1/partners/{}/credentials", partner_id))

    def revoke(self, partner_id: str, client_id: str) -> None:
        self.call("DELETE", api_path("/v1/partners/{}/credentials/{}", partner_id, client_id))

    def webhook(self, partner_id: str) -> dict | None:
        try:
            return self.get(api_path("/v1/partners/{}/webhook", partner_id))
        except ApiError as exc:
            if exc.status == 404:  # no webhook set
                return None
            raise

    def set_webhook(self, partner_id: str, url: str) -> dict:
        return self.call("PUT", api_path("/v1/partners/{}/webhook", partner_id), json={"url": url})

    def deliveries(self, partner_id: str, newest: int = 50) -> list:
        """The newest delivery attempts, newest first: one page of the log read backwards."""
        return self.get(api_path("/v1/partners/{}/webhook/deliveries", partner_id), limit=newest, order="newest")["items"]

    def replay(self, partner_id: str, webhook_id: str) -> dict:
        return self.post(api_path("/v1/partners/{}/webhook/deliveries/{}/replay", partner_id, webhook_id))

    def replay_failed(self, partner_id: str) -> dict:
        return self.post(api_path("/v1/partners/{}/webhook/deliveries/replay", partner_id))

    def resume_webhook(self, partner_id: str) -> dict:
        return self.post(api_path("/v1/partners/{}/webhook/resume", partner_id))
