"""The parts of a returnee's document (intake's `Returnee` in documents.py): household, consent, plan and its
support lines, contact, handover and its steps, monitoring's summary, outcomes, trajectory steps and exit.

Embedded documents only: they are stored inside `returnees`, never on their own; documents.py names them.
"""
from __future__ import annotations

from mongoengine import (BooleanField, DateField, DateTimeField, DictField, EmailField, EmbeddedDocument,
                         EmbeddedDocumentField, EmbeddedDocumentListField, FloatField, IntField, StringField, ValidationError)

from services.intake.vocabulary import (DOMAINS, EXIT_REASONS, FUNDING_SOURCES, HANDOVER_STATUSES,
                                        STATUSES, SUPPORT_TYPES, TRAJECTORIES)


class Household(EmbeddedDocument):
    adults = IntField(min_value=0, default=1)
    minors = IntField(min_value=0, default=0)  # accompanied
    unaccompanied_minors = IntField(min_value=0, default=0)


class Consent(EmbeddedDocument):
    share_with_partner = BooleanField(required=True)
    share_outcomes_with_chain_partners = BooleanField(default=False)
    given_on = DateField(required=True)


class Support(EmbeddedDocument):
    type = StringField(required=True, choices=SUPPORT_TYPES)
    description = StringField(default="")
    budget_eur = FloatField(min_value=0, null=True)  # the amount of a line in euros (plan_lines.py)
    amount = FloatField(min_value=0, null=True)  # in `currency`; absent on lines from before currencies
    currency = StringField(max_length=3)  # ISO 4217; absent: EUR
    funding_source = StringField(choices=FUNDING_SOURCES, null=True)  # absent or null: not known
    goal = StringField(null=True)  # the perspective plan's goal the line serves (its id); absent or null: none


class Plan(EmbeddedDocument):
    goals = DictField(StringField())  # domain (one of DOMAINS) -> goal
    planned_support = EmbeddedDocumentListField(Support)

    def validate(self, clean=True):
        super().validate(clean)
        unknown = set(self.goals or {}) - set(DOMAINS)
        if unknown:
            raise ValidationError(f"goals for unknown domains: {sorted(unknown)}", field_name="goals")


class Contact(EmbeddedDocument):
    phone = StringField(max_length=50)
    email = EmailField()
    address = StringField(max_length=500)


class Decline(EmbeddedDocument):
    reason = StringField(required=True)
    detail = StringField(default="")


class Handover(EmbeddedDocument):
    """The latest offer of the case to a partner organisation."""

    id = StringField(required=True)
    partner_id = StringField(required=True)
    status = StringField(required=True, choices=HANDOVER_STATUSES)
    requested_at = DateTimeField(required=True)
    decline = EmbeddedDocumentField(Decline, null=True)
    imported = DictField(null=True)  # a caseload import's departed_on, arrived_on, go_live_on (ISO days)


class Step(EmbeddedDocument):
    status = StringField(required=True, choices=STATUSES)
    at = DateTimeField(required=True)


class MonitoringSummary(EmbeddedDocument):
    """Monitoring's latest summary, as its events carry it (`next_due_on` as an ISO day)."""
    next_due_on = StringField(null=True)
    latest_index = FloatField(null=True)
    open_alerts = IntField(default=0)
    latest_scores = DictField(null=True)  # domain -> 1..5 or null: the latest scored check-in's
    latest_scored_on = StringField(null=True)  # its contact date (ISO day)


class Outcomes(EmbeddedDocument):
    """Outcomes monitoring reported, for the quarterly report."""
    lost_contact_on = DateField()
    re_migrated_on = DateField()
    supported_on = DateField()  # a check-in reported support delivered (the programme results count it)


class TrajectoryStep(EmbeddedDocument):
    """The client was in `trajectory` from `started_on` (a decision's date) until the next step."""

    trajectory = StringField(required=True, choices=TRAJECTORIES)
    started_on = DateField(required=True)
    recorded_at = DateTimeField(required=True)


class Exit(EmbeddedDocument):
    """How a case ended without return; `organisation` is a `ReturnOrganisation` id."""

    reason = StringField(required=True, choices=EXIT_REASONS)
    exited_on = DateField(required=True)
    organisation = StringField(null=True)
    note = StringField(default="")
    recorded_at = DateTimeField(required=True)
