"""The partner portal's cases and check-ins (issue 18) in a real headless Chromium against the running network: a
Guinean field worker takes a case from the offer to its first check-ins offline in between, nothing stored twice, 404
for another organisation's; a refused check-in is corrected at its fields; the home page lists the check-ins due."""
from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect

from tests.e2e.portal_pages import (GUINEAN, arrived_case, check_phone_page, fill_checkin, offline_ready,
                                    partner_with_people, phone, ready, renew_token, sign_in)
from tests.e2e.portal_pages import portal  # noqa: F401 - fixtures
from tests.helpers import eventually


def test_a_field_worker_takes_a_case_from_the_offer_to_its_check_ins_offline_in_between(browser, network, portal):  # noqa: F811
    partner = partner_with_people(network, "GN", ["fr", "ff", "sus"], ("e2e.fatou", "field_worker"), also=("SN",))
    other = partner_with_people(network, "GN", ["fr"], ("e2e.mamadou", "field_worker"))
    rid = network.register("GN", languages=["fr", "sus"], household={"adults": 1, "minors": 2}, **GUINEAN)["id"]
    network.call("POST", "intake", f"/v1/returnees/{rid}/handover", 202, json={"partner_id": partner["id"]})
    network.wait_handover(partner, rid)

    context, page = phone(browser)
    sign_in(page, portal, "e2e.fatou")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#offers")).to_contain_text("jours pour répondre")
    ready(page)
    check_phone_page(page, "home-first")

    # the offer: what to decide, then accept
    page.click("#offers a")
    expect(page.locator("h1")).to_have_text("Dossier proposé")
    expect(page.locator("main")).to_contain_text("2 enfants")
    check_phone_page(page, "offer")
    page.click("form#accept button")
    expect(page.locator(".flash")).to_contain_text("Vous avez accepté le dossier")
    network.wait_status(rid, "handover_accepted")
    network.call("POST", "intake", f"/v1/returnees/{rid}/departure", 200,
                 json={"departed_on": network.clock.today().isoformat()})
    network.wait_status(rid, "departed")

    # the arrival, confirmed on the case page; the schedule follows from monitoring
    page.reload()
    check_phone_page(page, "case-accepted")
    page.click("form#arrival button")
    expect(page.locator(".flash")).to_contain_text("Arrivée confirmée")
    eventually(lambda: network._case_exists(rid), message="monitoring case")
    page.reload()
    expect(page.locator("#schedule li")).not_to_have_count(0)
    ready(page)
    offline_ready(page, portal)
    check_phone_page(page, "case")

    # no connection: two check-ins filled and kept on the device
    context.set_offline(True)
    page.click("#schedule li[data-slot='1'] a.button")
    expect(page.locator("#checkin-about")).to_contain_text("Suivi du mois 1")
    fill_checkin(page, {"economic": 2, "housing": 4, "social": 4, "health": 3, "resilience": 3},
                 paid=("11 500 000", "1 200,50"))
    # the organisation works in two countries (the form's own default is the euro): the case's currency, offline
    expect(page.locator("select[name='support_delivered.0.currency']")).to_have_value("GNF")
    check_phone_page(page, "checkin", show="fieldset[data-field='scores']")  # the rubric
    page.click("#save")
    expect(page.locator("#queue-status")).to_contain_text("1 suivi attend d'être envoyé.")
    page.click("a.button[href*='slot=ad_hoc']")
    expect(page.locator("#checkin-about")).to_contain_text("Suivi supplémentaire")
    fill_checkin(page, {"economic": 3, "housing": 4}, mode="in_person")
    page.click("#save")
    expect(page.locator("#queue-status")).to_contain_text("2 suivis attendent d'être envoyés.")

    page.reload()  # still without a connection: the app, and what waits
    expect(page.locator("#connection")).to_be_visible()
    expect(page.locator("#queue-status")).to_contain_text("2 suivis attendent d'être envoyés.")
    page.goto(portal + "/waiting")
    expect(page.locator("#queue li")).to_have_count(2)
    check_phone_page(page, "waiting")
    assert len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) == 0

    # the connection is back: both go, each result shown
    syncs = []
    page.on("request", lambda r: r.url.endswith("/sync") and syncs.append(r.post_data_json))
    context.set_offline(False)
    expect(page.locator("#queue-status")).to_contain_text("2 suivis envoyés.")
    expect(page.locator("#queue li")).to_have_count(0)
    assert [len(s["items"]) for s in syncs] == [2]
    checkins = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]
    assert sorted(str(c["slot"]) for c in checkins) == ["1", "ad_hoc"]
    support = next(c for c in checkins if c["slot"] == 1)["support_delivered"][0]
    assert (support["amount"], support["currency"], support["amount_eur"]) == (11_500_000, "GNF", 1200.5)

    # a second sync sends nothing, and the case shows what was sent
    page.goto(portal + f"/cases/{rid}")
    ready(page)
    page.reload()
    ready(page)
    assert [len(s["items"]) for s in syncs] == [2]
    assert len(network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]) == 2
    expect(page.locator("#checkins li")).to_have_count(2)

    # another organisation's field worker: that case does not exist for them
    _, stranger = phone(browser)
    sign_in(stranger, portal, "e2e.mamadou")
    assert stranger.goto(portal + f"/cases/{rid}").status == 404
    expect(stranger.locator("h1")).to_have_text("Introuvable")
    assert other["id"] != partner["id"]
    context.close()


def test_a_check_in_refused_for_its_content_stays_with_its_errors_at_the_fields_until_corrected(browser, network, portal):  # noqa: F811
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.aissata", "field_worker"))
    rid = arrived_case(network, partner)
    context, page = phone(browser)
    sign_in(page, portal, "e2e.aissata", f"/checkin?returnee_id={rid}&slot=1")
    ready(page)
    yesterday = (network.clock.today() - timedelta(days=1)).isoformat()
    page.fill("#f-contact_date", yesterday)  # before the arrival: monitoring refuses it
    fill_checkin(page, {"economic": 3})
    page.click("#save")
    error = page.locator("[data-field='contact_date'] p.error")
    expect(error).to_have_text("Ne doit être ni avant l'arrivée, ni dans le futur.")
    expect(page.locator("#f-contact_date")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-problem")).to_contain_text("Certains champs sont à vérifier.")
    expect(page).to_have_url(re.compile(r"/checkin\?item="))
    check_phone_page(page, "checkin-refused")
    refused_key = page.evaluate("""async () => {
      const q = await import('/static/queue.js');
      const user = document.querySelector('meta[name=portal-user]').content;
      return (await (await q.openQueue(user)).all())[0].key;
    }""")
    page.goto(portal + "/waiting")  # kept on the device, with what to correct
    expect(page.locator("#queue li[data-state='refused']")).to_contain_text("Ne doit être ni avant l'arrivée")
    page.click("#queue li a.button")
    expect(page.locator("#f-contact_date")).to_have_value(yesterday)
    page.fill("#f-contact_date", network.clock.today().isoformat())
    syncs = []
    page.on("request", lambda r: r.url.endswith("/sync") and syncs.append(r.post_data_json))
    page.click("#save")
    expect(page).to_have_url(re.compile(rf"/cases/{rid}$"))
    assert len(syncs) == 1 and syncs[0]["items"][0]["idempotency_key"] != refused_key  # a new request
    checkins = network.call("GET", "monitoring", f"/v1/cases/{rid}", 200)["checkins"]
    assert [c["contact_date"] for c in checkins] == [network.clock.today().isoformat()]
    context.close()


def test_the_home_page_lists_the_check_ins_due_first(browser, network, portal):  # noqa: F811
    """The last test of this module: it moves the network's clock on by 25 days (month 1 falls due in 5)."""
    partner = partner_with_people(network, "GN", ["fr"], ("e2e.mariama", "field_worker"))
    rid = arrived_case(network, partner)
    network.clock.advance(days=25)
    renew_token(network, partner)  # the earlier one has expired meanwhile
    offered = network.register("GN", languages=["fr"], household={"adults": 2, "minors": 3}, **GUINEAN)["id"]
    network.call("POST", "intake", f"/v1/returnees/{offered}/handover", 202, json={"partner_id": partner["id"]})
    network.wait_handover(partner, offered)
    context, page = phone(browser)
    sign_in(page, portal, "e2e.mariama")
    expect(page.locator("#due li")).to_have_count(1)
    expect(page.locator("#due li")).to_contain_text("Suivi du mois 1")
    expect(page.locator(f"#due a[href*='returnee_id={rid}']")).to_have_count(1)
    expect(page.locator("#offers li")).to_have_count(1)
    ready(page)
    check_phone_page(page, "home")
    context.close()
