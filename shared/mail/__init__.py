"""Mail to people (issue 21): queued in the same write as its cause, sent once over SMTP by the worker.

- `texts.py`: what a mail says, per kind, in the recipient's language (gettext domain `mail`), from the
  kind, a country, a due date and a link only: the render functions take nothing else, so no name,
  note or score can reach a mailbox.
- `outbox.py`: the entry a write `$push`es to its document's `mail_outbox`, and the abstract documents.
- `repository.py`: the queries: moving queued entries into the delivery log (`mails`), claiming, recording.
- `sender.py`: the worker's loop: collect, claim, send, retry with backoff, mark sent or failed; the digest.
- `smtp.py`: the SMTP transport (smtplib; STARTTLS and credentials when configured) and its settings.
- `devserver.py`: the local SMTP server of `make run` and the tests (aiosmtpd), one `.eml` file a mail.
"""
