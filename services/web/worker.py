"""The web worker: the staff notifications (services.web.notifications) consume the services' events and
send the mails they queue.

Run: `python -m services.web.worker`
"""
from services.web import store
from services.web.config import WebSettings
from services.web.notifications import Notifications
from shared import logs
from shared.clock import SystemClock
from shared.loops import run_until_signalled


def main() -> None:
    """Start the notifications consumer and the mail sender and run until SIGTERM/SIGINT."""
    logs.configure()
    settings = WebSettings.from_env()
    store.connect(settings)
    notifications = Notifications(settings, SystemClock())
    run_until_signalled(notifications.loops, notifications.start)
    notifications.publisher.close()


if __name__ == "__main__":
    main()
