"""What several of intake's resources use: who may read and write, the handlers' dependencies, the returnee's view."""
from __future__ import annotations

from services.intake import domain, handlers
from shared.http import principal, runtime


WRITERS = ("consultant", "admin")
READERS = WRITERS + ("project_lead",)


def _deps() -> handlers.Deps:
    return runtime().extras["service"].deps


def _view(returnee: dict, as_of=None) -> dict:
    """The returnee as the caller may see it (project leads get the pseudonymous view), with the moment its
    copies of partners' and monitoring's state were last known current (`events_as_of`, shared.freshness)."""
    shown = domain.pseudonymous(returnee) if principal().role == "project_lead" else returnee
    return {**shown, "events_as_of": as_of}
