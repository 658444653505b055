"""`make run`'s launcher as a person uses it: it comes up, writes working credentials, starts its broker
again when it is killed (and says so), and Ctrl-C stops everything it started."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import requests

from shared.embedded_broker import free_port
from tests.e2e.test_embedded_worker_loss import children
from tests.helpers import eventually

ROOT = Path(__file__).resolve().parents[2]


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_the_embedded_network_starts_seeds_and_stops_cleanly(tmp_path):
    ports = {"KAFKA_PORT": free_port(), "INTAKE_PORT": free_port(), "PARTNERS_PORT": free_port(),
             "MONITORING_PORT": free_port(), "WEB_PORT": free_port(), "PORTAL_PORT": free_port(),
             "SMTP_PORT": free_port()}
    env = {k: v for k, v in os.environ.items() if k not in ("KAFKA_BOOTSTRAP_SERVERS", "MONGODB_URI", "SMTP_HOST")}
    env.update({k: str(v) for k, v in ports.items()})
    env.update(HOMEWARD_VAR_DIR=str(tmp_path), JWT_SIGNING_KEY_FILE=str(tmp_path / "key.pem"),
               WEB_JWT_SIGNING_KEY_FILE=str(tmp_path / "web-key.pem"))
    console = tmp_path / "console.txt"  # a file, not a pipe: a full pipe would block the services' logging
    launcher = subprocess.Popen([sys.executable, "-m", "deploy.run_embedded"], cwd=ROOT, env=env,
                                stdout=console.open("w"), stderr=subprocess.STDOUT, start_new_session=True, text=True)
    try:
        credentials_file = tmp_path / "dev-credentials.json"
        eventually(credentials_file.exists, timeout=90, interval=0.3, message="dev-credentials.json written")
        credentials = json.loads(credentials_file.read_text())
        assert set(credentials["urls"]) == {"intake", "partners", "monitoring", "web", "portal"}
        assert set(credentials["tokens"]) == {"consultant", "project_lead", "admin"}
        assert sorted(c for p in credentials["partners"] for c in p["countries"]) == ["AM", "ET", "GN", "IQ", "NG"]

        partner = credentials["partners"][0]
        token = requests.post(credentials["urls"]["partners"] + "/v1/oauth/token", timeout=10, data={
            "grant_type": "client_credentials", "client_id": partner["client_id"],
            "client_secret": partner["client_secret"]})
        assert token.status_code == 200 and token.json()["expires_in"] <= 900
        handovers = requests.get(credentials["urls"]["partners"] + "/v1/handovers", timeout=10,
                                 headers={"Authorization": "Bearer " + token.json()["access_token"]})
        assert handovers.status_code == 200

        # one field worker and one coordinator per demo partner, each signing in with its password
        people = credentials["partner_users"]
        assert sorted((p["partner_id"], p["role"]) for p in people) == sorted(
            (p["id"], role) for p in credentials["partners"] for role in ("coordinator", "field_worker"))
        worker = next(p for p in people if p["role"] == "field_worker" and p["partner_id"] == partner["id"])
        signed_in = requests.post(credentials["urls"]["partners"] + "/v1/oauth/token", timeout=10, data={
            "grant_type": "password", "username": worker["username"], "password": worker["password"]})
        assert signed_in.status_code == 200 and signed_in.json()["refresh_token"], signed_in.text
        as_worker = {"Authorization": "Bearer " + signed_in.json()["access_token"]}
        me = requests.get(credentials["urls"]["partners"] + "/v1/partner-users/me", headers=as_worker, timeout=10)
        assert me.json()["partner_id"] == partner["id"] and me.json()["username"] == worker["username"]
        assert requests.get(credentials["urls"]["partners"] + "/v1/handovers", headers=as_worker,
                            timeout=10).status_code == 200
        consultant = {"Authorization": "Bearer " + credentials["tokens"]["consultant"]}
        for name, url in credentials["urls"].items():
            assert requests.get(url + "/readyz", timeout=10).json()["mongodb"] == "ok", name
        assert requests.get(credentials["urls"]["intake"] + "/v1/returnees", headers=consultant,
                            timeout=10).status_code == 200

        # the demo consultant signs in to the web app, whose caseload page calls intake with a web-signed token
        web = requests.Session()
        login = web.get(credentials["urls"]["web"] + "/login", timeout=10)
        csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        signed_in = web.post(credentials["urls"]["web"] + "/login", timeout=10, data={
            "csrf_token": csrf, **credentials["staff"]["consultant"]})
        assert signed_in.status_code == 200 and signed_in.url.endswith("/returnees"), signed_in.text[:500]
        assert set(credentials["staff"]) == {"consultant", "project_lead", "admin"}

        # the Guinean demo field worker signs in to the portal, whose pages speak the organisation's French
        guinea = next(p["id"] for p in credentials["partners"] if p["countries"] == ["GN"])
        worker = next(u for u in credentials["partner_users"] if u["partner_id"] == guinea and u["role"] == "field_worker")
        portal = requests.Session()
        login = portal.get(credentials["urls"]["portal"] + "/login", timeout=10)
        csrf = login.text.split('name="csrf_token" value="')[1].split('"')[0]
        home = portal.post(credentials["urls"]["portal"] + "/login", timeout=10, data={
            "csrf_token": csrf, "username": worker["username"], "password": worker["password"]})
        assert home.status_code == 200 and home.url.rstrip("/") == credentials["urls"]["portal"], home.text[:500]
        assert '<html lang="fr"' in home.text and "Suivis à faire" in home.text

        kill_the_broker_and_see_events_travel_again(launcher, credentials, consultant)
        # the offer also went by mail to the partner's people, as an .eml in the var directory's mail/
        addresses = {u["email"] for u in credentials["partner_users"] if u["partner_id"] == partner["id"]}
        mails = eventually(lambda: [f for f in (tmp_path / "mail").glob("*.eml")
                                    if any(a in f.read_text() for a in addresses)], timeout=60,
                           message="the offer's mail in var/mail/")
        assert "New handover offer" in mails[0].read_text() and "Eze" not in mails[0].read_text()
    finally:
        os.killpg(launcher.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            launcher.wait(timeout=60)
            output = console.read_text()
        except subprocess.TimeoutExpired:
            launcher.kill()
            for port in ports.values():  # do not leave a failed run's processes behind
                subprocess.run(["pkill", "-9", "-f", f"127.0.0.1:{port}"], check=False)
            raise
    assert launcher.returncode == 0, output
    assert "Everything in memory is gone when this stops" in output
    assert "the embedded broker at 127.0.0.1:%d stopped (exit code -9); starting it again" % ports["KAFKA_PORT"] in output
    assert "the embedded broker runs again" in output
    assert f"SMTP server on 127.0.0.1:{ports['SMTP_PORT']}" in output
    assert not [p for p in ports.values() if listening(p)], "a process outlived Ctrl-C"


def kill_the_broker_and_see_events_travel_again(launcher, credentials, consultant) -> None:
    """`kill -9` of the embedded broker (issue 22, item 8): the launcher starts it again and a handover made
    after it reaches the partner; intake's readiness says what it sees of the broker and the outbox."""
    broker = [pid for pid in children(launcher.pid) if b"tansu" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert len(broker) == 1
    os.kill(broker[0], signal.SIGKILL)
    intake, partners = credentials["urls"]["intake"], credentials["urls"]["partners"]
    registered = requests.post(intake + "/v1/returnees", headers=consultant, timeout=10, json={
        "client_ref": "VWN-9", "given_name": "Ada", "family_name": "Eze", "country_of_return": "NG",
        "consent": {"share_with_partner": True, "share_outcomes_with_chain_partners": False, "given_on": "2026-11-01"}})
    assert registered.status_code == 201, registered.text  # acknowledged whatever the broker does
    partner = credentials["partners"][0]
    handover = requests.post(f"{intake}/v1/returnees/{registered.json()['id']}/handover", headers=consultant,
                             timeout=10, json={"partner_id": partner["id"]})
    assert handover.status_code == 202, handover.text
    ready = requests.get(intake + "/readyz", timeout=10)
    assert ready.status_code == 200 and {"broker", "outbox_backlog", "outbox_oldest_age_seconds"} <= set(ready.json())
    token = requests.post(partners + "/v1/oauth/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": partner["client_id"],
        "client_secret": partner["client_secret"]}).json()["access_token"]

    def offered() -> bool:
        items = requests.get(partners + "/v1/handovers?status=offered", timeout=10,
                             headers={"Authorization": "Bearer " + token}).json()["items"]
        return any(h["returnee_id"] == registered.json()["id"] for h in items)

    eventually(offered, timeout=60, interval=0.3, message="the handover reached partners after the broker restart")
    eventually(lambda: requests.get(intake + "/readyz", timeout=10).json()["outbox_backlog"] == 0, timeout=30,
               message="intake's outbox empty again")


def test_a_port_in_use_is_refused_with_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "INTAKE_PORT": str(port), "KAFKA_PORT": str(free_port()),
               "PARTNERS_PORT": str(free_port()), "MONITORING_PORT": str(free_port()), "WEB_PORT": str(free_port()),
               "PORTAL_PORT": str(free_port()),
               "HOMEWARD_VAR_DIR": str(tmp_path), "JWT_SIGNING_KEY_FILE": str(tmp_path / "key.pem")}
        done = subprocess.run([sys.executable, "-m", "deploy.run_embedded"], cwd=ROOT, env=env, timeout=60,
                              capture_output=True, text=True)
    assert done.returncode == 1
    assert f"port(s) {port}" in done.stderr and "already in use" in done.stderr
