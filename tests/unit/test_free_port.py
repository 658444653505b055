"""Ports for the processes the tests and `make run` start: never one the kernel may hand an outgoing connection."""
from __future__ import annotations

import socket

from shared.embedded_broker import ephemeral_ports, free_port


def test_a_free_port_is_below_the_ephemeral_range_and_nothing_listens_on_it():
    low, _ = ephemeral_ports()
    ports = {free_port() for _ in range(50)}
    assert all(port < low for port in ports)
    assert len(ports) > 40  # drawn at random: two processes asking at once get different ports
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", ports.pop()))


def test_a_port_someone_listens_on_is_never_given(monkeypatch):
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    held.listen()
    taken = held.getsockname()[1]
    draws = iter([taken, taken, *range(20000, 20200)])  # the taken port twice, then ports until a free one
    monkeypatch.setattr("shared.embedded_broker._PICK.randrange", lambda low, high: next(draws))
    monkeypatch.setattr("shared.embedded_broker.ephemeral_ports", lambda: (65535, 65535))
    try:
        assert free_port() != taken
    finally:
        held.close()


def test_the_range_is_read_from_the_kernel_and_defaults_to_linux(tmp_path):
    path = tmp_path / "ip_local_port_range"
    path.write_text("40000\t50000\n")
    assert ephemeral_ports(str(path)) == (40000, 50000)
    assert ephemeral_ports(str(tmp_path / "absent")) == (32768, 60999)
