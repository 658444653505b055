"""The caseload import: a dry run answers what would happen; the import itself writes the good rows.

Both judge every row first (services.intake.imports.rows). The dry run writes nothing. The import registers
each new row through handlers.register_returnee (the write of POST /v1/returnees) and, when the row names a
partner, offers the case through handlers.request_handover, with the departure, arrival and go-live days
of a client who already returned (recorded when the partner accepts, docs/import.md); rows refused, unchanged or changed are written
nowhere and reported. It runs in a thread beside the request, its progress and report stored as an
import run (GET /v1/returnees/imports/{id}), so thousands of rows never hold a request open.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from ulid import ULID

from services.intake import handlers
from services.intake.imports.rows import CHANGED, CREATE, REFUSED, RETURN_DAYS, UNCHANGED, Row
from services.intake.import_repository import ImportRepository
from shared.errors import DomainError

log = logging.getLogger(__name__)
CHUNK = 100  # rows between two progress writes (and two checks of what was registered meanwhile)

Translate = Callable[[object], str]


def preview(rows: list[Row], translate: Translate, dry_run: bool = True) -> dict:
    """The answer: counts per outcome, each row's outcome, and every refused cell with its message."""
    counts = {outcome: sum(1 for row in rows if row.outcome == outcome)
              for outcome in (CREATE, UNCHANGED, CHANGED, REFUSED)}
    return {"dry_run": dry_run, "total": len(rows), **counts, "done": len(rows) if not dry_run else 0,
            "rows": [_row_report(row) for row in rows],
            "errors": [{"row": row.number, "column": column, "message": translate(message)}
                       for row in rows for column, message in row.errors]}


def _row_report(row: Row) -> dict:
    report = {"row": row.number, "client_ref": row.client_ref, "outcome": row.outcome,
              "returnee_id": row.returnee_id, "columns": row.columns}
    days = {name: row.returned[name].isoformat() for name in RETURN_DAYS if row.returned.get(name)}
    if days and row.outcome == CREATE:
        report["returned"] = days  # offered with the case: recorded when the partner accepts
    return report


def start(deps: handlers.Deps, imports: ImportRepository, rows: list[Row], owner: str, translate: Translate,
          background: bool = True) -> str:
    """Store a new import run and write its rows (in a thread unless `background` is False); its id."""
    run_id = "imp_" + str(ULID())
    imports.start(run_id, owner, len(rows), deps.clock.now())
    work = threading.Thread(target=execute, args=(deps, imports, run_id, rows, translate), daemon=True,
                            name=f"import-{run_id}")
    work.start() if background else work.run()
    return run_id


def execute(deps: handlers.Deps, imports: ImportRepository, run_id: str, rows: list[Row],
            translate: Translate) -> None:
    try:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK]
            # registered meanwhile (another import of the same file)? One query a chunk, not one a row
            known = imports.by_client_refs([row.client_ref for row in chunk if row.outcome == CREATE])
            for row in chunk:
                if row.outcome == CREATE:
                    _create(deps, row, known.get(row.client_ref))
            imports.progress(run_id, start + len(chunk), deps.clock.now())
        imports.finish(run_id, "finished", preview(rows, translate, dry_run=False), deps.clock.now())
    except Exception:  # noqa: BLE001 - the run says it failed; what was written stays (each row is one write)
        log.exception("import %s failed", run_id)
        report = preview(rows, translate, dry_run=False)
        imports.finish(run_id, "failed", {**report, "done": sum(1 for r in rows if r.returnee_id)}, deps.clock.now())


def _create(deps: handlers.Deps, row: Row, meanwhile: dict | None) -> None:
    if meanwhile is not None:
        row.outcome, row.returnee_id = UNCHANGED, meanwhile["id"]
        return
    returnee = handlers.register_returnee(deps, row.body)
    row.returnee_id = returnee["id"]
    partner = row.returned.get("partner_id")
    if partner:
        try:
            imported = {name: row.returned.get(name) for name in RETURN_DAYS}
            handlers.request_handover(deps, returnee["id"], partner,
                                      imported if any(imported.values()) else None)
        except DomainError as refusal:  # the returnee is registered; the offer can be made on its page
            row.errors.append(("partner_id", refusal.detail))
