"""The delivery log of mail to partner organisations' people (administrators): no texts, only who and when."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.partners.api.common import _dump_page
from shared.http import page_of, require, runtime
from shared.mail.schemas import MailLogQuerySchema, MailLogSchema

mail_blp = Blueprint("mail", __name__, url_prefix="/v1",
                     description="Mail to partner people: the delivery log (issue 21)")


@mail_blp.route("/mail-deliveries", methods=["GET"])
@mail_blp.arguments(MailLogQuerySchema, location="query")
@mail_blp.alt_response(200, schema=page_of(MailLogSchema), success=True)
@require("admin")
def mail_deliveries(args):
    """Every mail to a partner's people, oldest first (filter by state): address, kind, state, attempts, times."""
    page = runtime().extras["service"].mails.log_page(args["limit"], args["cursor"], args.get("state"))
    return _dump_page(page, MailLogSchema())
