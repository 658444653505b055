"""The intake API: returnees, consent, handover, departure, erasure, notes, documents, eligibility, insights,
reports."""
from __future__ import annotations

import requests

from services.web.clients.base import ApiClient, ApiError, ApiUnavailable, api_path


class IntakeClient(ApiClient):
    def returnees(self, limit: int = 50, cursor: str | None = None, status: str | None = None,
                  country: str | None = None, consultant: str | None = None, q: str | None = None,
                  attention: bool = False) -> dict:
        """One page of the list (searched by `q`, only who needs attention): the API filters, one call a page."""
        return self.get("/v1/returnees", limit=limit, cursor=cursor, status=status, country=country,
                        consultant=consultant, q=q, attention="true" if attention else None)

    def returnees_by_id(self, ids: list[str]) -> list[dict]:
        """The returnees of these ids (at most 200; erased ones are not listed), in one call."""
        return self.get("/v1/returnees", id=sorted(ids), limit=max(1, len(ids)))["items"] if ids else []

    def returnee(self, returnee_id: str) -> dict:
        return self.get(api_path("/v1/returnees/{}", returnee_id))

    def register(self, body: dict) -> dict:
        return self.post("/v1/returnees", body)

    def correct(self, returnee_id: str, changes: dict) -> dict:
        return self.call("PATCH", api_path("/v1/returnees/{}", returnee_id), json=changes)

    def set_consent(self, returnee_id: str, consent: dict) -> dict:
        return self.call("PUT", api_path("/v1/returnees/{}/consent", returnee_id), json=consent)

    def hand_over(self, returnee_id: str, partner_id: str) -> dict:
        return self.post(api_path("/v1/returnees/{}/handover", returnee_id), {"partner_id": partner_id})

    def record_departure(self, returnee_id: str, departed_on: str) -> dict:
        return self.post(api_path("/v1/returnees/{}/departure", returnee_id), {"departed_on": departed_on})

    def erase(self, returnee_id: str) -> None:
        self.call("DELETE", api_path("/v1/returnees/{}", returnee_id))

    def notes(self, returnee_id: str, q: str | None = None, limit: int = 10, cursor: str | None = None) -> dict:
        """One page of the client's conversation notes, newest first (searched by `q`)."""
        return self.get(api_path("/v1/returnees/{}/notes", returnee_id), q=q, limit=limit, cursor=cursor)

    def note(self, returnee_id: str, note_id: str) -> dict:
        return self.get(api_path("/v1/returnees/{}/notes/{}", returnee_id, note_id))

    def add_note(self, returnee_id: str, body: dict) -> dict:
        return self.post(api_path("/v1/returnees/{}/notes", returnee_id), body)

    def assessments(self, returnee_id: str) -> list[dict]:
        """The client's judgements before return, oldest first."""
        return self.get(api_path("/v1/returnees/{}/assessments", returnee_id))["items"]

    def add_assessment(self, returnee_id: str, body: dict) -> dict:
        return self.post(api_path("/v1/returnees/{}/assessments", returnee_id), body)

    def correct_note(self, returnee_id: str, note_id: str, changes: dict) -> dict:
        return self.call("PATCH", api_path("/v1/returnees/{}/notes/{}", returnee_id, note_id), json=changes)

    def plan(self, returnee_id: str) -> dict:
        """The current version of the perspective plan (`version` 0: none yet)."""
        return self.get(api_path("/v1/returnees/{}/plan", returnee_id))

    def plan_versions(self, returnee_id: str) -> list[dict]:
        return self.get(api_path("/v1/returnees/{}/plan/versions", returnee_id))["items"]

    def change_plan(self, returnee_id: str, body: dict) -> dict:
        return self.call("PUT", api_path("/v1/returnees/{}/plan", returnee_id), json=body)

    def fix_plan(self, returnee_id: str, fixed_on: str) -> dict:
        return self.post(api_path("/v1/returnees/{}/plan/fix", returnee_id), {"fixed_on": fixed_on})

    def tasks(self, consultant: str | None = None, due_before: str | None = None) -> list[dict]:
        """The open tasks due on or before `due_before` (default: intake's horizon), soonest first."""
        return self.get("/v1/tasks", consultant=consultant, due_before=due_before)["items"]

    def task_action(self, task_id: str, action: str, body: dict | None = None) -> dict:
        """`done`, `postpone` ({until, reason}) or `reassign` ({to}) a task."""
        return self.post(api_path("/v1/tasks/{}/{}", task_id, action), body or {})

    def eligibility(self, **query) -> dict:
        return self.get("/v1/eligibility", **query)

    def counts(self) -> dict:
        """`{total, by_status, by_country}` of the returnees (one call, whatever their number)."""
        return self.get("/v1/returnees/counts")

    def insight(self, country: str) -> dict:
        return self.get(api_path("/v1/countries/{}/insights", country))

    def insights(self, countries: list[str]) -> dict[str, dict]:
        """{country: insight} of several countries, in one call whatever their number."""
        if not countries:
            return {}
        return {i["country"]: i for i in self.get("/v1/countries/insights", country=list(countries))["items"]}

    def brief_html(self, country: str, lang: str) -> str:
        return self.call("GET", api_path("/v1/countries/{}/brief", country), params={"lang": lang}, raw=True).text

    def change_trajectory(self, returnee_id: str, trajectory: str, decided_on: str | None) -> dict:
        return self.post(api_path("/v1/returnees/{}/trajectory", returnee_id),
                         {"trajectory": trajectory, "decided_on": decided_on})

    def record_exit(self, returnee_id: str, body: dict) -> dict:
        return self.post(api_path("/v1/returnees/{}/exit", returnee_id), body)

    def progress_report(self, returnee_id: str, until: str | None = None) -> dict:
        return self.get(api_path("/v1/returnees/{}/progress-report", returnee_id), until=until)

    def return_organisations(self) -> list[dict]:
        return self.get("/v1/return-organisations")["items"]

    def offices(self) -> list[dict]:
        return self.get("/v1/offices")["regions"]

    def quarterly(self, year: int, quarter: int, office: str | None = None, region: str | None = None,
                  breakdown: str | None = None) -> dict:
        return self.get("/v1/reports/quarterly", year=year, quarter=quarter, office=office, region=region,
                        breakdown=breakdown)

    def targets(self) -> dict:
        """The programme's targets for this year with the results so far (docs/reports.md)."""
        return self.get("/v1/reports/targets")

    def quarterly_csv(self, year: int, quarter: int, office: str | None = None, region: str | None = None) -> str:
        params = {"year": year, "quarter": quarter, "office": office, "region": region, "format": "csv"}
        return self.call("GET", "/v1/reports/quarterly", params=params, raw=True).text

    def programme(self, start: str | None, end: str | None, office: str | None = None,
                  region: str | None = None) -> dict:
        return self.get("/v1/reports/programme", **{"from": start, "to": end, "office": office, "region": region})

    def programme_csv(self, start: str | None, end: str | None, office: str | None = None,
                      region: str | None = None) -> str:
        params = {"from": start, "to": end, "office": office, "region": region, "format": "csv"}
        return self.call("GET", "/v1/reports/programme", params=params, raw=True).text

    def import_file(self, content: bytes, filename: str, dry_run: bool, language: str,
                    go_live_on: str | None = None) -> dict:
        """The caseload import (multipart): a dry run's preview, or the import run started; messages in `language`;
        `go_live_on`: the day the organisation started with Homeward, for the clients already returned."""
        params = {"dry_run": "true"} if dry_run else {}
        if go_live_on:
            params["go_live_on"] = go_live_on
        return self._multipart("/v1/returnees/import", (filename or "import", content), language, params=params or None)

    def documents(self, returnee_id: str, limit: int = 20, cursor: str | None = None) -> dict:
        """One page of the client's documents (their metadata), newest first."""
        return self.get(api_path("/v1/returnees/{}/documents", returnee_id), limit=limit, cursor=cursor)

    def upload_document(self, returnee_id: str, content: bytes, filename: str, fields: dict, language: str) -> dict:
        """A document for the case file (multipart `file` with `kind`, `title`, `expires_on`); refusals in `language`."""
        return self._multipart(api_path("/v1/returnees/{}/documents", returnee_id), (filename or "document", content),
                               language, data={k: v for k, v in fields.items() if v})

    def document(self, returnee_id: str, document_id: str) -> dict:
        return self.get(api_path("/v1/returnees/{}/documents/{}", returnee_id, document_id))

    def document_content(self, returnee_id: str, document_id: str):
        """The document's bytes as uploaded: the raw response (its Content-Type and Content-Disposition)."""
        return self.call("GET", api_path("/v1/returnees/{}/documents/{}/content", returnee_id, document_id), raw=True)

    def share_item(self, returnee_id: str, kind: str, item_id: str) -> dict:
        """Share a note or document (`kind`: notes, documents) with the partner holding the case."""
        return self.post(api_path("/v1/returnees/{}/{}/{}/share", returnee_id, kind, item_id))

    def unshare_item(self, returnee_id: str, kind: str, item_id: str) -> None:
        self.call("DELETE", api_path("/v1/returnees/{}/{}/{}/share", returnee_id, kind, item_id))

    def delete_document(self, returnee_id: str, document_id: str) -> None:
        self.call("DELETE", api_path("/v1/returnees/{}/documents/{}", returnee_id, document_id))

    def _multipart(self, path: str, file: tuple, language: str, params=None, data=None) -> dict:
        merged = {"Authorization": f"Bearer {self._token()}", "Accept-Language": language}
        try:
            response = self._http.post(self.base_url + path, params=params, data=data, files={"file": file},
                                       headers=merged, timeout=max(self._timeout, 60))
        except requests.RequestException as exc:
            raise ApiUnavailable(str(exc)) from exc
        if response.status_code >= 400:
            problem = response.json() if "json" in response.headers.get("Content-Type", "") else {}
            raise ApiError(response.status_code, problem)
        return response.json()

    def import_run(self, import_id: str) -> dict:
        return self.get(api_path("/v1/returnees/imports/{}", import_id))

    def import_template(self, fmt: str):
        return self.call("GET", "/v1/returnees/import/template", params={"format": fmt}, raw=True)

    def rule_sets(self) -> list[dict]:
        return self.get("/v1/eligibility/rules")["items"]

    def load_rule_set(self, rules: dict, dry_run: bool, language: str) -> dict:
        """Validate (`dry_run`: and compare, storing nothing) or load a year's rule set; the problem texts in
        `language`."""
        return self.call("POST", "/v1/eligibility/rules", params={"dry_run": "true" if dry_run else None},
                         json=rules, headers={"Accept-Language": language})
