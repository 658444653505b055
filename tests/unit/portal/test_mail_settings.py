"""A person's mail settings in the portal: address, language, and per kind at once, in the summary or not."""
from __future__ import annotations

import json

from tests.unit.portal.conftest import PARTNERS, USER, ORG, sign_in

ME = f"{PARTNERS}/v1/partner-users/me"


def me(**extra):
    return {"id": USER, "partner_id": ORG, "username": "fatou", "display_name": "Fatou", "role": "field_worker",
            "active": True, "password_set": True, "email": "fatou@example.org", "language": "fr",
            "mail_preferences": {"offer_new": "immediate", "offer_expiring": "digest", "checkin_due_soon": "none",
                                 "checkin_overdue": "immediate"}, **extra}


def test_the_page_shows_the_choices_in_french(app, api):
    api.replace("GET", ME, json=me())
    client = app.test_client()
    csrf = sign_in(client, api)
    page = client.get("/settings").get_data(as_text=True)
    assert "Paramètres des e-mails" in page and 'value="fatou@example.org"' in page
    assert 'id="f-offer_expiring-digest" name="preferences.offer_expiring" value="digest" checked' in page
    assert 'id="f-checkin_due_soon-none" name="preferences.checkin_due_soon" value="none" checked' in page
    assert "jamais le nom de la personne que vous suivez" in page
    assert csrf


def test_saving_sends_the_choices_and_a_refusal_lands_at_its_field(app, api):
    api.replace("GET", ME, json=me())
    client = app.test_client()
    sign_in(client, api)
    page = client.get("/settings").get_data(as_text=True)
    import re

    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    api.put(f"{ME}/mail-settings", json=me(language="en"))
    form = {"csrf_token": csrf, "email": "fatou@example.org", "language": "en", "preferences.offer_new": "none",
            "preferences.offer_expiring": "digest", "preferences.checkin_due_soon": "immediate",
            "preferences.checkin_overdue": "immediate"}
    answer = client.post("/settings", data=form)
    assert answer.status_code == 303 and answer.headers["Location"].endswith("/settings?done=saved")
    sent = json.loads(next(c for c in api.calls if c.request.method == "PUT").request.body)
    assert sent == {"email": "fatou@example.org", "language": "en",
                    "preferences": {"offer_new": "none", "offer_expiring": "digest", "checkin_due_soon": "immediate",
                                    "checkin_overdue": "immediate"}}
    api.replace("PUT", f"{ME}/mail-settings", status=422, content_type="application/problem+json", json={
        "status": 422, "detail": "The request has invalid fields.", "errors": {"email": "Not a valid email address."},
        "error_codes": {"email": "invalid"}})
    refused = client.post("/settings", data={**form, "email": "nope"})
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'id="e-email"' in body and 'value="nope"' in body
