"""Evolving stored data: every document carries `schema_version`, and each service lists the steps
that bring older documents to the current shape.

A step names a document class, the version it reads and the version it writes, and a function from
the stored (raw) document to the fields to set. Run a service's steps with
`python -m services.<service>.migrations [--dry-run]` (or `make migrate SERVICE=<service>`): each
document is updated on its own with a condition on its version, so the command can be stopped and
run again, and a document that a running service rewrote meanwhile is simply skipped or redone.
Documents written before `schema_version` existed count as version 0.
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Callable, Iterable


@dataclass(frozen=True)
class Migration:
    document: type  # a mongoengine Document class
    from_version: int
    to_version: int
    change: Callable[[dict], dict]  # raw stored document -> fields to $set
    description: str

    def selector(self) -> dict:
        if self.from_version == 0:
            return {"$or": [{"schema_version": {"$exists": False}}, {"schema_version": 0}]}
        return {"schema_version": self.from_version}


def baseline(*document_classes) -> list[Migration]:
    """Version 0 -> 1 for each class: documents stored before `schema_version` existed keep their shape."""
    return [Migration(cls, 0, 1, lambda doc: {}, "stored before schema versions: the shape of version 1")
            for cls in document_classes]


def pending(migrations: Iterable[Migration]) -> list[tuple[Migration, int]]:
    """Each step with the number of documents still waiting for it."""
    return [(m, m.document.objects(__raw__=m.selector()).count()) for m in migrations]


def migrate(migrations: Iterable[Migration], dry_run: bool = False, batch: int = 500) -> list[tuple[Migration, int]]:
    """Apply the steps in order of version; returns how many documents each step changed (or would)."""
    done = []
    for step in sorted(migrations, key=lambda m: (m.document.__name__, m.from_version)):
        changed = 0
        while True:
            docs = list(step.document.objects(__raw__=step.selector()).limit(batch).as_pymongo())
            if dry_run:
                changed = step.document.objects(__raw__=step.selector()).count()
                break
            if not docs:
                break
            for doc in docs:
                fields = {**step.change(doc), "schema_version": step.to_version}
                changed += step.document.objects(__raw__={"_id": doc["_id"], **step.selector()}).update_one(
                    __raw__={"$set": fields})
        done.append((step, changed))
    return done


def main(service: str, alias: str, migrations: list[Migration], argv=None) -> int:
    """The command line of one service's migrations."""
    from shared import store
    from shared.config import Settings

    parser = argparse.ArgumentParser(prog=f"python -m services.{service}.migrations",
                                     description=f"Bring the {service} service's stored documents to the current schema.")
    parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
    args = parser.parse_args(argv)
    settings = Settings.from_env(service)
    if not settings.mongodb_uri:
        print("MONGODB_URI is not set: the embedded store lives inside a running service and starts empty; "
              "nothing to migrate.")
        return 0
    store.connect(settings, alias)
    for step, count in migrate(migrations, dry_run=args.dry_run):
        verb = "would change" if args.dry_run else "changed"
        print(f"{step.document.__name__} v{step.from_version} -> v{step.to_version}: {verb} {count} "
              f"({step.description})")
    return 0
