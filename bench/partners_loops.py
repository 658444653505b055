"""What the partners' periodic loops cost as handovers and webhook messages pile up (embedded store).

Run: `.venv/bin/python -m bench.partners_loops`. The webhook relay ticks every second: its idle round
(handovers that queued a webhook looked up by `_id`, due messages read from `webhook_queue`) should
not grow with the number of stored messages; the full sweep and a scan of `webhook_messages` (what
each tick did before) are printed next to it. One run on 2 cores, ms per call:

     1000: idle tick 0.20 | full sweep 5.3 | due query on the queue 0.22 vs scanning webhook_messages 7.2
    10000: idle tick 0.19 | full sweep 55.5 | due query on the queue 0.30 vs scanning webhook_messages 82.5
    10000: scheduler jobs: offer expiry query 140.6, sealed-data query 94.3 (these still scan)
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from services.partners.bootstrap import PartnersService
from services.partners.documents import Handover, WebhookMessage
from shared.clock import ManualClock
from shared.config import Settings
from tests.unit.conftest import FakeKeySource, RecordingPublisher


def timed(fn, n: int = 100) -> float:
    fn()
    started = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - started) / n * 1000


def stored(size: int) -> tuple[PartnersService, datetime]:
    """A partners service holding `size` handovers, each with one delivered webhook message."""
    clock = ManualClock(datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc))
    settings = Settings.from_env("partners", environ={"MONGODB_DB": "bench_test", "OUTBOX_SWEEP_SECONDS": "30"})
    service = PartnersService(settings, clock=clock, publisher=RecordingPublisher(), key_source=FakeKeySource())
    now = clock.now()
    Handover.objects.insert([Handover(id=f"hnd_{i:06}", returnee_id=f"r{i}", partner_id="prt_1", country="NG",
                                      status="arrived", offered_at=now, household={"size": 3},
                                      reintegration_plan={"x": "y" * 200}) for i in range(size)], load_bulk=False)
    WebhookMessage.objects.insert([WebhookMessage(id=f"msg_{i:06}", partner_id="prt_1", event_type="handover.offered",
                                                  handover_id=f"hnd_{i:06}", returnee_id=f"r{i}", body="{}" * 50,
                                                  created_at=now, state="delivered", attempts=1)
                                   for i in range(size)], load_bulk=False)
    return service, now


def main() -> None:
    for size in (1000, 10000):
        service, now = stored(size)
        relay = service.webhooks
        relay.tick()  # the first round sweeps
        idle = timed(relay.tick)
        sweep = timed(lambda: relay.collect(sweep=True))
        queue = timed(lambda: service.repo.due_messages(now, 100))
        scan = timed(lambda: list(WebhookMessage.objects(state="pending", next_attempt_at__lte=now)
                                  .order_by("next_attempt_at").limit(100).scalar("id")))
        expiry = timed(lambda: service.repo.stale_offers(now - timedelta(days=14)), 20)
        sealed = timed(service.repo.sealed_handovers, 20)
        print(f"{size:>6}: idle tick {idle:.2f} | full sweep {sweep:.1f} | due query on the queue {queue:.2f} "
              f"vs scanning webhook_messages {scan:.1f}")
        print(f"{size:>6}: scheduler jobs: offer expiry query {expiry:.1f}, sealed-data query {sealed:.1f}")


if __name__ == "__main__":
    main()
