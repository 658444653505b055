"""The partners worker: consumes homeward.returnees (and reminders from homeward.monitoring), relays the
handover outbox, delivers webhooks.

Run: `python -m services.partners.worker`
"""
from services.partners.bootstrap import bootstrap


def main() -> None:
    """Start the consumer, the relay and the webhook deliveries and run until SIGTERM/SIGINT."""
    service = bootstrap()
    service.background.run_forever()


if __name__ == "__main__":
    main()
