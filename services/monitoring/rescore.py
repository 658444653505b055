"""Recompute every check-in's scores with the configured scheme (SCORING_SCHEME / SCORING_SCHEME_FILE).

Run: `python -m services.monitoring.rescore` against a real MongoDB (MONGODB_URI). In the embedded
mode the store lives inside the API process: use `POST /v1/scoring/recompute` (admin) instead.
"""
from services.monitoring.bootstrap import bootstrap
from services.monitoring.handlers import rescore_all


def main() -> None:
    """Rescore history and print how many check-ins changed."""
    service = bootstrap()
    changed = rescore_all(service.deps, service.deps.scheme)
    print(f"rescored {changed} check-ins with scheme {service.deps.scheme.version}")


if __name__ == "__main__":
    main()
