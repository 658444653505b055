"""Subject access and chain partners: what Homeward discloses about one returnee, and to whom.

`export_subject` gathers everything every service holds about one returnee into one document (GDPR
art. 15 and 20): intake's record and audit entries, and what partners and monitoring answer at their
`GET /v1/subjects/{returnee_id}`, asked server-side with a short `service` token (as partners asks
intake for sealing keys). `chain_partner_summary` is the one disclosure that consent
`share_outcomes_with_chain_partners` gates: an outcome summary, without names, for a named chain partner.
"""
from __future__ import annotations

from abc import ABC, abstractmethod

from shared.errors import Forbidden, Invalid
from shared.texts import Text
from shared.service_calls import ServiceUnreachable, get_as_service
from shared.dates import iso_day

OTHER_SERVICES = ("partners", "monitoring")
# Dutch return organisations the project works with (domain.md); CHAIN_PARTNERS replaces the list
CHAIN_PARTNERS = ("IOM", "Goedwerk", "ROS", "Solid Road", "WereldWijd", "Worthy Future Coaching")


class SubjectUnavailable(Exception):
    """A service could not say what it holds now."""


class AbstractSubjectSources(ABC):
    @abstractmethod
    def held_by(self, service: str, returnee_id: str) -> dict:
        """What `service` holds about the returnee; SubjectUnavailable when it cannot be asked now."""


class HttpSubjectSources(AbstractSubjectSources):
    def __init__(self, urls: dict[str, str], issuer, timeout: float = 10.0):
        self.urls = {name: url.rstrip("/") for name, url in urls.items()}
        self.issuer = issuer
        self.timeout = timeout

    def held_by(self, service: str, returnee_id: str) -> dict:
        try:
            response = get_as_service(self.issuer, "intake", f"{self.urls[service]}/v1/subjects/{returnee_id}",
                                      self.timeout)
        except ServiceUnreachable as exc:
            raise SubjectUnavailable(str(exc)) from exc
        if response.status_code != 200:
            raise SubjectUnavailable(f"{service} answered {response.status_code}")
        return response.json()


def export_subject(returnee: dict, key_held: bool, audit: list[dict], sources: AbstractSubjectSources,
                   now, notes: list[dict] = (), documents: list[dict] = (), assessments: list[dict] = (),
                   case_file: dict | None = None) -> dict:
    """One JSON document of everything held about the returnee; `complete` is false when a service
    could not be asked (its entry then says why), so an incomplete export is never taken for a whole one."""
    held = {"intake": {"service": "intake", "returnee_id": returnee["id"], "returnee": returnee,
                       "sealing_key": "held" if key_held else "none", "audit": audit,
                       "notes": list(notes),  # the case file's notes, every version
                       "documents": list(documents),  # the case file's documents: metadata, `content` its path
                       "assessments": list(assessments), **(case_file or {})}}  # the judgements before return; plan, tasks
    complete = True
    for service in OTHER_SERVICES:
        try:
            held[service] = sources.held_by(service, returnee["id"])
        except SubjectUnavailable as exc:
            held[service], complete = {"service": service, "unavailable": str(exc)}, False
    return {"returnee_id": returnee["id"], "exported_at": now.isoformat(), "complete": complete, "services": held}


def chain_partner_summary(returnee: dict, chain_partner: str, allowed: tuple[str, ...]) -> dict:
    """The outcome summary a chain partner may receive: only with the returnee's consent, never names."""
    if chain_partner not in allowed:
        raise Invalid("Not a known chain partner.", errors={"chain_partner": Text("One of: {choices}.",
                                                                                  choices=", ".join(allowed))})
    if not (returnee.get("consent") or {}).get("share_outcomes_with_chain_partners"):
        raise Forbidden("The returnee has not consented to sharing outcomes with chain partners.")
    monitoring = returnee.get("monitoring") or {}
    outcomes = returnee.get("outcomes") or {}
    return {"returnee_id": returnee["id"], "chain_partner": chain_partner,
            "country_of_return": returnee["country_of_return"], "status": returnee["status"],
            "departed_on": iso_day(returnee.get("departed_on")), "arrived_on": iso_day(returnee.get("arrived_on")),
            "latest_index": monitoring.get("latest_index"), "open_alerts": monitoring.get("open_alerts", 0),
            "lost_contact_on": iso_day(outcomes.get("lost_contact_on")),
            "re_migrated_on": iso_day(outcomes.get("re_migrated_on"))}

