"""Intake's HTTP schemas and the fields it reads from other services' events, one module per concern."""
from __future__ import annotations

from services.intake.schemas.days import (EARLIEST, EARLIEST_EVENT, not_future, plausible_event, plausible_birth,
                                          plausible_departure, EVENT_DAY, BIRTH_DAY, PLANNED_DAY, unique,
                                          STAFF_NAME_PATTERN)
from services.intake.schemas.returnees import (HouseholdSchema, ConsentSchema, SupportSchema, PlanSchema,
                                               ContactSchema, StepSchema, HandoverStateSchema, TrajectoryStepSchema,
                                               ExitStateSchema, ReturneeSchema, ReturneeOutSchema,
                                               ReturneePatchSchema, ReturneeQuerySchema, CountsQuerySchema,
                                               ReturneeCountsSchema, TrajectoryChangeSchema, ExitSchema,
                                               DepartureSchema)
from services.intake.schemas.organisations import (OrganisationSchema, OrganisationPatchSchema,
                                                   OrganisationQuerySchema, HandoverRequestSchema,
                                                   EligibilityQuerySchema, SchemeAssessmentSchema, EligibilitySchema)
from services.intake.schemas.readers import HandoverEventSchema, MonitoringEventSchema, InsightsEventSchema
from services.intake.schemas.reports import (ReportFilterSchema, QuarterQuerySchema, ProgrammeQuerySchema,
                                             ProgressQuerySchema, ProgressBatchQuerySchema, BriefQuerySchema,
                                             CountryInsightSchema, PersonalKeySchema, QuarterlyReportSchema,
                                             ChainPartnerQuerySchema, InsightsQuerySchema, CountryInsightsSchema,
                                             TargetsQuerySchema, TargetsSchema)

__all__ = ["TargetsQuerySchema", "TargetsSchema", "EARLIEST", "EARLIEST_EVENT", "not_future", "plausible_event", "plausible_birth", "plausible_departure",
           "EVENT_DAY", "BIRTH_DAY", "PLANNED_DAY", "unique", "STAFF_NAME_PATTERN", "HouseholdSchema",
           "ConsentSchema", "SupportSchema", "PlanSchema", "ContactSchema", "StepSchema", "HandoverStateSchema",
           "TrajectoryStepSchema", "ExitStateSchema", "ReturneeSchema", "ReturneeOutSchema", "ReturneePatchSchema",
           "ReturneeQuerySchema", "CountsQuerySchema", "ReturneeCountsSchema", "TrajectoryChangeSchema",
           "ExitSchema", "DepartureSchema", "OrganisationSchema", "OrganisationPatchSchema",
           "OrganisationQuerySchema", "HandoverRequestSchema", "EligibilityQuerySchema", "SchemeAssessmentSchema",
           "EligibilitySchema", "HandoverEventSchema", "MonitoringEventSchema", "InsightsEventSchema",
           "ReportFilterSchema", "QuarterQuerySchema", "ProgrammeQuerySchema", "ProgressQuerySchema",
           "ProgressBatchQuerySchema", "BriefQuerySchema", "CountryInsightSchema", "PersonalKeySchema",
           "QuarterlyReportSchema", "ChainPartnerQuerySchema", "InsightsQuerySchema", "CountryInsightsSchema"]
