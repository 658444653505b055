"""The monitoring worker: consumes returnee and handover events, runs the scheduler and relays the outbox.

Run: `python -m services.monitoring.worker`
"""
from services.monitoring.bootstrap import bootstrap


def main() -> None:
    """Start the consumer, the relay and the scheduler and run until SIGTERM/SIGINT."""
    service = bootstrap()
    service.insights_feed.start()  # the cases written by consumed events feed the insights too
    service.history_feed.start()  # and move their old check-ins to the history
    service.background.run_forever()


if __name__ == "__main__":
    main()
