"""429 with Retry-After when a client sends too much (per process)."""
from __future__ import annotations

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.partners.api import TOKEN_ATTEMPTS_PER_MINUTE
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService
from shared.http import RateLimiter


def test_a_client_over_its_limit_gets_429_and_others_do_not(settings_for, clock, publisher, auth):
    service = IntakeService(settings_for("intake", rate_limit_per_minute=3), clock=clock, publisher=publisher)
    client = intake_app(service=service).test_client()
    first = auth("consultant", sub="one")
    codes = [client.get("/v1/returnees", headers=first).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/v1/returnees", headers=first)
    assert limited.content_type == "application/problem+json" and 1 <= int(limited.headers["Retry-After"]) <= 60
    assert client.get("/v1/returnees", headers=auth("consultant", sub="two")).status_code == 200


def test_token_requests_are_limited_per_client_and_address_not_per_client(build, auth):
    """Guessing has its own slower rule (tests/unit/partners/test_token_endpoint_security.py); this budget
    counts every request, so a partner asking for a token per call is slowed, and only at its own address."""
    client = partners_app(service=build(PartnersService, "partners")).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    cred = client.post(f"/v1/partners/{org}/credentials", headers=auth("admin")).json
    form = {"grant_type": "client_credentials", **{k: cred[k] for k in ("client_id", "client_secret")}}

    def ask(address):
        return client.post("/v1/oauth/token", data=form, environ_base={"REMOTE_ADDR": address}).status_code

    codes = [ask("198.51.100.1") for _ in range(TOKEN_ATTEMPTS_PER_MINUTE + 1)]
    assert codes[:-1] == [200] * TOKEN_ATTEMPTS_PER_MINUTE and codes[-1] == 429
    assert ask("198.51.100.2") == 200


def test_zero_turns_the_limiter_off():
    limiter = RateLimiter(0)
    assert all(limiter.retry_after("k") is None for _ in range(5000))


def test_the_windows_follow_the_services_clock_not_the_wall():
    """A slow run never crosses a window by accident: the budget counts on the clock it is given."""
    moments = iter([0.0, 10.0, 59.0, 60.0])
    limiter = RateLimiter(2, now=lambda: next(moments))
    assert [limiter.retry_after("a") for _ in range(3)] == [None, None, 1]
    assert limiter.retry_after("a") is None  # a new minute
