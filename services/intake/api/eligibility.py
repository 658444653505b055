"""The eligibility check and the yearly rule sets it judges by (shipped in eligibility_rules.json, and the
years an administrator loads: validated, compared with the rule set before it, then in force from their day)."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.intake import eligibility, rule_sets
from services.intake.eligibility_rules import RulesFileError, rules_for
from services.intake.schemas import EligibilityQuerySchema, EligibilitySchema
from services.intake.schemas.rules import (RuleSetBodySchema, RuleSetListSchema, RuleSetLoadQuerySchema,
                                           RuleSetPreviewSchema)
from shared.errors import Conflict, Invalid
from shared.http import principal, require, runtime
from shared.texts import Text

from services.intake.api.common import READERS

eligibility_blp = Blueprint("eligibility", __name__, url_prefix="/v1/eligibility",
                            description="REAN and HRT eligibility and amounts, as dated rules")


def _service():
    return runtime().extras["service"]


def current_rules() -> tuple[dict, dict]:
    """(rule sets by year, the loaded ones' records by year): the shipped rule sets and the loaded ones."""
    loaded = _service().rule_sets.loaded()  # one read for both
    return _service().eligibility_rules(loaded), {entry["rules"]["year"]: entry for entry in loaded}


@eligibility_blp.route("")
@eligibility_blp.arguments(EligibilityQuerySchema, location="query")
@eligibility_blp.alt_response(200, schema=EligibilitySchema, success=True)
@require(*READERS)
def get_eligibility(args):
    """Which return schemes apply for a nationality, a country of return and a household, on a (planned)
    departure day, with the year of the rules used and whether they are older than that day's year."""
    on = args.pop("on") or _service().clock.today()
    country = args.pop("country")
    return eligibility.assess(country, on=on, rules=_service().eligibility_rules(), **args)


def _shown(rules, loaded: dict, today) -> dict:
    record = loaded.get(rules.year) or {}
    return {**rule_sets.as_json(rules), "origin": "loaded" if record else "shipped",
            "loaded_at": record.get("loaded_at"), "loaded_by": record.get("loaded_by"),
            "upcoming": rules.valid_from > today, "in_force": False}


@eligibility_blp.route("/rules", methods=["GET"])
@eligibility_blp.response(200, RuleSetListSchema)
@require(*READERS)
def list_rule_sets():
    """Every rule set, shipped and loaded, in the order they take effect; `in_force` marks today's."""
    rules, loaded = current_rules()
    today = _service().clock.today()
    in_force = rules_for(today, rules).year
    items = [{**_shown(r, loaded, today), "in_force": r.year == in_force}
             for r in sorted(rules.values(), key=lambda r: r.valid_from)]
    return {"items": items}


@eligibility_blp.route("/rules", methods=["POST"])
@eligibility_blp.arguments(RuleSetLoadQuerySchema, location="query")
@eligibility_blp.arguments(RuleSetBodySchema)
@eligibility_blp.response(200, RuleSetPreviewSchema, description="the dry run: what would change")
@eligibility_blp.alt_response(201, schema=RuleSetPreviewSchema, description="loaded")
@require("admin")
def load_rule_set(args, body):
    """Load a new year's rule set (administrators): with `dry_run=true` only validated and compared with the
    rule set in force before it; without, stored and in force from its `valid_from`. A rule set is never
    changed once loaded (409 for a year that has one)."""
    rules, loaded = current_rules()
    body = {**body, "valid_from": body["valid_from"].isoformat()}  # as the shipped file writes it
    if body["year"] in rules:
        raise Conflict(Text("The rule set for {year} is there already; a rule set is not changed once loaded.",
                            year=body["year"]))
    try:
        new = rule_sets.accepted(body, rules)
    except RulesFileError as exc:
        raise Invalid(Text("The rule set is not valid."),
                      errors={"rules": Text("Not a valid rule set: {why}", why=str(exc))}) from None
    before = rule_sets.latest(rules)
    today = _service().clock.today()
    answer = {"dry_run": args["dry_run"], "rule_set": _shown(new, {}, today), "compared_with": before.year,
              "differences": rule_sets.differences(before, new)}
    if args["dry_run"]:
        return answer
    if not _service().rule_sets.add(new, body, principal().sub, _service().clock.now()):
        raise Conflict(Text("The rule set for {year} is there already; a rule set is not changed once loaded.",
                            year=new.year))
    answer["rule_set"] = {**answer["rule_set"], "origin": "loaded", "loaded_by": principal().sub,
                          "loaded_at": _service().clock.now()}
    return answer, 201
