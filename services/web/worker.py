"""The web worker: the staff notifications (services.web.notifications) consume the services' events and
send the mails they queue; metrics and liveness on WORKER_METRICS_PORT, as the services' workers.

It reads the web app's store (MONGODB_URI, MONGODB_DB), the broker (KAFKA_*, group `homeward-web`), the SMTP
settings (SMTP_*, MAIL_*), WEB_MAIL_TEAMS and WEB_URL (where its mails link to): no cookie secret, no
signing key (it signs nothing).

Run: `python -m services.web.worker`
"""
import logging

from services.web import store
from services.web.config import WebSettings
from services.web.notifications import Notifications
from shared import logs
from shared.background import run_worker
from shared.clock import SystemClock

log = logging.getLogger(__name__)


def main(environ=None) -> None:
    """Start the notifications consumer and the mail sender and run until SIGTERM/SIGINT."""
    logs.configure()
    settings = WebSettings.from_env(environ, worker=True)
    if not settings.mail.host:
        log.warning("SMTP_HOST is not set: staff mails wait in the delivery log as pending")
    store.connect(settings)
    notifications = Notifications(settings, SystemClock())
    run_worker(notifications.loops, notifications.start, notifications.gauges, notifications.counters, environ)
    notifications.publisher.close()


if __name__ == "__main__":
    main()
