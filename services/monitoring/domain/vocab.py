"""Vocabularies of design.md that monitoring accepts and emits."""
DOMAINS = ("economic", "housing", "social", "health", "resilience")
CONTACT_MODES = ("in_person", "phone", "video", "message", "via_family")
RETURNEE_STATUSES = ("in_country", "re_migrated", "unreachable", "deceased")
SLOT_STATUSES = ("scheduled", "due", "overdue", "missed", "completed")
SUPPORT_TYPES = ("housing", "medical", "business", "education", "psychosocial", "family_tracing",
                 "documents", "cash")
VULNERABILITIES = ("medical", "chronic_illness", "mental_health", "trafficking_victim", "unaccompanied_minor",
                   "lgbt", "elderly_without_network", "single_parent", "low_literacy")
ALERT_TYPES = ("checkin_overdue", "lost_contact", "critical_domain", "index_drop", "safety_concern",
               "re_migrated", "deceased", "arrival_not_confirmed", "handover_unanswered")
ALERT_STATUSES = ("open", "acknowledged", "resolved")
CASE_STATES = ("awaiting_arrival", "active", "completed", "closed")
