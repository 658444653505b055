"""The Idempotency-Key flow for HTTP writes (design.md "Delivery guarantees")."""
from __future__ import annotations

from typing import Callable

from shared import idempotency as idem
from shared.errors import DomainError, NotYet
from shared.http.context import runtime
from shared.http.problems import Problem, refusal_response


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
        if stored.status >= 400:
            raise Problem.replay(stored.body)  # the refusal as first answered, not through the view's schema
        return stored.body, stored.status
    try:
        body, status = run()
    except (Problem, DomainError) as refusal:
        code = refusal.code if isinstance(refusal, Problem) else refusal.status
        if not _final(refusal, code):
            store.abandon(scope, key)
            raise
        document = refusal_response(refusal).get_json()
        store.complete(scope, key, code, document)
        raise Problem.replay(document) from refusal  # the first answer is the stored document itself
    except Exception:
        store.abandon(scope, key)
        raise
    store.complete(scope, key, status, body)
    return body, status


def _final(refusal: Exception, code: int) -> bool:
    """Whether a refusal is the answer to keep under the key: not a server error, not a conflict of the
    moment (409), not an answer that depends on something still on its way (`NotYet`)."""
    return code < 500 and code != 409 and not isinstance(refusal, NotYet)
