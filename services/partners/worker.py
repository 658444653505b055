"""The partners worker: consumes homeward.returnees, relays the handover outbox, delivers webhooks.

Run: `python -m services.partners.worker`
"""
from services.partners.bootstrap import bootstrap
from shared.runtime import run_until_signalled


def main() -> None:
    """Start the consumer, the relay and the webhook deliveries and run until SIGTERM/SIGINT."""
    service = bootstrap()
    run_until_signalled(service.infra.start_loops())


if __name__ == "__main__":
    main()
