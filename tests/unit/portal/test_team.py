"""The coordinator's page says where the organisation's messages go: its webhook with its state, the home page,
and mail to each person as they chose."""
from __future__ import annotations

import pytest

from tests.unit.portal.conftest import ORG, PARTNERS, USER, sign_in

HOOK = "https://hooks.guinee-retour.example/homeward"


@pytest.fixture
def coordinator(app, api):
    api.replace("GET", f"{PARTNERS}/v1/partner-users/me", json={
        "id": USER, "partner_id": ORG, "username": "fatou", "display_name": "Fatou", "role": "coordinator",
        "active": True, "password_set": True})
    api.replace("GET", f"{PARTNERS}/v1/partners/{ORG}", json={
        "id": ORG, "name": "Guinée Retour", "countries": ["GN"], "languages": ["fr"],
        "contact": {"name": "Bureau", "email": "bureau@guinee-retour.example"}})
    api.get(f"{PARTNERS}/v1/partners/{ORG}/users", json={"items": [], "next_cursor": None})
    api.get(f"{PARTNERS}/v1/vocabularies/partner_user_roles", json={"name": "partner_user_roles", "codes": []})
    client = app.test_client()
    sign_in(client, api)
    return client


def where(client) -> str:
    page = client.get("/team")
    assert page.status_code == 200
    return page.get_data(as_text=True).split('id="where-title"')[1].split("</section>")[0]


@pytest.mark.parametrize("webhook,state,text", [
    ({"status": "active", "failing_since": None, "paused_at": None}, "active", "Actif : les messages arrivent"),
    ({"status": "active", "failing_since": "2026-03-01T09:00:00+00:00", "paused_at": None}, "failing",
     "En échec depuis le 1 mars 2026"),
    ({"status": "paused", "failing_since": "2026-02-27T09:00:00+00:00", "paused_at": "2026-03-01T09:00:00+00:00"},
     "paused", "En pause depuis le 1 mars 2026"),
])
def test_the_webhook_is_shown_with_its_state(coordinator, api, webhook, state, text):
    api.get(f"{PARTNERS}/v1/partners/{ORG}/webhook", json={"url": HOOK, **webhook})
    shown = where(coordinator)
    assert HOOK in shown and f'data-state="{state}"' in shown and text in shown


def test_notifications_say_where_they_go_and_no_webhook_is_none(coordinator, api):
    api.get(f"{PARTNERS}/v1/partners/{ORG}/webhook", status=404, json={"status": 404})
    shown = where(coordinator)
    assert "Aucun : le logiciel de votre organisation ne reçoit rien" in shown
    assert "arrivent par e-mail à chaque personne selon ses paramètres" in shown
    assert "bureau@guinee-retour.example" in shown.split('id="contact"')[1]  # staff's address, not a channel
