"""The two mail senders as deployed (docs/mail.md): partners-worker (partner people) and web-worker (staff)
run in compose and Kubernetes with the SMTP settings, only they hold the SMTP password, and their mails link
to the addresses people open."""
from __future__ import annotations

from shared.mail.smtp import MailSettings
from tests.unit.deploy.manifests import (DEPLOY, MAIL_SENDERS, PORTAL, WEB_WORKER, compose, compose_app_services, defined,
                                         interpolated, k8s_containers, process_environments)

SMTP = {"SMTP_HOST", "SMTP_PORT", "SMTP_STARTTLS", "SMTP_USER", "MAIL_FROM"}


def environments() -> dict[str, dict]:
    return {where: environ for where, _, environ in process_environments()}


def test_compose_interpolation_gives_the_defaults_or_the_shells_values():
    assert interpolated("${SMTP_PORT:-587}") == "587"
    assert interpolated("${SMTP_HOST:-}") == ""
    assert interpolated("${SMTP_HOST:-}", {"SMTP_HOST": "smtp.example.org"}) == "smtp.example.org"
    assert interpolated("kafka:9092") == "kafka:9092"


def test_each_mail_sender_runs_with_the_smtp_settings_in_compose_and_kubernetes(tmp_path):
    found = environments()
    (tmp_path / "smtp-password").write_text("secret\n")
    for name in MAIL_SENDERS:
        for where in (f"compose:{name}", f"k8s:{name}"):
            environ = found[where]
            assert SMTP <= set(environ), (where, SMTP - set(environ))
            if "SMTP_PASSWORD_FILE" in environ:
                environ = {**environ, "SMTP_PASSWORD_FILE": str(tmp_path / "smtp-password")}
            mail = MailSettings.from_env(environ)
            assert mail.port == 587 and mail.starttls, where  # submission with STARTTLS, credentials encrypted
            assert mail.password, where  # from the mounted secret file or the Secret's smtp-password
    # compose: nothing is sent until the operator names a server; Kubernetes: CHANGE ME names one
    hosts = {where: found[where].get("SMTP_HOST") for where in (f"compose:{WEB_WORKER}", f"k8s:{WEB_WORKER}")}
    assert hosts[f"compose:{WEB_WORKER}"] == "" and hosts[f"k8s:{WEB_WORKER}"], hosts


def test_only_the_mail_senders_hold_the_smtp_password():
    doc = compose()
    assert doc["secrets"]["smtp-password"]["file"] == "./secrets/smtp-password"  # gitignored with the others
    for name, svc in compose_app_services().items():
        env = svc.get("environment") or {}
        holds = "smtp-password" in svc.get("secrets", [])
        assert holds == (name in MAIL_SENDERS), name
        assert "SMTP_PASSWORD" not in env, name  # never in the environment: a secret file
        if holds:
            assert env["SMTP_PASSWORD_FILE"] == "/run/secrets/smtp-password", name
    assert "SMTP_PASSWORD" not in defined("ConfigMap")["homeward-config"]["data"]
    for workload, container, _ in k8s_containers():
        refs = [e for e in container.get("env", []) if e["name"] == "SMTP_PASSWORD"]
        assert bool(refs) == (workload in MAIL_SENDERS and container["name"] == "worker"), workload
        for ref in refs:
            secret = ref["valueFrom"]["secretKeyRef"]
            assert secret["key"] == "smtp-password" and secret["optional"] is True, workload


def test_mails_link_to_the_addresses_people_open():
    found = environments()
    for where in (f"compose:{WEB_WORKER}", f"k8s:{WEB_WORKER}"):
        assert found[where]["WEB_URL"] != "http://web:8000", where  # the in-network address opens nothing
        assert "WEB_MAIL_TEAMS" in found[where], where
    for kind in ("compose", "k8s"):
        portal = found[f"{kind}:{PORTAL}" if kind == "compose" else f"{kind}:{PORTAL}-api"]
        assert found[f"{kind}:partners-worker"]["PORTAL_URL"] == portal["PORTAL_URL"], kind


def test_both_senders_send_the_digest_at_the_same_configured_hour():
    """DIGEST_HOUR and DIGEST_TIME_ZONE reach both senders (each replica claims the day's run before sending)."""
    found = environments()
    for kind in ("compose", "k8s"):
        hours = {(found[f"{kind}:{w}"].get("DIGEST_HOUR"), found[f"{kind}:{w}"].get("DIGEST_TIME_ZONE"))
                 for w in ("partners-worker", WEB_WORKER)}
        assert len(hours) == 1 and None not in next(iter(hours)), (kind, hours)
    assert MailSettings.from_env(found[f"k8s:{WEB_WORKER}"]).digest_time_zone == "Europe/Amsterdam"


def test_the_env_file_with_the_smtp_settings_stays_out_of_git_and_the_image():
    """Compose reads SMTP_* from deploy/.env (RUNBOOK "Mail"); the image copies deploy/, so the build must not."""
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()
    assert "deploy/.env" in (DEPLOY / "Dockerfile.dockerignore").read_text().split()
