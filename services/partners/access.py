"""Ending a partner's access before its tokens expire (issue 22, item 3): a revoked credential, a deactivated
person or a deactivated organisation. The revocation is recorded in this service's store, so its verifier
refuses those tokens at once (shared.revocations), and `partner.access_revoked.v1` tells every other service
that accepts partner tokens (monitoring), which refuses them once its consumer applied the event."""
from __future__ import annotations

from typing import Iterable

from services.partners.events import ACCESS_REVOKED, build_event
from services.partners.repository import AbstractPartnersRepository
from shared.revocations import Revocations, organisation_key, subject_key


class AccessEnds:
    def __init__(self, revocations: Revocations, repo: AbstractPartnersRepository, clock):
        self.revocations = revocations
        self.repo = repo
        self.clock = clock

    def subjects(self, partner_id: str, subjects: Iterable[str]) -> None:
        """The tokens of these client ids or people of the organisation end now."""
        subjects = sorted(set(subjects))
        if subjects:
            self._end(partner_id, [subject_key(s) for s in subjects], subjects, organisation=False)

    def organisation(self, partner_id: str) -> None:
        """Every token of the organisation ends now (its credentials' and its people's)."""
        self._end(partner_id, [organisation_key(partner_id)], [], organisation=True)

    def _end(self, partner_id: str, keys: list[str], subjects: list[str], organisation: bool) -> None:
        at = self.revocations.revoke(keys)
        self.repo.queue_partner_event(partner_id, build_event(ACCESS_REVOKED, partner_id, {
            "partner_id": partner_id, "subjects": subjects, "organisation": organisation,
            "revoked_at": at.isoformat()}, self.clock.now()))
