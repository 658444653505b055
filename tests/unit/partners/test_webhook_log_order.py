"""The delivery log newest first (`?order=newest`): the web's partner page asks for one page of the newest
attempts instead of reading the whole log oldest first."""
from __future__ import annotations

from tests.unit.partners.webhook_setup import HOOK, mocked_responses, partners  # noqa: F401 - fixtures


def test_the_log_reads_newest_first_one_page_at_a_time_on_request(partners, mocked_responses, clock):  # noqa: F811
    partners.set_webhook()
    for _ in range(3):
        mocked_responses.post(HOOK, status=500)
    partners.offer()
    for _ in range(3):
        partners.tick()
        clock.advance(minutes=30)
    oldest_first = [r["attempt"] for r in partners.deliveries()]
    assert oldest_first == [1, 2, 3]
    client, headers = partners.client, partners.admin
    first = client.get(f"/v1/partners/{partners.org}/webhook/deliveries?order=newest&limit=2", headers=headers).json
    assert [r["attempt"] for r in first["items"]] == [3, 2] and first["next_cursor"] == first["items"][-1]["id"]
    rest = client.get(f"/v1/partners/{partners.org}/webhook/deliveries", headers=headers,
                      query_string={"order": "newest", "limit": 2, "cursor": first["next_cursor"]}).json
    assert [r["attempt"] for r in rest["items"]] == [1] and rest["next_cursor"] is None
    refused = client.get(f"/v1/partners/{partners.org}/webhook/deliveries?order=sideways", headers=headers)
    assert refused.status_code == 422 and "order" in refused.json["errors"]
