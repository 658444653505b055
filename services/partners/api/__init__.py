"""The partners HTTP API: organisations, credentials and webhooks (admin), OAuth2 tokens, handovers (partners).

Run: `gunicorn 'services.partners.api:create_app()'`

One module per resource, each with its blueprint: `partners` (organisations and credentials),
`webhook_routes` (webhook settings and delivery log), `oauth` (token endpoint and JWKS) and
`handovers`, `subjects` (what is held about one returnee), `people` (an organisation's field workers and
coordinators; their grants are in `token_grants`); `common` holds what several of them use.
"""
from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

from services.partners.api.handovers import handovers_blp
from services.partners.api.mail_routes import mail_blp
from services.partners.api.oauth import TOKEN_ATTEMPTS_PER_MINUTE, oauth_blp
from services.partners.api.partners import partners_blp
from services.partners.api.people import people_blp
from services.partners.api.shared_routes import shared_blp
from services.partners.api.subjects import subjects_blp
from services.partners.api.webhook_routes import webhooks_blp
from services.partners.bootstrap import PartnersService, bootstrap
from services.partners.vocabulary import VOCABULARY
from shared.http import service_app
from shared.http.vocabularies import vocabularies_blueprint
from shared.ids import CLIENT_ID, HANDOVER, PARTNER, PARTNER_USER, RETURNEE, WEBHOOK_MESSAGE

__all__ = ["TOKEN_ATTEMPTS_PER_MINUTE", "create_app"]
SCOPES = {"handovers": "the organisation's handovers", "checkins": "check-ins of its returnees"}
# how the bearer tokens partner systems and people use are obtained (RFC 6749 4.4 and 4.3, at the token endpoint)
OAUTH2 = {"type": "oauth2", "description": "issues the JWTs the `bearer` scheme carries", "flows": {
    "clientCredentials": {"tokenUrl": "/v1/oauth/token", "scopes": SCOPES},
    "password": {"tokenUrl": "/v1/oauth/token", "refreshUrl": "/v1/oauth/token", "scopes": SCOPES}}}


def create_app(settings=None, service: PartnersService | None = None):
    """Build the partners app; in the embedded mode it also runs the worker loops as threads."""
    service = service or bootstrap(settings=settings)
    app = service_app(__name__, "Homeward partners", service,
                      (partners_blp, webhooks_blp, oauth_blp, handovers_blp, shared_blp, subjects_blp, people_blp, mail_blp,
                       vocabularies_blueprint(VOCABULARY)),
                      path_ids={"partner_id": PARTNER, "handover_id": HANDOVER, "client_id": CLIENT_ID, "returnee_id": RETURNEE,
                                "message_id": WEBHOOK_MESSAGE, "webhook_id": WEBHOOK_MESSAGE, "user_id": PARTNER_USER},
                      security_schemes={"oauth2": OAUTH2})
    if service.trusted_proxy_hops:  # the token endpoint's source address is the client's, not the proxy's
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=service.trusted_proxy_hops, x_proto=0, x_host=0,
                                x_port=0, x_prefix=0)
    return app
