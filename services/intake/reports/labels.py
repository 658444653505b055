"""The labels of the reports' figures, English message ids marked N_ (services/intake/printed.py) and
translated in the `printed` catalogues. The Dutch of the programme's figures is the wording of the
programme documents (000_... "Kwartaalrapportage", 004_... "resultaten")."""
from __future__ import annotations

from services.intake.printed import N_, translated

SECTIONS = {
    "programme": N_("Quarterly report: future orientation and return guidance"),
    "monitoring": N_("Homeward's monitoring figures"),
}

COLUMNS = {
    "current": N_("current"),
    "period": N_("this period"),
    "cumulative": N_("cumulative"),
    "at_end": N_("at the end of the quarter"),
}

QUARTERLY = {
    "in_future_orientation": N_("Clients in future orientation"),
    "in_return_guidance": N_("Clients in return guidance"),
    "returned": N_("Clients returned to the country of origin"),
    "to_other_return_organisations": N_("Clients to other return organisations"),
    "to_irregularity": N_("Clients to illegality"),
    "to_lso": N_("Clients to the LSO (national aliens facility meeting)"),
    # not in 000_...'s list: Homeward's additions, so that every way out is counted
    "to_residence_permit": N_("Clients with a residence permit (Homeward's addition)"),
    "ended_not_cooperating": N_("Guidance ended: the client did not cooperate (Homeward's addition)"),
    "ended_term_expired": N_("Guidance ended: the agreed term expired (Homeward's addition)"),
    "ended_goals_achieved": N_("Guidance ended: the goals were achieved (Homeward's addition)"),
    "other_exits": N_("Clients who left otherwise (Homeward's addition)"),
}

MONITORING = {
    "registered": N_("Registered in Homeward"),
    "in_return_guidance": N_("In Homeward before departure"),
    "handed_over": N_("Handed over to a partner organisation"),
    "departed": N_("Departed"),
    "arrived": N_("Arrival confirmed by the partner"),
    "in_monitoring": N_("In monitoring"),
    "monitoring_completed": N_("Monitoring completed"),
    "lost_contact": N_("Lost contact"),
    "re_migrated": N_("Re-migrated"),
}

PROGRAMME = {
    "enrolled_in_counselling": N_("Enrolled in future orientation and counselling"),
    "referred_to_return_guidance": N_("Referred to return guidance"),
    "referred_to_other_return_organisations": N_("Referred to other return organisations"),
    "enrolled_in_return_guidance": N_("Enrolled in return guidance"),
    "returned": N_("Returned"),
    "returned_with_reintegration_support": N_("Returned with reintegration support in the country of origin"),
}


def labelled(table: dict) -> dict:
    """{name: message id} -> {name: {"nl": ..., "en": ..., "fr": ...}} for JSON."""
    return {name: {lang: translated(text, lang) for lang in ("nl", "en", "fr")}
            for name, text in table.items()}


def dutch_and_english(text: str) -> tuple[str, str]:
    """A label as the CSV columns `label_nl` and `label_en` hold it."""
    return translated(text, "nl"), text
