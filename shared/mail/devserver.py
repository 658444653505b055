"""A local SMTP server for `make run` and the tests: every mail it receives becomes an `.eml` file.

`python -m shared.mail.devserver [directory] [port]` runs one alone; `start(directory, port)` runs one on a
thread (aiosmtpd's Controller) and returns it (`.stop()` ends it). Not for production: it accepts any mail.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from ulid import ULID


class EmlHandler:
    """aiosmtpd's handler: writes the message's bytes, as received, to `<directory>/<time>-<ULID>.eml`."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.received = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}-{ULID()}.eml"
        part = self.directory / f".{name}.part"
        part.write_bytes(envelope.original_content or envelope.content)
        part.rename(self.directory / name)  # whole files only: a reader never sees half a mail
        with self._lock:
            self.received += 1
        return "250 Message accepted for delivery"


def start(directory: str | Path, port: int = 0, host: str = "127.0.0.1"):
    """Start the server on a thread; `port` 0 picks a free one (the controller's `.port` says which)."""
    from aiosmtpd.controller import Controller

    if not port:
        import socket

        with socket.socket() as sock:
            sock.bind((host, 0))
            port = sock.getsockname()[1]
    controller = Controller(EmlHandler(Path(directory)), hostname=host, port=port)
    controller.start()
    return controller


def main(argv: list[str]) -> int:
    directory = argv[0] if argv else "var/mail"
    port = int(argv[1]) if len(argv) > 1 else 8025
    controller = start(directory, port)
    print(f"SMTP server on 127.0.0.1:{controller.port}, keeping each mail in {directory}/ (Ctrl-C stops)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
