"""`make run` starts its embedded broker again when it dies, and says so (issue 22, item 8: a broker killed
with `kill -9` stayed dead without a word while the services kept acknowledging writes)."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys

import pytest

from deploy.broker_supervisor import BrokerSupervisor


class FakeBroker:
    """A stand-in for the embedded broker: a real process that sleeps, started as `EmbeddedBroker.start` does."""

    bootstrap_servers = "127.0.0.1:19092"

    def __init__(self, fail_starts: int = 0):
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.fail_starts = fail_starts

    def start(self):
        self.starts += 1
        if self.fail_starts:
            self.fail_starts -= 1
            raise TimeoutError("nothing listens on 127.0.0.1:19092 after 10.0 s")
        self.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def broker():
    fake = FakeBroker().start()
    yield fake
    fake.stop()


def killed(broker) -> int:
    pid = broker.process.pid
    os.kill(pid, signal.SIGKILL)
    broker.process.wait()
    return pid


def test_a_running_broker_is_left_alone(broker):
    out = io.StringIO()
    assert BrokerSupervisor(broker, out).check() is True
    assert broker.starts == 1 and out.getvalue() == ""


def test_a_killed_broker_is_started_again_and_the_console_says_so(broker):
    out = io.StringIO()
    supervisor = BrokerSupervisor(broker, out)
    dead = killed(broker)
    assert supervisor.check() is True
    assert broker.starts == 2 and broker.process.pid != dead and broker.process.poll() is None
    said = out.getvalue()
    assert "the embedded broker at 127.0.0.1:19092 stopped (exit code -9); starting it again" in said
    assert "runs again at 127.0.0.1:19092" in said and "restart 1" in said
    assert supervisor.check() is True and broker.starts == 2  # once up, nothing more


def test_a_broker_that_will_not_start_is_tried_again_later_waiting_longer_each_time(broker):
    out, now = io.StringIO(), [100.0]
    supervisor = BrokerSupervisor(broker, out, clock=lambda: now[0])
    broker.fail_starts = 2
    killed(broker)
    assert supervisor.check() is False and "trying again in 1 s" in out.getvalue()
    now[0] += 0.5
    assert supervisor.check() is False and broker.starts == 2  # not yet: it waits its second
    now[0] += 0.6
    assert supervisor.check() is False and "trying again in 2 s" in out.getvalue()
    now[0] += 2.1
    assert supervisor.check() is True and broker.starts == 4
    assert out.getvalue().count("stopped (exit code") == 1 and "after 3.2 s" in out.getvalue()
