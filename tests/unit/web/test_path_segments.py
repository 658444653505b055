"""Ids in page URLs and in API calls (issue 22, item 10): a page whose id has not the shape of one answers 404
before any API call, and every id the web app puts in an API's path is percent-encoded as one segment, so it
never becomes another route, a query string or a fragment."""
from __future__ import annotations

import pytest
import responses

from services.web.clients import ApiError, IntakeClient, MonitoringClient, PartnersClient
from tests.unit.web.conftest import INTAKE, MONITORING, PARTNERS

COUNTS = {"total": 3, "by_status": {"registered": 3}, "by_country": {"NG": 3}}


class TestPagesRefuseWhatIsNotAnId:
    def test_a_returnee_page_named_after_another_route_is_404_not_a_500(self, browser, api):
        asked = api.get(f"{INTAKE}/v1/returnees/counts", json=COUNTS)  # what intake answers there
        for role in ("consultant", "project_lead"):
            response = browser(role).client.get("/returnees/counts")
            assert response.status_code == 404, (role, response.status_code)
        assert asked.call_count == 0

    @pytest.mark.parametrize("path", ["/returnees/rtn_x%3Fq=1", "/returnees/rtn_x%23top", "/returnees/rtn_%2E%2E",
                                      "/returnees/..%2Fcounts", "/returnees/rtn_x%3Fq=1/progress-report",
                                      "/partners/names", "/partners/prt_1%3Fcountry=NG"])
    def test_an_id_with_punctuation_is_404_and_reaches_no_api(self, browser, api, path):
        role = "admin" if path.startswith("/partners") else "consultant"
        response = browser(role).client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert [c.request.url for c in api.calls] == []

    @pytest.mark.parametrize("path", ["/returnees/rtn_x%3Fq=1/consent", "/alerts/alr_1%3Fx=1/resolve",
                                      "/partners/prt_1/credentials/hw_1%2F..%2F/revoke"])
    def test_a_form_sent_to_an_id_with_punctuation_is_404(self, browser, api, path):
        role = "admin" if path.startswith("/partners") else "consultant"
        b = browser(role)
        assert b.post(path, {"note": "x", "confirm": "yes"}).status_code == 404
        assert [c.request.url for c in api.calls] == []


class TestClientsEncodeEachSegment:
    @pytest.fixture
    def seen(self):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            urls = []

            def record(request):
                urls.append(request.url)
                return 200, {}, "{}"

            for base in (INTAKE, MONITORING, PARTNERS):
                for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                    mock.add_callback(method, __import__("re").compile(base + r"/.*"), callback=record)
            yield urls

    @pytest.mark.parametrize("hostile,encoded", [("rtn_x?q=1", "rtn_x%3Fq%3D1"), ("a/b", "a%2Fb"),
                                                 ("x#frag", "x%23frag"), ("rtn_ü", "rtn_%C3%BC"),
                                                 ("..x", "..x")])
    def test_an_id_stays_one_segment(self, seen, hostile, encoded):
        token = lambda: "t"  # noqa: E731
        IntakeClient(INTAKE, token).returnee(hostile)
        IntakeClient(INTAKE, token).set_consent(hostile, {})
        MonitoringClient(MONITORING, token).case(hostile)
        MonitoringClient(MONITORING, token).act_on_alert(hostile, "resolve", "")
        PartnersClient(PARTNERS, token).revoke(hostile, hostile)
        assert seen == [f"{INTAKE}/v1/returnees/{encoded}", f"{INTAKE}/v1/returnees/{encoded}/consent",
                        f"{MONITORING}/v1/cases/{encoded}", f"{MONITORING}/v1/alerts/{encoded}/resolve",
                        f"{PARTNERS}/v1/partners/{encoded}/credentials/{encoded}"]

    @pytest.mark.parametrize("nothing", ["", ".", "..", "..."])
    def test_an_empty_or_dots_only_id_is_404_without_a_call(self, seen, nothing):
        """requests sends %2E as "." and HTTP libraries resolve ".." as a step up: such an id names nothing."""
        with pytest.raises(ApiError) as refused:
            IntakeClient(INTAKE, lambda: "t").returnee(nothing)
        assert refused.value.status == 404 and seen == []

    def test_an_ordinary_id_is_unchanged(self, seen):
        IntakeClient(INTAKE, lambda: "t").returnee("rtn_01JAAAAAAAAAAAAAAAAAAAAAAA")
        assert seen == [f"{INTAKE}/v1/returnees/rtn_01JAAAAAAAAAAAAAAAAAAAAAAA"]
