"""The HTTP seedwork every service's `create_app()` builds on.

- errors as `application/problem+json` (RFC 9457) with one message per invalid field,
- bearer-token authentication giving a `Principal` (role, partner organisation),
- `/healthz`, `/readyz`, `/metrics`, `/openapi.json`, `/docs`,
- a request id on every request and JSON access logs,
- an audit record of every authenticated `/v1` call (`GET /v1/audit?resource_id=`, administrators),
- cursor pagination and the Idempotency-Key flow.
"""
from shared.http.app import create_base_app, service_app
from shared.http.context import Runtime, principal, runtime, service_runtime
from shared.http.exports import csv_response, flatten_row, iso, wants_csv
from shared.http.paging import PageQuerySchema, page_of
from shared.http.problems import PROBLEM, HomewardApi, Problem, flatten_errors, problem_response, refusal_response
from shared.http.ratelimit import RateLimiter, too_many
from shared.http.security import audit_resource, require
from shared.http.writes import idempotent

__all__ = ["PROBLEM", "HomewardApi", "PageQuerySchema", "Problem", "RateLimiter", "Runtime", "audit_resource",
           "create_base_app", "csv_response", "flatten_errors", "flatten_row", "idempotent", "iso", "page_of",
           "principal", "problem_response", "refusal_response", "require", "runtime", "service_app", "service_runtime", "too_many", "wants_csv"]
