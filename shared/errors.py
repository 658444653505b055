"""Domain errors: raised by handlers, mapped to problem responses in one place (shared.http.app)."""
from __future__ import annotations


class DomainError(Exception):
    """A rule of the domain refused the request; `status` is the HTTP status it maps to."""

    status = 400

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
