"""The Idempotency-Key flow for HTTP writes (design.md "Delivery guarantees")."""
from __future__ import annotations

from typing import Callable

from shared import idempotency as idem
from shared.errors import DomainError
from shared.http.context import runtime
from shared.http.problems import Problem, problem_response


def idempotent(scope: str, key: str, payload, run: Callable[[], tuple[dict, int]]) -> tuple[dict, int]:
    """Run `run` once per (scope, key); replay its response for retries with the same payload."""
    store = runtime().idempotency
    try:
        stored = store.begin(scope, key, idem.fingerprint(payload))
    except idem.KeyReused:
        raise Problem(422, "This Idempotency-Key was used with a different request body.",
                      errors={"Idempotency-Key": "already used with another body"})
    except idem.KeyInFlight:
        raise Problem(409, "A request with this Idempotency-Key is still being processed; retry later.",
                      headers={"Retry-After": "1"})
    if stored is not None:
        return stored.body, stored.status
    try:
        body, status = run()
    except (Problem, DomainError) as refusal:
        code = refusal.code if isinstance(refusal, Problem) else refusal.status
        if code >= 500 or code == 409:
            store.abandon(scope, key)
        else:
            body = problem_response(code, refusal.detail, refusal.errors).get_json()
            store.complete(scope, key, code, body)
        raise
    except Exception:
        store.abandon(scope, key)
        raise
    store.complete(scope, key, status, body)
    return body, status
