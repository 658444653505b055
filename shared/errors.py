"""Domain errors: raised by handlers, mapped to problem responses in one place (shared.http.app)."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; `status` is the HTTP status it maps to."""

    status = 400
    problem: str | None = None  # a problem type of its own (`.../problems/<problem>`), else the status's
    retry_after: int | None = None  # seconds: asking again later may get another answer

    def __init__(self, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class Forbidden(DomainError):
    status = 403


class NotYet(DomainError):
    """A refusal that depends on something still on its way (an event not processed yet), so not a
    final answer: it has a problem type of its own and a Retry-After, and an Idempotency-Key never
    stores it (the retry with the same key is asked again)."""

    def __init__(self, detail: str, problem: str, status: int = 404, retry_after: int = 5,
                 errors: dict | None = None):
        super().__init__(detail, errors)
        self.status, self.problem, self.retry_after = status, problem, retry_after
