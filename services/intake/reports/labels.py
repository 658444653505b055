"""Dutch and English labels of the reports' figures. The Dutch of the programme's figures is the
wording of the programme documents (000_... "Kwartaalrapportage", 004_... "resultaten")."""
from __future__ import annotations

SECTIONS = {
    "programme": ("Kwartaalrapportage Toekomstoriëntatie en Terugkeerbegeleiding",
                  "Quarterly report: future orientation and return guidance"),
    "monitoring": ("Monitoringcijfers van Homeward", "Homeward's monitoring figures"),
}

COLUMNS = {
    "current": ("huidig", "current"),
    "period": ("afgelopen periode", "this period"),
    "cumulative": ("cumulatief", "cumulative"),
    "at_end": ("aan het eind van het kwartaal", "at the end of the quarter"),
}

QUARTERLY = {
    "in_future_orientation": ("Aantal cliënten in traject Toekomstoriëntatie",
                              "Clients in future orientation"),
    "in_return_guidance": ("Aantal cliënten in traject Terugkeerbegeleiding", "Clients in return guidance"),
    "returned": ("Aantal cliënten teruggekeerd naar land van herkomst",
                 "Clients returned to the country of origin"),
    "to_other_return_organisations": ("Aantal cliënten uitgestroomd naar andere terugkeerorganisaties",
                                      "Clients to other return organisations"),
    "to_irregularity": ("Aantal cliënten uitgestroomd naar illegaliteit", "Clients to illegality"),
    "to_lso": ("Aantal cliënten naar LSO", "Clients to the LSO (national aliens facility meeting)"),
    # not in 000_...'s list: Homeward's additions, so that every way out is counted
    "to_residence_permit": ("Aantal cliënten met verblijfsvergunning (aanvulling Homeward)",
                            "Clients with a residence permit (Homeward's addition)"),
    "other_exits": ("Aantal cliënten anderszins uitgestroomd (aanvulling Homeward)",
                    "Clients who left otherwise (Homeward's addition)"),
}

MONITORING = {
    "registered": ("Geregistreerd in Homeward", "Registered in Homeward"),
    "in_return_guidance": ("In Homeward vóór vertrek", "In Homeward before departure"),
    "handed_over": ("Overgedragen aan een partnerorganisatie", "Handed over to a partner organisation"),
    "departed": ("Vertrokken", "Departed"),
    "arrived": ("Aankomst bevestigd door de partner", "Arrival confirmed by the partner"),
    "in_monitoring": ("In monitoring", "In monitoring"),
    "monitoring_completed": ("Monitoring afgerond", "Monitoring completed"),
    "lost_contact": ("Contact verloren", "Lost contact"),
    "re_migrated": ("Opnieuw gemigreerd", "Re-migrated"),
}

PROGRAMME = {
    "enrolled_in_counselling": ("Ingeschreven en begeleid in toekomstoriëntatie en counseling",
                                "Enrolled in future orientation and counselling"),
    "referred_to_return_guidance": ("Doorverwezen voor terugkeer naar terugkeerbegeleiding",
                                    "Referred to return guidance"),
    "referred_to_other_return_organisations": ("Doorverwezen naar andere terugkeerorganisaties",
                                               "Referred to other return organisations"),
    "enrolled_in_return_guidance": ("Ingeschreven in terugkeerbegeleiding", "Enrolled in return guidance"),
    "returned": ("Teruggekeerd", "Returned"),
    "returned_with_reintegration_support": ("Teruggekeerd met re-integratieondersteuning in het land van herkomst",
                                            "Returned with reintegration support in the country of origin"),
}


def labelled(table: dict) -> dict:
    """{name: (nl, en)} -> {name: {"nl": ..., "en": ...}} for JSON."""
    return {name: {"nl": nl, "en": en} for name, (nl, en) in table.items()}
