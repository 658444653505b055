"""SSRF: webhooks never reach internal addresses, at registration or at send time, and connect to the address checked."""
from __future__ import annotations

import datetime as dt
import http.server
import ipaddress
import ssl
import threading

import pytest
import responses

from services.partners.api import create_app
from services.partners.bootstrap import ALLOW_PRIVATE_TARGETS, PartnersService, target_policy
from services.partners.targets import TargetPolicy, TargetRefused, literal_address
from services.partners.webhooks import WebhookNotifier
from shared.config import ConfigError
from tests.unit.conftest import FakeResolver

# (url, refused without the development flag, refused with it)
TARGETS = [
    ("https://ngo.example/hook", False, False),
    ("https://93.184.215.14/hook", False, False),
    ("https://[2606:4700::1111]/hook", False, False),
    # loopback, in every spelling the C library accepts
    ("http://127.0.0.1:8001/", True, False),
    ("http://127.1/", True, False),
    ("http://2130706433/", True, False),
    ("http://0x7f.1/", True, False),
    ("http://0x7f000001/", True, False),
    ("http://0177.0.0.1/", True, False),
    ("http://[::1]/", True, False),
    ("http://[::ffff:127.0.0.1]/", True, False),
    ("http://[::ffff:7f00:1]/", True, False),
    ("http://localhost:8002/", True, False),
    ("http://api.localhost/", True, False),
    ("http://[2002:7f00:1::]/", True, False),  # 6to4 around 127.0.0.1
    # private networks
    ("http://10.0.0.1/", True, False),
    ("http://172.16.5.4/", True, False),
    ("http://192.168.1.1/", True, False),
    ("http://100.64.0.1/", True, False),
    ("http://[fd12:3456::1]/", True, False),
    ("http://[::ffff:10.0.0.1]/", True, False),
    # never: link-local, metadata, unspecified, multicast, reserved
    ("http://169.254.169.254/latest/meta-data/", True, True),
    ("http://169.254.1.1/", True, True),
    ("http://[fe80::1]/", True, True),
    ("http://[::ffff:169.254.169.254]/", True, True),
    ("http://metadata.google.internal/computeMetadata/v1/", True, True),
    ("http://METADATA.google.internal./", True, True),
    ("http://[fd00:ec2::254]/", True, True),
    ("http://100.100.100.200/", True, True),
    ("http://0.0.0.0:8001/", True, True),
    ("http://0/", True, True),
    ("http://[::]/", True, True),
    ("http://224.0.0.1/", True, True),
    ("http://[ff02::1]/", True, True),
    ("http://255.255.255.255/", True, True),
    ("http://240.0.0.1/", True, True),
    ("http://192.0.2.10/", True, True),  # documentation range
    ("http://[64:ff9b::7f00:1]/", True, False),  # NAT64 around 127.0.0.1: judged as what it reaches
    ("http://[64:ff9b::a9fe:a9fe]/", True, True),  # NAT64 around 169.254.169.254
    ("http://[::127.0.0.1]/", True, True),  # deprecated IPv4-compatible form
    ("http://999999999999/", True, True),  # a number that is no address
    # names are judged by every address they resolve to
    ("https://internal.example.org/", True, False),
    ("https://split.example.org/", True, False),
    ("https://linklocal.example.org/", True, True),
]
NAMES = {"internal.example.org": ["10.1.2.3"], "split.example.org": ["93.184.215.14", "127.0.0.1"],
         "linklocal.example.org": ["169.254.169.254"]}


class TestWhichTargetsAreRefused:
    @pytest.mark.parametrize("url,refused,refused_in_development", TARGETS)
    @pytest.mark.parametrize("when", ["check_url", "resolve"])  # at registration, at send time
    def test_each_target(self, when, url, refused, refused_in_development):
        for allow_private, expected in ((False, refused), (True, refused_in_development)):
            check = getattr(TargetPolicy(FakeResolver(NAMES), allow_private=allow_private), when)
            if expected:
                with pytest.raises(TargetRefused):
                    check(url)
            else:
                check(url)

    @pytest.mark.parametrize("host,address", [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
                                              ("0177.0.0.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
                                              ("10.1", "10.0.0.1"), ("face.cafe", None), ("ngo.example", None)])
    def test_numeric_forms_are_read_as_the_address_they_are(self, host, address):
        found = literal_address(host)
        assert (str(found) if found else None) == address

    def test_a_name_that_does_not_resolve_now_may_be_registered_and_is_checked_when_sent(self):
        TargetPolicy(FakeResolver()).check_url("https://not-yet.org/hook")


@pytest.fixture
def mocked_responses():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def partners_app(build, auth, resolver=None):
    service = build(PartnersService, "partners", **({"resolver": resolver} if resolver else {}))
    client = create_app(service=service).test_client()
    org = client.post("/v1/partners", json={"name": "Own", "countries": ["NG"]}, headers=auth("admin")).json["id"]
    return service, client, org


class TestRegistration:
    @pytest.mark.parametrize("url", ["http://127.0.0.1:8001", "http://169.254.169.254/latest", "http://[::1]/",
                                     "http://0.0.0.0/", "http://2130706433/", "http://10.0.0.1/",
                                     "http://metadata.google.internal/", "http://localhost:8002/"])
    def test_an_internal_target_is_422_on_the_url(self, build, auth, url):
        _, client, org = partners_app(build, auth)
        response = client.put(f"/v1/partners/{org}/webhook", json={"url": url}, headers=auth("admin"))
        assert response.status_code == 422 and response.content_type == "application/problem+json"
        message = response.json["errors"]["url"]
        assert set(response.json["errors"]) == {"url"} and ("address" in message or "metadata" in message)
        assert client.get(f"/v1/partners/{org}/webhook", headers=auth("admin")).status_code == 404

    def test_the_development_flag_lets_loopback_through_but_never_metadata(self, build, auth, monkeypatch):
        monkeypatch.setenv(ALLOW_PRIVATE_TARGETS, "1")
        _, client, org = partners_app(build, auth)
        ok = client.put(f"/v1/partners/{org}/webhook", json={"url": "http://127.0.0.1:9000/h"}, headers=auth("admin"))
        assert ok.status_code == 200
        for url in ("http://169.254.169.254/", "http://metadata.google.internal/", "http://[fe80::1]/"):
            refused = client.put(f"/v1/partners/{org}/webhook", json={"url": url}, headers=auth("admin"))
            assert refused.status_code == 422 and "url" in refused.json["errors"]

    def test_production_refuses_the_development_flag(self, settings_for):
        production = settings_for("partners").with_(environment="production")
        with pytest.raises(ConfigError, match=ALLOW_PRIVATE_TARGETS):
            target_policy(production, environ={ALLOW_PRIVATE_TARGETS: "1"})
        assert not target_policy(production, environ={}).allow_private
        assert target_policy(settings_for("partners"), environ={ALLOW_PRIVATE_TARGETS: "1"}).allow_private


class TestSendTime:
    def test_a_name_that_now_resolves_inside_is_refused_without_a_connection(self, build, auth, mocked_responses,
                                                                             clock):
        from services.partners.handlers import offer_handover
        from shared.events import new_event

        resolver = FakeResolver({"hooks.ngo.org": ["93.184.215.14"]})
        service, client, org = partners_app(build, auth, resolver)
        assert client.put(f"/v1/partners/{org}/webhook", json={"url": "https://hooks.ngo.org/h"},
                          headers=auth("admin")).status_code == 200
        resolver.names["hooks.ngo.org"] = ["10.0.0.7"]  # the name moved inside after registration
        offer_handover(service.deps, new_event("intake", "returnee.handover_requested.v1", "rtn_1", {
            "returnee_id": "rtn_1", "handover_id": "hnd_1", "partner_id": org, "country_of_return": "NG"},
            clock.now()))
        assert service.webhooks.tick(wait=True) == 1
        assert len(mocked_responses.calls) == 0  # no request was made
        (row,) = client.get(f"/v1/partners/{org}/webhook/deliveries", headers=auth("admin")).json["items"]
        assert row["status_code"] is None and row["error"].startswith("refused: ")
        assert "10.0.0.7" not in row["error"]  # the log does not map the inside

    def test_redirects_are_not_followed(self, mocked_responses):
        mocked_responses.post("https://ngo.example/h", status=302,
                              headers={"Location": "http://127.0.0.1:8001/v1/partners"})
        outcome = WebhookNotifier(TargetPolicy(FakeResolver())).send(
            "https://ngo.example/h", ["whsec_" + "A" * 44], "msg_1", 1, "{}")
        assert (outcome.status_code, outcome.error, outcome.delivered) == (302, "HTTP 302", False)
        assert len(mocked_responses.calls) == 1


class Receiver(http.server.BaseHTTPRequestHandler):
    seen: list = []

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["content-length"]))
        Receiver.seen.append(self.headers["host"])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_receiver():
    """A real HTTP server on 127.0.0.1 (the only place unit tests may connect to)."""
    Receiver.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def self_signed(tmp_path, name: str):
    """A certificate for `name` (and the key), as files, to serve and to trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_file), str(key_file)


class TestTheConnectionGoesToTheCheckedAddress:
    """`hooks.test` resolves nowhere on this machine: a request reaches the server only through the pinned address."""

    def test_over_http_with_the_name_in_the_host_header(self, local_receiver):
        port = local_receiver.server_address[1]
        resolver = FakeResolver({"hooks.test": ["127.0.0.1"]})
        notifier = WebhookNotifier(TargetPolicy(resolver, allow_private=True))
        outcome = notifier.send(f"http://hooks.test:{port}/h", ["whsec_" + "A" * 44], "msg_1", 1, "{}")
        assert outcome.delivered, outcome.error
        assert Receiver.seen == [f"hooks.test:{port}"] and resolver.lookups == ["hooks.test"]

    def test_over_https_the_certificate_is_checked_for_the_name(self, local_receiver, tmp_path):
        cert, key = self_signed(tmp_path, "hooks.test")
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        local_receiver.socket = context.wrap_socket(local_receiver.socket, server_side=True)
        port = local_receiver.server_address[1]
        resolver = FakeResolver({"hooks.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
        notifier = WebhookNotifier(TargetPolicy(resolver, allow_private=True), verify=cert)

        outcome = notifier.send(f"https://hooks.test:{port}/h", ["whsec_" + "A" * 44], "msg_1", 1, "{}")
        assert outcome.delivered, outcome.error
        assert Receiver.seen == [f"hooks.test:{port}"]
        # the same address under another name: the certificate does not match, nothing is posted
        wrong = notifier.send(f"https://other.test:{port}/h", ["whsec_" + "A" * 44], "msg_2", 1, "{}")
        assert not wrong.delivered and "certificate" in wrong.error.lower() and len(Receiver.seen) == 1

    def test_a_refused_address_is_never_connected_to(self, local_receiver):
        port = local_receiver.server_address[1]
        notifier = WebhookNotifier(TargetPolicy(FakeResolver({"hooks.test": ["127.0.0.1"]})))  # no flag
        outcome = notifier.send(f"http://hooks.test:{port}/h", ["whsec_" + "A" * 44], "msg_1", 1, "{}")
        assert outcome.error.startswith("refused: ") and Receiver.seen == []


def test_ipv4_mapped_addresses_are_judged_as_ipv4():
    policy = TargetPolicy(FakeResolver())
    assert policy.refusal(ipaddress.ip_address("::ffff:8.8.8.8")) is None
    assert policy.refusal(ipaddress.ip_address("::ffff:192.168.0.1")) == "a private address"
