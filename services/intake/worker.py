"""The intake worker: consumes partner, monitoring and insight events and relays the returnee outbox.

Run: `python -m services.intake.worker`
"""
from services.intake.bootstrap import bootstrap
from shared.runtime import run_until_signalled


def main() -> None:
    """Start the consumer and the relay and run until SIGTERM/SIGINT."""
    service = bootstrap()
    run_until_signalled(service.infra.start_loops())


if __name__ == "__main__":
    main()
