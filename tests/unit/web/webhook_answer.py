"""What the partners API answers for an administrator's page of a partner organisation: its details, no
credentials, its webhook (paused unless told otherwise) and one page of the delivery log, newest first."""
from __future__ import annotations

from responses import matchers

from tests.unit.web.conftest import PARTNERS


def webhook_page(api, status="paused"):
    api.get(f"{PARTNERS}/v1/partners/ptn_1", json={"id": "ptn_1", "name": "Lagos Desk", "countries": ["NG"]})
    api.get(f"{PARTNERS}/v1/partners/ptn_1/credentials", json={"items": []})
    api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook", json={
        "url": "https://ngo.example/hook", "status": status, "created_at": "2026-02-01T09:00:00Z",
        "paused_at": "2026-03-01T08:00:00Z" if status == "paused" else None,
        "failing_since": "2026-02-28T08:00:00Z", "previous_secret_expires_at": None})
    api.get(f"{PARTNERS}/v1/partners/ptn_1/webhook/deliveries", json={"items": [  # one page, newest first
        {"id": "att_2", "webhook_id": "msg_new", "event_type": "returnee.departed", "attempt": 8,
         "status_code": 503, "error": None, "attempted_at": "2026-03-01T08:00:00Z", "state": "failed"},
        {"id": "att_1", "webhook_id": "msg_old", "event_type": "handover.offered", "attempt": 1,
         "status_code": 200, "error": None, "attempted_at": "2026-02-01T09:00:00Z", "state": "delivered"}],
        "next_cursor": "att_1"}, match=[matchers.query_param_matcher({"order": "newest", "limit": "50"})])
