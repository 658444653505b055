"""Container health check for the API processes (the image has no curl): `python -m deploy.healthcheck`.

Asks `http://127.0.0.1:$PORT/healthz` (PORT defaults to 8000, as in deploy/gunicorn.conf.py) and exits
0 on a 2xx answer, 1 otherwise. `python -m deploy.healthcheck /readyz` checks readiness instead.
Worker containers serve no HTTP: docker compose disables this check for them.
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def url(path: str = "/healthz", environ=None) -> str:
    env = os.environ if environ is None else environ
    port = (env.get("PORT", "") or "8000").strip()
    return f"http://127.0.0.1:{port}{path}"


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = url(args[0] if args else "/healthz")
    try:
        with urllib.request.urlopen(target, timeout=4) as response:  # noqa: S310 - fixed local URL
            return 0 if 200 <= response.status < 300 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{target}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
