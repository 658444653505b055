"""The APIs' vocabularies, marked for translation: templates show `_(value)` for these codes.

Nothing imports the list: it exists so that `pybabel extract` finds every code the pages translate.
"""
from flask_babel import lazy_gettext as _l

WORDS = (
    # returnee status (intake) and timeline steps
    _l("registered"), _l("handover_requested"), _l("handover_declined"), _l("handover_accepted"), _l("departed"),
    _l("arrived"), _l("monitoring_completed"), _l("closed"), _l("checkin"), _l("alert_raised"),
    _l("alert_acknowledged"), _l("alert_resolved"),
    # handover status and decline reasons (partners)
    _l("offered"), _l("accepted"), _l("declined"), _l("expired"), _l("withdrawn"),
    _l("no_capacity"), _l("not_in_coverage_area"), _l("services_not_offered"), _l("other"),
    # webhook messages (partners)
    _l("pending"), _l("delivered"), _l("failed"),
    # roles
    _l("consultant"), _l("project_lead"), _l("admin"),
    # gender, domains, support types, vulnerabilities
    _l("female"), _l("male"), _l("unknown"),
    _l("economic"), _l("housing"), _l("social"), _l("health"), _l("resilience"),
    _l("medical"), _l("business"), _l("education"), _l("psychosocial"), _l("family_tracing"), _l("documents"),
    _l("cash"),
    _l("chronic_illness"), _l("mental_health"), _l("trafficking_victim"), _l("unaccompanied_minor"), _l("lgbt"),
    _l("elderly_without_network"), _l("single_parent"), _l("low_literacy"),
    # check-in slots and alerts (monitoring)
    _l("scheduled"), _l("due"), _l("overdue"), _l("missed"), _l("completed"),
    _l("checkin_overdue"), _l("lost_contact"), _l("critical_domain"), _l("index_drop"), _l("safety_concern"),
    _l("re_migrated"), _l("deceased"), _l("arrival_not_confirmed"), _l("handover_unanswered"),
    _l("open"), _l("acknowledged"), _l("resolved"),
    # a check-in's contact mode and where the returnee is (monitoring)
    _l("in_person"), _l("phone"), _l("video"), _l("message"), _l("via_family"),
    _l("in_country"), _l("unreachable"),
    # trajectories, exits and the progress report's stages and steps (intake)
    _l("exited"), _l("future_orientation"), _l("return_guidance"), _l("other_return_organisation"), _l("irregular"),
    _l("lso"), _l("residence_permit"), _l("decided_to_return"), _l("back_to_future_orientation"),
    # quarterly figures and outcome groupings
    _l("in_return_guidance"), _l("handed_over"), _l("in_monitoring"),
    _l("by country"), _l("by partner"), _l("by cohort"), _l("by vulnerability"), _l("by office"),
    _l("by office_region"), _l("none"),
)
