"""The portal's pages with the APIs faked: what they show, in the page's language, and API refusals shown at
their fields by code (never the API's English)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tests.unit.portal.conftest import MONITORING, ORG, PARTNERS, csrf_of, sign_in, vocabulary

RID, HID = "rtn_01JRETVRNEE000000000000001", "hnd_01JHAND0VER000000000000001"


def handover(status: str = "offered", **extra) -> dict:
    return {"id": HID, "returnee_id": RID, "partner_id": ORG, "country": "GN", "region": "Conakry", "status": status,
            "offered_at": "2026-03-01T08:00:00+00:00", "expires_at": "2026-03-15T08:00:00+00:00",
            "languages": ["fr", "sus"], "household": {"adults": 1, "minors": 2}, "vulnerabilities": ["single_parent"],
            "reintegration_plan": {"goals": {"economic": "Atelier de couture"},
                                   "planned_support": [{"type": "business", "description": "machine", "budget_eur": 1200}]},
            "personal": None, **extra}


def test_the_home_page_lists_the_due_and_late_check_ins_the_offers_with_days_left_and_recent_alerts(app, api, portal):
    client = app.test_client()
    sign_in(client, api)
    api.replace("GET", f"{MONITORING}/v1/cases", json={"items": [
        {"returnee_id": RID, "next_due": {"slot": 1, "due_on": "2026-02-27", "status": "overdue"}, "open_alerts": 1},
        {"returnee_id": "rtn_01JRETVRNEE000000000000002", "next_due": {"slot": 3, "due_on": "2026-05-30",
                                                                         "status": "scheduled"}, "open_alerts": 0}],
        "next_cursor": None})
    api.get(f"{MONITORING}/v1/cases/{RID}", json={"returnee_id": RID, "alerts": [
        {"id": "alr_1", "type": "safety_concern", "status": "open", "raised_at": "2026-03-01T10:00:00+00:00"},
        {"id": "alr_2", "type": "checkin_overdue", "status": "open", "raised_at": "2026-03-01T10:00:00+00:00"}]})
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover()], "next_cursor": None})
    api.get(f"{MONITORING}/v1/vocabularies/alert_types", json={"name": "alert_types", "codes": [
        {"code": "safety_concern", "labels": {"en": "Safety concern", "fr": "Inquiétude pour la sécurité", "nl": "x"}}]})
    api.get(f"{MONITORING}/v1/vocabularies/alert_statuses", json={"name": "alert_statuses", "codes": [
        {"code": "open", "labels": {"en": "Open", "fr": "Ouverte", "nl": "Open"}}]})
    page = client.get("/").get_data(as_text=True)
    due = page.split('id="due"')[1].split("</ul>")[0]
    assert RID in due and "rtn_01JRETVRNEE000000000000002" not in due  # due in 89 days: not yet listed
    assert "En retard" in due and "/checkin?returnee_id=" in due
    offers = page.split('id="offers"')[1].split("</ul>")[0]
    assert "13 jours pour répondre" in offers  # expires 15 March, today is 2 March
    alerts = page.split('id="alerts"')[1].split("</ul>")[0]
    assert "Inquiétude pour la sécurité" in alerts and "checkin_overdue" not in alerts


def test_an_offer_shows_what_to_decide_and_a_refused_decline_lands_at_its_field_in_french(app, api):
    client = app.test_client()
    sign_in(client, api)
    api.get(f"{PARTNERS}/v1/handovers/{HID}", json=handover())
    api.get(f"{PARTNERS}/v1/vocabularies/decline_reasons", json={"name": "decline_reasons", "codes": [
        {"code": "other", "labels": {"en": "Other", "fr": "Autre", "nl": "Anders"}}]})
    for name in ("handover_statuses", "support_types"):
        api.get(f"{PARTNERS}/v1/vocabularies/{name}", json={"name": name, "codes": []})
    api.get(f"{PARTNERS}/v1/vocabularies/vulnerabilities", json={"name": "vulnerabilities", "codes": [  # the
        {"code": "single_parent", "labels": {"en": "Single parent", "fr": "Parent seul", "nl": "x"}}]})  # network's
    api.replace("GET", f"{MONITORING}/v1/vocabularies/domains", json={"name": "domains", "codes": [
        {"code": "economic", "labels": {"en": "Economic", "fr": "Situation économique", "nl": "x"}}]})
    page = client.get(f"/offers/{HID}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for shown in ("soussou", "1 adulte", "2 enfants", "Parent seul", "Conakry", "Situation économique",
                  "Atelier de couture", "1\u202f200,00\xa0€"):
        assert shown in text, shown
    api.post(f"{PARTNERS}/v1/handovers/{HID}/decline", status=422, json={
        "status": 422, "errors": {"detail": "Say why when the reason is other."}, "error_codes": {"detail": "invalid"}})
    refused = client.post(f"/offers/{HID}/decline", data={"csrf_token": csrf_of(page.data), "reason": "other"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert 'id="e-detail"' in text and "Dites pourquoi, quand le motif est « autre »." in text
    assert "Say why" not in text


def test_the_check_in_form_names_its_fields_by_the_api_paths_and_shows_the_rubric_in_the_pages_language(app, api):
    client = app.test_client()
    sign_in(client, api)
    page = client.get(f"/checkin?returnee_id={RID}&slot=1").get_data(as_text=True)
    for name in ("contact_date", "contact_made", "contact_mode", "reason", "status", "scores.economic",
                 "scores.resilience", "safety_concern", "notes", "support_delivered.0.type",
                 "support_delivered.0.amount", "support_delivered.0.currency", "support_delivered.0.amount_eur",
                 "support_delivered.2.delivered_on"):
        assert f'name="{name}"' in page, name
    assert "economic 1 fr" in page and "resilience 5 fr" in page and "economic 1 en" not in page
    assert f'name="returnee_id" value="{RID}"' in page and 'name="slot" value="1"' in page
    english = client.get("/checkin?lang=en").get_data(as_text=True)
    assert "economic 1 en" in english and 'name="returnee_id" value=""' in english  # the shell for every case


def test_a_support_is_paid_in_the_organisations_currency_by_default_any_other_offered(app, api):
    client = app.test_client()
    sign_in(client, api)  # a Guinean organisation
    page = client.get(f"/checkin?returnee_id={RID}&slot=1").get_data(as_text=True)
    usual = page.split('name="support_delivered.0.currency"')[1].split("</select>")[0]
    assert '<option value="GNF" selected>franc guinéen (GNF)</option>' in usual
    assert [code for code in ("GNF", "EUR", "USD", "XOF") if f'value="{code}"' in usual] == ["GNF", "EUR", "USD"]
    others = page.split('id="currency-others"')[1].split("</template>")[0]  # once, for every support's list
    assert 'value="XOF"' in others and 'value="GNF"' not in others and "Toutes les monnaies" in others
    api.replace("GET", f"{PARTNERS}/v1/partners/{ORG}", json={"id": ORG, "countries": ["GN", "SN"], "languages": ["fr"]})
    two = client.get("/checkin").get_data(as_text=True).split('name="support_delivered.0.currency"')[1]
    assert '<option value="EUR" selected>' in two.split("</select>")[0]  # two countries: the euro, then the case's


def test_the_vocabularies_are_asked_again_with_their_etag(app, api, portal):
    client = app.test_client()
    sign_in(client, api)
    client.get("/checkin")
    portal.vocab.recheck = 0
    api.replace("GET", f"{MONITORING}/v1/vocabularies/domains", status=304, headers={"ETag": '"domains-1"'})
    assert "economic 1 fr" in client.get("/checkin").get_data(as_text=True)
    asked = [c for c in api.calls if c.request.url.endswith("/v1/vocabularies/domains")]
    assert asked[-1].request.headers["If-None-Match"] == '"domains-1"'


def test_another_organisations_case_is_not_found(app, api):
    client = app.test_client()
    sign_in(client, api)
    answer = client.get(f"/cases/{RID}")  # the partners API lists no handover of it for this organisation
    assert answer.status_code == 404 and "n'est pas celui de votre organisation" in answer.get_data(as_text=True)


def test_a_case_page_offers_the_open_check_ins_of_its_schedule(app, api):
    client = app.test_client()
    sign_in(client, api)
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover("arrived", arrived_on="2026-03-01",
                                                                               personal={"given_name": "Aissatou",
                                                                                         "family_name": "Bah"})],
                                                          "next_cursor": None})
    api.get(f"{MONITORING}/v1/cases/{RID}", json={"returnee_id": RID, "state": "active", "checkins": [], "slots": [
        {"slot": 1, "due_on": "2026-04-01", "status": "scheduled", "checkin": None},
        {"slot": 3, "due_on": "2026-06-01", "status": "scheduled", "checkin": None}], "alerts": []})
    for service, name in (("partners", "handover_statuses"), ("monitoring", "slot_statuses"),
                          ("partners", "support_types"), ("monitoring", "domains")):
        base = PARTNERS if service == "partners" else MONITORING
        if name != "domains":
            api.get(f"{base}/v1/vocabularies/{name}", json={"name": name, "codes": []})
    page = client.get(f"/cases/{RID}").get_data(as_text=True)
    assert '<h1 data-currency="GNF">Aissatou Bah</h1>' in page  # the form picks the case's currency from it
    assert f"/checkin?returnee_id={RID}&amp;slot=1" in page and f"/checkin?returnee_id={RID}&amp;slot=3" in page
    assert f"/checkin?returnee_id={RID}&amp;slot=ad_hoc" in page


def test_every_page_says_who_it_belongs_to_for_the_service_worker(app, api, portal):
    client = app.test_client()
    sign_in(client, api)
    home = client.get("/")
    key = home.headers["X-Portal-User"]
    assert key == portal.user_key("pus_01JFIELDWORKER00000000000A") and "pus_" not in key
    assert f'<meta name="portal-user" content="{key}">' in home.get_data(as_text=True)
    assert "X-Portal-User" not in app.test_client().get("/login").headers  # a page of nobody is never kept
    worker = client.get("/sw.js")
    assert worker.headers["Service-Worker-Allowed"] == "/" and worker.mimetype == "text/javascript"
    assert "portal-shell-" in worker.get_data(as_text=True)


def test_the_expiry_days_come_from_the_api(app, api, portal):
    from services.portal.views.home import days_left

    today = datetime(2026, 3, 2, tzinfo=timezone.utc).date()
    assert days_left({"expires_at": (datetime(2026, 3, 2, 23, tzinfo=timezone.utc)).isoformat()}, today) == 0
    assert days_left({"expires_at": (datetime(2026, 3, 2, tzinfo=timezone.utc) + timedelta(days=3)).isoformat()},
                     today) == 3
    assert days_left({}, today) is None


def test_a_vocabulary_out_of_reach_is_served_from_the_copy_held_else_the_page_says_the_service_is_down(app, api, portal):
    client = app.test_client()
    sign_in(client, api)
    assert client.get("/checkin").status_code == 200  # the copies are held now
    portal.vocab.recheck = 0
    api.replace("GET", f"{MONITORING}/v1/vocabularies/domains", status=503, json={"status": 503})
    assert "economic 1 fr" in client.get("/checkin").get_data(as_text=True)
    portal.vocab._held.clear()
    down = client.get("/checkin")
    assert down.status_code == 503 and "injoignable" in down.get_data(as_text=True)


def test_a_case_page_shows_what_the_consultant_shared_and_downloads_a_document_through_the_api(app, api):
    client = app.test_client()
    sign_in(client, api)
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover("accepted")], "next_cursor": None})
    api.get(f"{PARTNERS}/v1/vocabularies/handover_statuses", json={"name": "handover_statuses", "codes": []})
    api.get(f"{PARTNERS}/v1/vocabularies/support_types", json={"name": "support_types", "codes": []})
    empty = {"kind": None, "text": None, "contact_on": None, "mode": None, "title": None, "content_type": None,
             "size": None, "content": None, "readable": True}
    api.get(f"{PARTNERS}/v1/handovers/{HID}/shared", json={"items": [
        {**empty, "id": "not_1", "type": "note", "shared_at": "2026-03-02T08:00:00+00:00", "kind": "conversation",
         "text": "Elle cherche un atelier <b>à Conakry</b>", "contact_on": "2026-03-01", "mode": "phone"},
        {**empty, "id": "doc_1", "type": "document", "shared_at": "2026-03-01T08:00:00+00:00", "title": "Passeport",
         "kind": "travel_document", "content_type": "application/pdf", "size": 9,
         "content": f"/v1/handovers/{HID}/shared/doc_1/content"}]})
    page = client.get(f"/cases/{RID}").get_data(as_text=True)
    shared = page.split('id="shared"')[1].split("</ul>")[0]
    assert "Partagé par le conseiller" in page and "Compte rendu d'entretien" in shared
    assert "Elle cherche un atelier &lt;b&gt;à Conakry&lt;/b&gt;" in shared and "Passeport" in shared
    assert f'href="/cases/{RID}/shared/doc_1"' in shared
    api.get(f"{PARTNERS}/v1/handovers/{HID}/shared/doc_1/content", body=b"%PDF-1.4\n", content_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="doc_1.pdf"'})
    got = client.get(f"/cases/{RID}/shared/doc_1")
    assert got.status_code == 200 and got.data == b"%PDF-1.4\n" and got.mimetype == "application/pdf"
    assert got.headers["Content-Disposition"] == 'attachment; filename="doc_1.pdf"'
    assert "X-Portal-User" not in got.headers  # the service worker keeps pages only: no document on the phone
    api.get(f"{PARTNERS}/v1/handovers/{HID}/shared/doc_2/content", status=404, json={"status": 404})
    assert client.get(f"/cases/{RID}/shared/doc_2").status_code == 404


def test_a_case_page_shows_the_fixed_perspective_plan_with_its_goals_in_the_pages_language(app, api):
    client = app.test_client()
    sign_in(client, api)
    plan = {"version": 2, "fixed_on": "2026-02-10", "goals": [
        {"id": "gol_01JGOAL00000000000000000001", "domain": "economic", "goal": "Ouvrir un atelier de couture",
         "needed": "Une machine à coudre", "who": "partner", "deadline": "2026-06-30", "status": "in_progress"},
        {"id": "gol_01JGOAL00000000000000000002", "domain": "housing", "goal": "Trouver un logement",
         "needed": "", "who": "client", "deadline": None, "status": "open"}]}
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover("accepted", perspective_plan=plan)],
                                                          "next_cursor": None})
    api.get(f"{MONITORING}/v1/cases/{RID}", status=404, json={"status": 404, "title": "Not Found"})
    for service, name in (("partners", "handover_statuses"), ("monitoring", "slot_statuses"),
                          ("partners", "support_types"), ("partners", "goal_actors"), ("partners", "goal_statuses")):
        base = PARTNERS if service == "partners" else MONITORING
        codes = {"goal_actors": ("client", "partner"), "goal_statuses": ("open", "in_progress")}.get(name, ())
        api.get(f"{base}/v1/vocabularies/{name}", json=vocabulary(name, codes))
    page = client.get(f"/cases/{RID}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    section = page[page.index('id="perspective-plan"'):page.index("</section>", page.index('id="perspective-plan"'))]
    assert "Version 2, fixée le 10 févr. 2026" in section
    assert "Ouvrir un atelier de couture" in section and "Une machine à coudre" in section
    assert "partner (fr)" in section and "in_progress (fr)" in section and "30 juin 2026" in section
    assert "Trouver un logement" in section and "client (fr)" in section and "open (fr)" in section


def test_a_case_without_a_fixed_plan_says_so(app, api):
    client = app.test_client()
    sign_in(client, api)
    api.replace("GET", f"{PARTNERS}/v1/handovers", json={"items": [handover("accepted", perspective_plan=None)],
                                                          "next_cursor": None})
    api.get(f"{MONITORING}/v1/cases/{RID}", status=404, json={"status": 404, "title": "Not Found"})
    assert "Le conseiller n'a pas encore arrêté de plan de perspective." in client.get(f"/cases/{RID}").get_data(
        as_text=True).replace("&#39;", "'")
    assert "The consultant has not fixed a perspective plan yet." in client.get(f"/cases/{RID}?lang=en").get_data(
        as_text=True)
