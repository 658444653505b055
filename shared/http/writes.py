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
    except (idem.KeyReused, idem.KeyInFlight) as refused:
        raise key_problem(refused) from None
    if stored is not None:
        return answer(stored.status, stored.body)
    try:
        body, status = run()
    except (Problem, DomainError) as refusal:
        document = kept_refusal(refusal)
        if document is None:
            store.abandon(scope, key)
            raise
        store.complete(scope, key, document["status"], document)
        raise Problem.replay(document) from refusal  # the first answer is the stored document itself
    except Exception:
        store.abandon(scope, key)
        raise
    store.complete(scope, key, status, body)
    return body, status


def answer(status: int, body: dict) -> tuple[dict, int]:
    """A stored answer, given again: a success as it was, a refusal as the problem document first answered
    (not through the view's schema)."""
    if status >= 400:
        raise Problem.replay(body)
    return body, status


def key_problem(refused: Exception) -> Problem:
    """The answer to a key used with another body (422) or whose first request is still running (409)."""
    if isinstance(refused, idem.KeyReused):
        return Problem(422, "This Idempotency-Key was used with a different request body.",
                       errors={"Idempotency-Key": "already used with another body"})
    return Problem(409, "A request with this Idempotency-Key is still being processed; retry later.",
                   headers={"Retry-After": "1"})


def kept_refusal(refusal: Exception) -> dict | None:
    """The problem document of a refusal that is the answer to keep under its key, else None: not a server
    error, not a conflict of the moment (409), not an answer that depends on something still on its way
    (`NotYet`)."""
    code = refusal.code if isinstance(refusal, Problem) else refusal.status
    if code >= 500 or code == 409 or isinstance(refusal, NotYet):
        return None
    return refusal_response(refusal).get_json()
