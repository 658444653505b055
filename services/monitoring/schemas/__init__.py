"""Monitoring's HTTP schemas and the fields it reads from intake's and partners' events, one module per
concern: checkins (what a check-in writes), queries (cases and alerts asked for), readers (events read, tolerant),
answers (what the views answer, documented in the OpenAPI document).
"""
from __future__ import annotations

from services.monitoring.schemas.checkins import (SlotField, ScoresSchema, SupportDeliveredSchema, CheckinSchema,
                                                  CheckinOutSchema, BatchItemSchema, BatchSchema)
from services.monitoring.schemas.queries import (CaseQuerySchema, ALERT_ID, AlertCountsQuerySchema, AlertQuerySchema,
                                                 AlertActionSchema)
from services.monitoring.schemas.readers import (HandoverRequestedSchema, HandoverAnsweredSchema, DepartedSchema,
                                                 ArrivedSchema, ErasedSchema, AccessRevokedSchema, ExitedSchema,
                                                 ReturneeUpdatedSchema, AssessedSchema)
from services.monitoring.schemas.answers import (BatchResultSchema, BatchResultsSchema, AlertSchema, CaseItemSchema,
                                                 CaseSchema, ScoringSchemeSchema, RecomputeSchema, InsightSchema,
                                                 OutcomesSchema, ScorecardSchema, AlertCountsSchema)

__all__ = ["SlotField", "ScoresSchema", "SupportDeliveredSchema", "CheckinSchema", "CheckinOutSchema",
           "BatchItemSchema", "BatchSchema", "CaseQuerySchema", "ALERT_ID", "AlertQuerySchema", "AlertActionSchema",
           "AlertCountsQuerySchema", "AlertCountsSchema",
           "HandoverRequestedSchema", "HandoverAnsweredSchema", "DepartedSchema", "ArrivedSchema", "ErasedSchema",
           "AccessRevokedSchema", "ExitedSchema", "ReturneeUpdatedSchema", "AssessedSchema", "BatchResultSchema", "BatchResultsSchema",
           "AlertSchema", "CaseItemSchema", "CaseSchema", "ScoringSchemeSchema", "RecomputeSchema", "InsightSchema",
           "OutcomesSchema", "ScorecardSchema"]
