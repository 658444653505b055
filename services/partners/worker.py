"""The partners worker: consumes homeward.returnees and relays the handover outbox.

Run: `python -m services.partners.worker`
"""
from services.partners.bootstrap import bootstrap
from shared.runtime import run_until_signalled


def main() -> None:
    """Start the consumer and the relay and run until SIGTERM/SIGINT."""
    service = bootstrap()
    run_until_signalled(service.infra.start_loops())


if __name__ == "__main__":
    main()
