"""One small client per service's public HTTP API; views never make HTTP calls themselves."""
from services.web.clients.base import ApiError, ApiUnavailable
from services.web.clients.intake import IntakeClient
from services.web.clients.monitoring import MonitoringClient
from services.web.clients.partners import PartnersClient

__all__ = ["ApiError", "ApiUnavailable", "IntakeClient", "MonitoringClient", "PartnersClient"]
