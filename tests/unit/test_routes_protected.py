"""Every /v1 route of every service requires a token, except the OAuth token endpoint itself."""
from __future__ import annotations

import io

import pytest

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.intake.import_repository import ImportRepository
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.monitoring.handlers import follow_update
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService

PUBLIC = {"/v1/oauth/token", "/v1/partner-users/invitations/redeem"}  # the code is the proof


@pytest.mark.parametrize("factory,service_class,name", [
    (intake_app, IntakeService, "intake"), (partners_app, PartnersService, "partners"),
    (monitoring_app, MonitoringService, "monitoring")])
def test_every_v1_route_is_protected(build, factory, service_class, name):
    app = factory(service=build(service_class, name))
    v1 = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/v1/")]
    assert v1, "the service has routes"
    unprotected = [rule.rule for rule in v1 if rule.rule not in PUBLIC and
                   not _roles(app.view_functions[rule.endpoint])]
    assert unprotected == []


def _roles(view):
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        if getattr(view, "_homeward_roles", None):
            return view._homeward_roles
        view = getattr(view, "__wrapped__", None) or getattr(view, "view_class", None)
        if isinstance(view, type):
            return all(_roles(getattr(view, m)) for m in ("get", "post", "patch", "put", "delete") if hasattr(view, m))
    return None


def test_the_factory_builds_an_app_with_health_endpoints(build):
    client = intake_app(service=build(IntakeService, "intake")).test_client()
    assert client.get("/healthz").json["status"] == "ok"
    ready = client.get("/readyz").json
    assert ready["mongodb"] == "ok" and ready["outbox_backlog"] == 0
    assert client.get("/openapi.json").json["info"]["title"] == "Homeward intake"
    assert b"http_requests_total" in client.get("/metrics").data


def test_metrics_show_the_outbox_backlog_and_loop_counters(build, auth):
    client = intake_app(service=build(IntakeService, "intake")).test_client()
    client.post("/v1/returnees", json={"given_name": "A", "family_name": "B", "country_of_return": "NG"},
                headers=auth("consultant"))
    text = client.get("/metrics").get_data(as_text=True)
    assert "homeward_outbox_backlog 1.0" in text  # the registration event waits for the relay
    assert "homeward_events_processed_total 0.0" in text and "homeward_events_dead_lettered_total" in text


# --- what a project lead's token gets (issue 22, items 1 and 2) --------------------------------------------
# Project leads see aggregates and pseudonymous ids (PRIVACY.md): every route of every service, walked with a
# project lead's token, answers 403 or an answer without any name, client reference, note, free text or region
# below the country. The walk seeds each of those with a value that starts with CANARY, and the same walk with a
# consultant's token finds them (so the check can fail).

# "u" is not in the ULID (Crockford base32) or hex alphabets: no request id or digest in an answer holds it by chance
CANARY = "zqu"
ANY_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class Seeded:
    """The three services with a returnee in every state that holds free text, and the ids to fill routes with."""

    def __init__(self, build, auth, clock):
        from services.intake.handlers import follow_handover
        from services.monitoring.handlers import start_monitoring
        from services.partners.handlers import offer_handover
        from shared.events import new_event

        self.services = {"intake": build(IntakeService, "intake"), "partners": build(PartnersService, "partners"),
                         "monitoring": build(MonitoringService, "monitoring")}
        self.clients = {name: factory(service=self.services[name]).test_client() for name, factory in
                        (("intake", intake_app), ("partners", partners_app), ("monitoring", monitoring_app))}
        consultant, admin = auth("consultant"), auth("admin")
        intake, partners, monitoring = (self.clients[n] for n in ("intake", "partners", "monitoring"))

        # partners: an organisation with a contact person, a credential, a person, a declined handover
        self.org = partners.post("/v1/partners", headers=admin, json={
            "name": "Lagos Desk", "countries": ["NG"], "contact": {"name": "Zqucontact", "email": "zqu@example.org",
                                                                   "phone": "+234 zqu"}}).json["id"]
        self.client_id = partners.post(f"/v1/partners/{self.org}/credentials", headers=admin).json["client_id"]
        self.user_id = partners.post(f"/v1/partners/{self.org}/users", headers=admin, json={
            "username": "zqu.worker", "display_name": "Zquperson", "role": "field_worker",
            "email": "zqu@partner.example"}).json["id"]
        self.handover = "hnd_01JHAND0VER000000000000001"

        # intake: a returnee with names, a client reference, contact, a typed region and a plan in words; one
        # whose case was closed with a note; one whose handover the partner declined in words
        person = {"client_ref": "ZQU-REF-1", "given_name": "Zqugiven", "family_name": "Zqufamily",
                  "date_of_birth": "1988-02-03", "country_of_return": "NG", "region": "Zquregion",
                  "languages": ["en"], "contact": {"phone": "+31 zqu", "email": "zqu@example.org",
                                                   "address": "Zqustraat 1"},
                  "reintegration_plan": {"goals": {"economic": "Zqugoal: HIV treatment"},
                                         "planned_support": [{"type": "business", "description": "Zqusupport",
                                                              "budget_eur": 500}]},
                  "consent": {"share_with_partner": True, "given_on": "2026-01-05"}}
        self.returnees = [intake.post("/v1/returnees", headers=consultant, json=person).json["id"]
                          for _ in range(3)]
        exited, declined = self.returnees[1], self.returnees[2]
        self.import_run = "imp_01JIMP0RT00000000000000001"  # a caseload import the consultant ran
        ImportRepository().start(self.import_run, "test-consultant", 0, self.services["intake"].clock.now())
        self.note = intake.post(f"/v1/returnees/{self.returnees[0]}/notes", headers=consultant, json={
            "text": "Zqunote: spoke about her HIV treatment", "kind": "conversation", "mode": "phone",
            "contact_on": "2026-03-02"}).json["id"]
        self.document = intake.post(f"/v1/returnees/{self.returnees[0]}/documents", headers=consultant, data={
            "kind": "medical", "title": "Zqudoc: HIV test", "file": (io.BytesIO(_blank_pdf()), "a.pdf")},
            content_type="multipart/form-data").json["id"]
        self.task = intake.get("/v1/tasks", query_string={"due_before": "2030-01-01"}, headers=consultant).json["items"][0]["id"]
        assert intake.post(f"/v1/returnees/{exited}/exit", headers=consultant, json={
            "reason": "irregular", "exited_on": "2026-03-02", "note": "Zquexit: went to his brother"}).status_code == 200
        handover = intake.post(f"/v1/returnees/{declined}/handover", headers=consultant,
                               json={"partner_id": self.org}).json["handover"]
        follow_handover(self.services["intake"].deps, new_event("partners", "handover.declined.v1", declined, {
            "returnee_id": declined, "handover_id": handover["id"], "partner_id": self.org, "reason": "other",
            "detail": "Zqudecline: we know the family"}, clock.now()))
        offer_handover(self.services["partners"].deps, new_event("intake", "returnee.handover_requested.v1",
                                                                 self.returnees[0], {
            "returnee_id": self.returnees[0], "handover_id": self.handover, "partner_id": self.org,
            "country_of_return": "NG"}, clock.now()))
        partner = auth("partner", org=self.org)
        assert partners.post(f"/v1/handovers/{self.handover}/decline", headers=partner, json={
            "reason": "other", "detail": "Zqudecline: we know the family"}).status_code == 200

        # monitoring: the first returnee arrived in a region, a check-in in words raised a safety alert that was
        # acknowledged and resolved with notes; a missed contact with a reason
        self.case = self.returnees[0]
        start_monitoring(self.services["monitoring"].deps, new_event("partners", "returnee.arrived.v1", self.case, {
            "returnee_id": self.case, "partner_id": self.org, "country": "NG", "arrived_on": "2026-01-05",
            "region": "Zquregion", "vulnerabilities": ["medical"], "handover_id": self.handover}, clock.now()))
        follow_update(self.services["monitoring"].deps, new_event("intake", "returnee.updated.v1", self.case, {
            "returnee_id": self.case, "changed": ["consultant"], "consultant": "test-consultant"}, clock.now()))
        checkin = {"returnee_id": self.case, "slot": 1, "contact_date": "2026-02-06", "contact_made": True,
                   "contact_mode": "in_person", "scores": {"economic": 1, "housing": 2, "social": 3, "health": 1,
                                                           "resilience": 2}, "safety_concern": True,
                   "support_delivered": [{"type": "medical", "amount_eur": 80, "description": "Zqudelivered"}],
                   "notes": "Zqunote: HIV treatment interrupted, threatened by a neighbour"}
        recorded = monitoring.post("/v1/checkins", json=checkin, headers={**partner, "Idempotency-Key": "lead-1"})
        assert recorded.status_code == 201
        self.checkin = recorded.json["id"]
        assert monitoring.post("/v1/checkins", headers={**partner, "Idempotency-Key": "lead-2"}, json={
            "returnee_id": self.case, "slot": "ad_hoc", "contact_date": "2026-02-20", "contact_made": False,
            "reason": "Zqureason: in hospital"}).status_code == 201
        alerts = monitoring.get("/v1/alerts", headers=consultant).json["items"]
        self.alert = next(a["id"] for a in alerts if a["type"] == "safety_concern")
        assert monitoring.post(f"/v1/alerts/{self.alert}/acknowledge", headers=consultant,
                               json={"note": "Zquack: called her sister"}).status_code == 200
        assert monitoring.post(f"/v1/alerts/{self.alert}/resolve", headers=consultant,
                               json={"note": "Zquresolve: moved to Ibadan"}).status_code == 200

    def fillings(self, variable: str) -> list[str]:
        """The values a route's URL variable is walked with (a new variable fails the walk until named here)."""
        return {"returnee_id": self.returnees, "alert_id": [self.alert], "handover_id": [self.handover],
                "partner_id": [self.org], "client_id": [self.client_id], "user_id": [self.user_id],
                "webhook_id": ["msg_01JMESSAGE00000000000000001"], "organisation_id": ["iom"], "code": ["NG"],
                "country": ["NG"], "name": ["countries"], "import_id": [self.import_run], "note_id": [self.note],
                "document_id": [self.document], "task_id": [self.task],
                "item_id": [self.document],
                "checkin_id": [self.checkin], "index": ["0"]}[variable]

    def urls(self, name: str):
        """Every /v1 route of the service with each filling of its variables, and the query variants that
        change what an answer holds."""
        app = self.clients[name].application
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/v1/"):
                continue
            paths = [rule.rule]
            for variable in rule.arguments:
                paths = [p.replace(f"<{variable}>", value) for p in paths for value in self.fillings(variable)]
            for path in paths:
                for method in sorted((rule.methods or set()) & set(ANY_METHODS)):
                    yield method, path
                    if path == "/v1/outcomes" and method == "GET":
                        from services.monitoring.vocabulary import GROUPINGS

                        for by in GROUPINGS:
                            yield method, f"{path}?by={by}"
                    if path.endswith("/progress-report") or path.startswith("/v1/reports/"):
                        yield method, f"{path}?format=csv" if path.startswith("/v1/reports/") else path


def _around(body: str) -> list[str]:
    """Each seeded word in an answer with a little of what surrounds it."""
    lowered = body.lower()
    return [body[max(0, i - 40):i + 30] for i in range(len(lowered)) if lowered.startswith(CANARY, i)]


def _walk(seeded: Seeded, headers: dict, methods=ANY_METHODS) -> dict:
    """(service, method, path) -> (status, body) for every route."""
    answers = {}
    for name, client in seeded.clients.items():
        for method, path in seeded.urls(name):
            if method not in methods:
                continue
            response = client.open(path, method=method, json={} if method != "GET" else None,
                                   headers={**headers, "Idempotency-Key": f"walk-{method}-{path}"})
            answers[(name, method, path)] = (response.status_code, _text(response))
    return answers


def _blank_pdf() -> bytes:
    """A real PDF of one blank page: the walk reads every PDF it is answered."""
    from pypdf import PdfWriter

    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(72, 72)
    writer.write(out)
    return out.getvalue()


def _text(response) -> str:
    """The body as text; a PDF (the progress reports of an office) by the text it shows."""
    if response.content_type == "application/pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    return response.get_data(as_text=True)


@pytest.fixture
def seeded(build, auth, clock):
    return Seeded(build, auth, clock)


def test_a_project_lead_gets_no_name_note_free_text_or_region_from_any_route(seeded, auth):
    answers = _walk(seeded, auth("project_lead"))
    assert len(answers) > 60
    leaks = {key: _around(body) for key, (status, body) in answers.items() if CANARY in body.lower()}
    assert leaks == {}, "\n".join(f"{key}: {words}" for key, words in leaks.items())
    assert [key for key, (status, _) in answers.items() if status >= 500] == []
    writes = {key: status for key, (status, _) in answers.items() if key[1] != "GET" and status < 400}
    assert writes == {}  # project leads read


def test_the_walk_finds_what_it_seeded_with_a_consultants_token(seeded, auth):
    """The control: the same routes answer the seeded words to a consultant, so the walk above can fail."""
    answers = _walk(seeded, auth("consultant"), methods=("GET",))  # a consultant's writes would erase them
    found = {key for key, (status, body) in answers.items() if status == 200 and CANARY in body.lower()}
    case, first, exited, declined = seeded.case, *seeded.returnees
    assert {("intake", "GET", f"/v1/returnees/{first}"), ("intake", "GET", f"/v1/returnees/{exited}"),
            ("intake", "GET", f"/v1/returnees/{declined}"), ("intake", "GET", "/v1/returnees"),
            ("monitoring", "GET", f"/v1/cases/{case}"), ("monitoring", "GET", "/v1/alerts"),
            ("partners", "GET", f"/v1/handovers/{seeded.handover}")} <= found
