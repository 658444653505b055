"""deploy/prometheus/alerts.yml, parsed (promtool is not installable here): the rule file's shape as Prometheus
reads it, every alert with a severity and a summary, and every metric an expression names exported by a
service's /metrics, or named in that alert's `coming` annotation (a metric to come, e.g. the mail outbox's)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml
from prometheus_client.parser import text_string_to_metric_families

from services.intake.api import create_app as intake_app
from services.intake.bootstrap import IntakeService
from services.monitoring.api import create_app as monitoring_app
from services.monitoring.bootstrap import MonitoringService
from services.partners.api import create_app as partners_app
from services.partners.bootstrap import PartnersService

ROOT = Path(__file__).resolve().parents[3]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
RULE_KEYS = {"alert", "record", "expr", "for", "keep_firing_for", "labels", "annotations"}  # Prometheus's own
DURATION = re.compile(r"(\d+(ms|s|m|h|d|w|y))+")
SEVERITIES = {"critical", "warning", "info"}
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless",
                "offset", "inf", "nan"}


def alerts() -> list[dict]:
    document = yaml.safe_load(RULES.read_text())
    assert set(document) == {"groups"}
    rules = []
    for group in document["groups"]:
        assert set(group) <= {"name", "interval", "limit", "rules"} and group["name"] and group["rules"]
        rules += group["rules"]
    return rules


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads: identifiers that are not functions, keywords, label names
    (in `{...}` or after by/without/on/ignoring) or durations (in `[...]`)."""
    assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"), expr
    bare = re.sub(r'"[^"]*"', "", expr)
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]", "", bare)
    bare = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", bare)
    names = re.findall(r"(?<![\w:.])([a-zA-Z_:][\w:]*)\b(?!\s*\()", bare)
    return {name for name in names if name.lower() not in PROMQL_WORDS}


def served(build) -> set[str]:
    """Every sample name the three services' /metrics serve (the APIs with their loops' gauges and counters,
    as `make run` runs them; a worker serves the same loop metrics on WORKER_METRICS_PORT)."""
    names = set()
    for factory, service_class, name in ((intake_app, IntakeService, "intake"),
                                         (partners_app, PartnersService, "partners"),
                                         (monitoring_app, MonitoringService, "monitoring")):
        client = factory(service=build(service_class, name)).test_client()
        client.get("/healthz")  # so the request counter and histogram have samples
        text = client.get("/metrics").get_data(as_text=True)
        names |= {sample.name for family in text_string_to_metric_families(text) for sample in family.samples}
    return names


def test_the_rule_file_has_the_shape_prometheus_reads():
    rules = alerts()
    assert rules and len({rule["alert"] for rule in rules}) == len(rules)
    for rule in rules:
        assert set(rule) <= RULE_KEYS and "record" not in rule, rule
        assert isinstance(rule["expr"], str) and rule["expr"].strip()
        assert DURATION.fullmatch(str(rule.get("for", "0s"))), rule["alert"]
        assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rule["alert"])
        assert all(isinstance(v, str) for v in {**rule.get("labels", {}), **rule.get("annotations", {})}.values())


def test_every_alert_has_a_severity_and_a_summary():
    for rule in alerts():
        assert rule.get("labels", {}).get("severity") in SEVERITIES, rule["alert"]
        assert rule.get("annotations", {}).get("summary", "").strip(), rule["alert"]


def test_the_alerts_watch_what_issue_22_asks():
    named = set().union(*(metric_names(rule["expr"]) for rule in alerts()))
    assert {"homeward_outbox_oldest_age_seconds", "homeward_events_dead_lettered_total", "homeward_consumer_lag",
            "homeward_webhook_endpoints_paused", "homeward_mail_oldest_pending_age_seconds", "homeward_mail_failed"} <= named


def test_every_metric_named_is_exported_or_documented_as_coming(build):
    exported = served(build)
    assert "homeward_outbox_oldest_age_seconds" in exported and "http_requests_total" in exported
    for rule in alerts():
        coming = rule.get("annotations", {}).get("coming", "")
        for name in metric_names(rule["expr"]):
            if name in exported:
                assert not re.search(rf"\b{name}\b", coming), f"{rule['alert']}: {name} is exported; drop it from `coming`"
            else:
                assert re.search(rf"\b{name}\b", coming), f"{rule['alert']}: {name} is neither exported nor coming"


def test_the_runbook_says_what_to_do_for_each_alert():
    runbook = (ROOT / "deploy" / "RUNBOOK.md").read_text()
    for rule in alerts():
        assert rule["alert"] in runbook, rule["alert"]


def test_the_expression_reader_finds_metric_names_and_nothing_else():
    assert metric_names('sum by (job) (increase(a_total{x="y"}[15m])) > 0') == {"a_total"}
    assert metric_names("max by (job, instance) (b) > 300 and on (job) c") == {"b", "c"}
