"""The monitoring worker: consumes returnee and handover events, runs the scheduler and relays the outbox.

Run: `python -m services.monitoring.worker`
"""
from services.monitoring.bootstrap import bootstrap
from shared.runtime import run_until_signalled


def main() -> None:
    """Start the consumer, the relay and the scheduler and run until SIGTERM/SIGINT."""
    service = bootstrap()
    run_until_signalled(service.infra.start_loops())


if __name__ == "__main__":
    main()
