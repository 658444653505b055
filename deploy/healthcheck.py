"""Container health check (the image has no curl): `python -m deploy.healthcheck [PATH | URL]`.

Without an argument it asks `http://127.0.0.1:$PORT/healthz` (PORT defaults to 8000, as in
deploy/gunicorn.conf.py), the API's liveness; `python -m deploy.healthcheck /readyz` checks the API's
readiness instead. A full URL is asked as given: the workers' compose health check names their
metrics server, `python -m deploy.healthcheck http://127.0.0.1:9100/metrics` (WORKER_METRICS_PORT;
it answers while the process lives, shared/background.py). Exits 0 on a 2xx answer, 1 otherwise.
"""
from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


def url(path: str = "/healthz", environ=None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    env = os.environ if environ is None else environ
    port = (env.get("PORT", "") or "8000").strip()
    return f"http://127.0.0.1:{port}{path}"


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = url(args[0] if args else "/healthz")
    try:
        with urllib.request.urlopen(target, timeout=4) as response:  # noqa: S310 - a local URL from the deployment
            return 0 if 200 <= response.status < 300 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"{target}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
