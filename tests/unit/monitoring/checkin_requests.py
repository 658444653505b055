"""Check-in bodies and requests for the monitoring API tests (the `monitoring` fixture is in conftest.py)."""
from __future__ import annotations

from datetime import date

ARRIVED = date(2026, 1, 5)  # the clock fixture says 2026-03-02


def body(**fields):
    data = {"returnee_id": "rtn_own", "slot": 1, "contact_date": "2026-02-06", "contact_made": True,
            "contact_mode": "in_person", "scores": {"economic": 3, "housing": 4, "social": 4, "health": 3,
                                                    "resilience": 2},
            "safety_concern": False, "status": "in_country",
            "support_delivered": [{"type": "business", "amount_eur": 800, "delivered_on": "2026-02-01"}],
            "notes": "Shop opened"}
    data.update(fields)
    return data


def post(client, headers, data, key="k-1"):
    return client.post("/v1/checkins", json=data, headers={**headers, "Idempotency-Key": key} if key else headers)
