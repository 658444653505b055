"""The monitoring app as `make run` serves it, plus two routes that exist only for benchmarks.

Run under gunicorn: `gunicorn -c deploy/gunicorn.conf.py 'bench.app:create_app()'` (EMBEDDED_WORKERS=1).
- `POST /bench/baseline`: the minimal route a check-in is compared with: it verifies the same bearer
  token and inserts the request body as one document into the same kind of store.
- `POST /bench/seed`: stores check-in history directly through the service's handlers, so a
  benchmark can start from 1,000 or 100,000 stored check-ins without posting each one.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import request
from mongoengine import DictField, Document, StringField
from ulid import ULID

from services.monitoring import handlers
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.schemas import CheckinSchema
from shared.auth import Principal
from shared.events import new_event
from shared.http import require


class BaselineDoc(Document):
    id = StringField(primary_key=True)
    body = DictField()
    meta = {"db_alias": "monitoring", "collection": "bench_baseline"}


def create_app():
    app = monitoring_app()
    service = app.extensions["homeward"].extras["service"]

    @app.post("/bench/baseline")
    @require("partner", "consultant")
    def baseline():
        BaselineDoc(id=str(ULID()), body=request.get_json()).save(force_insert=True)
        return {"ok": True}, 201

    @app.post("/bench/seed")
    def seed():
        """{"country", "partner_id", "returnees", "checkins_per_returnee", "prefix"} -> stored check-ins."""
        spec = request.get_json()
        deps, now = service.deps, service.clock.now()
        arrived = (now - timedelta(days=400)).date()
        who = Principal(sub="bench", role="partner", org=spec["partner_id"])
        stored = 0
        for i in range(spec["returnees"]):
            rid = f"{spec['prefix']}{i}"
            handlers.start_monitoring(deps, new_event("partners", "returnee.arrived.v1", rid, {
                "returnee_id": rid, "partner_id": spec["partner_id"], "country": spec["country"],
                "arrived_on": arrived.isoformat(), "handover_id": f"h{rid}"}, now))
            for n in range(spec["checkins_per_returnee"]):
                data = CheckinSchema().load(checkin_body(rid, n, arrived + timedelta(days=20 + n)))
                handlers.record_checkin(deps, who, data)
                stored += 1
        return {"stored": stored}, 201

    return app


def checkin_body(returnee_id: str, n: int, on: date) -> dict:
    """A valid ad hoc check-in with all five scores, support and a note (a realistic size)."""
    return {"returnee_id": returnee_id, "slot": "ad_hoc", "contact_date": on.isoformat(), "contact_made": True,
            "contact_mode": "phone", "safety_concern": False, "status": "in_country",
            "scores": {"economic": 1 + n % 5, "housing": 1 + (n + 1) % 5, "social": 3, "health": 4, "resilience": 3},
            "support_delivered": [{"type": "business", "amount_eur": 250, "delivered_on": on.isoformat()}],
            "notes": "Visited at home; the shop is open again and the children go to school."}
