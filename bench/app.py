"""The monitoring app as `make run` serves it, plus two routes that exist only for benchmarks.

Run under gunicorn: `gunicorn -c deploy/gunicorn.conf.py 'bench.app:create_app()'` (EMBEDDED_WORKERS=1).
- `POST /bench/baseline`: the minimal route a check-in is compared with: it verifies the same bearer
  token and inserts the request body as one document into the same kind of store.
- `POST /bench/seed`: stores check-in history through the service's own rules and repositories, so
  a benchmark can start from 1,000 or 100,000 stored check-ins without posting each one: each
  returnee's arrival and check-ins are one case write (with their events), as if posted in turn.
- `GET /bench/settled`: whether the background work the requests caused is done (the country
  insights have followed the cases and the history feed has copied the keys and moved old check-ins,
  which this call finishes at once rather than after the feeds' lingers, and the relay has published
  what was written), so a timed block of requests includes the work it caused but not the lingers'
  idle waits.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import request
from mongoengine import DictField, Document, StringField
from ulid import ULID

from services.monitoring import handlers
from services.monitoring.domain import case as cases
from services.monitoring.domain import history as histories
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.schemas import CheckinSchema
from shared.auth import Principal
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
        """{"country", "partner_id", "returnees", "checkins_per_returnee", "prefix", ["calm"]} -> stored check-ins
        (`calm`: bodies that raise no alert, see `checkin_body`)."""
        spec = request.get_json()
        deps, now = service.deps, service.clock.now()
        arrived = (now - timedelta(days=400)).date()
        who = Principal(sub="bench", role="partner", org=spec["partner_id"])
        recorded_by = {"role": who.role, "org": who.org, "sub": who.sub}
        stored = 0
        for i in range(spec["returnees"]):
            rid = f"{spec['prefix']}{i}"
            bodies = [CheckinSchema().load(checkin_body(rid, n, arrived + timedelta(days=20 + n),
                                                        spec.get("calm", False)))
                      for n in range(spec["checkins_per_returnee"])]

            def arrive_and_check_in(case, new_id, bodies=bodies):
                case.update(partner_id=spec["partner_id"], country=spec["country"])
                cases.start_plan(case, arrived, deps.rules)
                events = cases.evaluate(case, deps.clock.today(), deps.now_iso(), deps.rules, new_id)
                for data in bodies:
                    checkin, raised = cases.record_checkin(case, handlers.storable(data), deps.clock.today(),
                                                           deps.now_iso(), deps.rules, deps.scheme, new_id, recorded_by)
                    histories.number(case, checkin)  # as handlers.record_checkin does: the history can take it
                    events += raised
                return events

            handlers.mutate(deps, rid, arrive_and_check_in,
                            lambda rid=rid: cases.new_case(rid, spec["country"], spec["partner_id"]))
            stored += len(bodies)
        return {"stored": stored}, 201

    @app.get("/bench/settled")
    def settled():
        service.history_feed.run_once()  # copy the keys and move old check-ins now rather than after the linger
        service.insights_feed.run_once()  # follow what is held now rather than after the linger
        return {"settled": service.relay.idle() and service.insights_feed.idle() and service.history_feed.idle()}

    return app


def checkin_body(returnee_id: str, n: int, on: date, calm: bool = False) -> dict:
    """A valid ad hoc check-in with all five scores, support and a note (a realistic size). Two in five
    score 1 somewhere (a critical_domain alert) unless `calm`: then no score is 1 and none raises an alert."""
    low = 2 if calm else 1
    return {"returnee_id": returnee_id, "slot": "ad_hoc", "contact_date": on.isoformat(), "contact_made": True,
            "contact_mode": "phone", "safety_concern": False, "status": "in_country",
            "scores": {"economic": low + n % (6 - low), "housing": low + (n + 1) % (6 - low), "social": 3, "health": 4,
                       "resilience": 3},
            "support_delivered": [{"type": "business", "amount_eur": 250, "delivered_on": on.isoformat()}],
            "notes": "Visited at home; the shop is open again and the children go to school."}
