"""The perspective plan's persistence (services/intake/plan_versions.py): the `plan_versions` collection, one
document a version, the only module querying it. Goals and reasons are stored sealed with the returnee's key."""
from __future__ import annotations

from mongoengine import DateField, DateTimeField, DictField, Document, IntField, ListField, NotUniqueError, StringField

from services.intake.documents import ALIAS
from shared.document_dicts import stored_days, with_days
from shared.documents import SCHEMA_VERSION

PLAN_VERSION_INDEXES = [("returnee_id", "-version")]


class PlanVersion(Document):
    """One version of a returnee's perspective plan: `_id` is `<returnee id>:<version>`, so two writers of the
    same version collide. `goals` ({"goals": [...]}) and `reason` are sealed (shared.sealing); `changes` names
    goals by id and fields by name only."""

    id = StringField(primary_key=True)
    returnee_id = StringField(required=True)
    version = IntField(required=True, min_value=1)
    goals = DictField(required=True)
    reason = DictField(null=True)
    changes = ListField(DictField())
    written_by = StringField(required=True, max_length=200)
    written_at = DateTimeField(required=True)
    fixed_on = DateField(null=True)
    fixed_by = StringField(max_length=200, null=True)
    fixed_at = DateTimeField(null=True)
    schema_version = IntField(default=SCHEMA_VERSION)
    meta = {"db_alias": ALIAS, "collection": "plan_versions", "indexes": PLAN_VERSION_INDEXES}


def _from_document(doc: dict) -> dict:
    return {name: value for name, value in with_days(PlanVersion, doc).items() if name not in ("_id", "schema_version")}


class PlanRepository:
    def versions(self, returnee_id: str) -> list[dict]:
        """Every stored version of the returnee's plan, oldest first."""
        docs = PlanVersion.objects(returnee_id=returnee_id).order_by("-version").as_pymongo()
        return [_from_document(doc) for doc in reversed(list(docs))]

    def add(self, version: dict) -> bool:
        """Store a new version; False when that version exists (written meanwhile)."""
        try:
            PlanVersion(id=f"{version['returnee_id']}:{version['version']}", **version).save(force_insert=True)
        except NotUniqueError:
            return False
        return True

    def fix(self, returnee_id: str, version: int, changes: dict) -> bool:
        """Fix a version that is not fixed yet."""
        query = PlanVersion.objects(returnee_id=returnee_id, version=version, fixed_on=None)
        return bool(query.update_one(__raw__={"$set": stored_days(changes)}))

    def delete_all_of(self, returnee_id: str) -> int:
        return PlanVersion.objects(returnee_id=returnee_id).delete()
