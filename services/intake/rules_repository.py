"""The rule sets administrators loaded (EligibilityRuleSet), beside the shipped ones: read whole, added once."""
from __future__ import annotations

from datetime import datetime

from mongoengine.errors import NotUniqueError

from services.intake.documents import EligibilityRuleSet
from services.intake.eligibility_rules import SchemeRules


class RuleSetRepository:
    def loaded(self) -> list[dict]:
        """Every loaded rule set: `{"rules": <raw JSON>, "loaded_at", "loaded_by"}` (a handful: one per year)."""
        return [{"rules": doc["rules"], "loaded_at": doc["loaded_at"], "loaded_by": doc["loaded_by"]}
                for doc in EligibilityRuleSet.objects().order_by("valid_from").as_pymongo()]

    def add(self, rules: SchemeRules, raw: dict, who: str, now: datetime) -> bool:
        """Store a validated rule set; False when its year is taken (another administrator was first)."""
        try:
            EligibilityRuleSet(id=str(rules.year), rules=raw, valid_from=rules.valid_from, loaded_at=now,
                               loaded_by=who).save(force_insert=True)
        except NotUniqueError:
            return False
        return True
