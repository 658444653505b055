"""Sharing one conversation note or document with the partner holding the case ("Delen met partner"), and
stopping ("Niet meer delen"): one button per item on the returnee's page, only while a partner holds the case
(accepted or arrived, with the client's consent). Consultants and administrators only; project leads see no
notes nor documents. Intake seals what is shared and tells the partner (services/intake/sharing.py)."""
from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import gettext as _

from services.web.security import roles, web
from services.web.views.returnee_page import WRITERS, act

bp = Blueprint("sharing", __name__, url_prefix="/returnees")
KINDS = ("notes", "documents")


@bp.route("/<returnee_id>/<kind>/<item_id>/share", methods=["POST"])
@roles(*WRITERS)
def share(returnee_id, kind, item_id):
    """Share the item, or (the form's `stop`) stop sharing it; a case no partner holds is refused on the page."""
    if kind not in KINDS:
        abort(404)
    if request.form.get("stop"):
        return act(returnee_id, lambda: web().intake.unshare_item(returnee_id, kind, item_id),
                   _("The partner no longer sees this item."), refused=_refused)
    return act(returnee_id, lambda: web().intake.share_item(returnee_id, kind, item_id),
               _("The item is shared with the partner organisation."), refused=_refused)


def _refused(status: int, context: dict) -> str | None:
    if status == 409:
        return _("This could not be shared: no partner organisation holds the case (with the client's consent) "
                 "just now. The page shows what can be done now.")
    return None
