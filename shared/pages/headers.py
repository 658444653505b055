"""The security headers of every page, and the one check of a redirect target."""
from __future__ import annotations

from urllib.parse import urlsplit

# this site's files only; no framing by another site, no <base> to re-point the pages' relative links
CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'")


def safe_path(value: str | None) -> str | None:
    """Only a path on this site (no open redirect): "/..." but not "//host", "/\\host" or control characters."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7f for c in value) or urlsplit(value).netloc:
        return None
    return value


def secure_page(response, csp: str = CSP, private: bool = True):
    """nosniff, no framing, same-origin referrers, the content policy; `private`: kept out of shared caches."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Content-Security-Policy", csp)
    if private:
        response.headers.setdefault("Cache-Control", "no-store")
    return response
