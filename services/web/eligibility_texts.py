"""What the eligibility answer's codes say on the pages (intake answers codes: `reasons`, `warnings`), and the
REAN questions the register form asks with their explanations (docs/eligibility.md)."""
from __future__ import annotations

from flask_babel import gettext as _, lazy_gettext as _l

REASONS = {
    "country_excluded": _l("nationals of this country are excluded from REAN"),
    "rean_in_last_5_years": _l("left the Netherlands through REAN in the last five years"),
    "deported_in_last_5_years": _l("deported at the Dutch government's expense in the last five years"),
    "requires_rean": _l("HRT only comes with REAN"),
    "country_not_on_hrt_list": _l("the nationality is not on the HRT list"),
    "dublin_claimant_excluded": _l("Dublin claimants of this nationality are excluded from HRT"),
}

RULE_PARTS = {  # a rule set's amounts and lists, as the rule sets page names them
    "rean_adult": _l("REAN per adult"), "rean_accompanied_minor": _l("REAN per accompanied minor"),
    "hrt_adult": _l("HRT per adult"), "hrt_accompanied_minor": _l("HRT per accompanied minor"),
    "ngo_extra": _l("extra through an NGO"), "rean_excluded": _l("excluded from REAN"),
    "hrt_countries": _l("HRT countries"), "hrt_dublin_excluded": _l("Dublin claimants excluded from HRT"),
}

QUESTIONS = (
    ("left_via_rean_within_5_years", _l("Left the Netherlands through REAN in the last five years"),
     _l("REAN is refused to whoever left with it less than five years ago.")),
    ("deported_within_5_years", _l("Deported at the Dutch government's expense in the last five years"),
     _l("REAN is refused to whoever was deported at the government's expense less than five years ago.")),
    ("dublin_claimant", _l("Dublin claimant"),
     _l("An asylum claim another EU country handles (Dublin regulation): some nationalities (Mongolia) get no HRT.")),
)


def reason(code: str) -> str:
    return str(REASONS.get(code, code))


def warnings(answer: dict, judged_on=None) -> list[str]:
    """The answer's warnings as sentences: rules older than the year judged (`judged_on`: the planned departure,
    else the day of the assessment), a return to a third country."""
    out = []
    if answer.get("rules_outdated"):
        judged = str(judged_on or "")[:4] or _("the year of departure")
        out.append(_("The rules of %(year)s are older than the year of departure %(judged)s: check with IOM.",
                     year=answer.get("rule_year"), judged=judged))
    if answer.get("third_country"):
        out.append(_("A return to another country than the nationality: HRT goods and services only in some "
                     "cases, REAN only with admission there. Check with IOM."))
    return out


def rule_part(name: str) -> str:
    return str(RULE_PARTS.get(name, name))


def install(app) -> None:
    app.jinja_env.globals.update(eligibility_questions=lambda: QUESTIONS, eligibility_warnings=warnings,
                                 rule_part=rule_part)
    app.jinja_env.filters.update(eligibility_reason=reason)
