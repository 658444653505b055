"""The intake worker: consumes partner, monitoring and insight events and relays the returnee outbox.

Run: `python -m services.intake.worker`
"""
from services.intake.bootstrap import bootstrap


def main() -> None:
    """Start the consumer and the relay and run until SIGTERM/SIGINT."""
    service = bootstrap()
    service.background.run_forever()


if __name__ == "__main__":
    main()
