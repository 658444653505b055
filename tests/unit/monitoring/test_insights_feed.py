"""The insights feed: cases handed over by writes are followed beside the requests, the newest state
of each returnee once, in batches; `run_once` and `close` return only when everything is followed."""
from __future__ import annotations

import threading
import time

from services.monitoring.insights_feed import InsightsFeed


class Recorder:
    def __init__(self, delay: float = 0.0):
        self.batches: list[list[tuple]] = []
        self.delay = delay

    def __call__(self, cases):
        time.sleep(self.delay)
        self.batches.append([(c["returnee_id"], c["version"]) for c in cases])


def case(rid: str, version: int) -> dict:
    return {"_id": rid, "returnee_id": rid, "version": version}


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_the_newest_state_of_each_returnee_is_followed_once_in_batches():
    recorder = Recorder()
    feed = InsightsFeed(recorder, batch=2)
    for handed in (case("a", 1), case("b", 1), case("a", 3), case("a", 2), case("c", 1)):
        feed.changed(handed)
    assert not feed.idle()
    assert feed.run_once() == 3
    assert recorder.batches == [[("a", 3), ("b", 1)], [("c", 1)]]
    assert feed.idle() and feed.run_once() == 0


def test_the_thread_follows_what_arrives_together_as_one_batch():
    recorder = Recorder()
    feed = InsightsFeed(recorder, linger=0.2)
    feed.start()
    try:
        for n in range(5):
            feed.changed(case(f"r{n}", 1))
        wait_until(feed.idle)
        assert recorder.batches == [[(f"r{n}", 1) for n in range(5)]]
    finally:
        feed.close()


def test_run_once_returns_only_when_the_batch_the_thread_took_is_followed():
    recorder = Recorder(delay=0.3)
    feed = InsightsFeed(recorder, linger=0.0)
    feed.start()
    try:
        feed.changed(case("r", 1))
        wait_until(lambda: not feed._held)  # the thread took it and is following it
        feed.run_once()
        assert recorder.batches == [[("r", 1)]]
    finally:
        feed.close()


def test_close_follows_what_is_still_held():
    recorder = Recorder()
    feed = InsightsFeed(recorder, linger=60.0)
    feed.start()
    feed.changed(case("r", 1))
    closing = threading.Thread(target=feed.close)
    closing.start()
    closing.join(5)
    assert recorder.batches == [[("r", 1)]] and feed.idle()
