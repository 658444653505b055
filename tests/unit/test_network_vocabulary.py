"""The network's own lists (support types, monitoring domains) are declared once, in shared/vocabulary.py, with
their labels in the seedwork's catalogue: adding a support type is one change there, and intake, partners and
monitoring accept it and serve it without a change of their own (issue 17: one owner per code list).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shared import vocabulary as network

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "partners", "monitoring")

# one schema per service that takes a support type, and a body with one ("CODE" stands for it)
SUPPORT_BODIES = {
    "intake": ("services.intake.schemas", "SupportSchema", {"type": "CODE"}),
    "partners": ("services.partners.schemas", "PartnerSchema", {"name": "A", "countries": ["GN"], "services": ["CODE"]}),
    "monitoring": ("services.monitoring.schemas", "SupportDeliveredSchema", {"type": "CODE"}),
}


def with_code(body: dict, code: str) -> dict:
    return json.loads(json.dumps(body).replace('"CODE"', json.dumps(code)))

# Run in a fresh interpreter: the schemas read the lists when they are imported, so the network's list is
# grown before any service is imported, as if shared/vocabulary.py said so.
GROWN = """
import importlib, json, sys
from shared import vocabulary
CODE = sys.argv[1]
vocabulary.SUPPORT_TYPES = vocabulary.NETWORK_LISTS["support_types"] = (*vocabulary.SUPPORT_TYPES, CODE)
vocabulary.NETWORK.lists["support_types"] = vocabulary.SUPPORT_TYPES
found = {}
for service, (module, schema, body) in json.loads(sys.argv[2]).items():
    body = json.loads(json.dumps(body).replace('"CODE"', json.dumps(CODE)))
    errors = getattr(importlib.import_module(module), schema)().validate(body)
    served = importlib.import_module(f"services.{service}.vocabulary").VOCABULARY.document("support_types")
    found[service] = {"errors": errors, "served": [entry["code"] for entry in served["codes"]],
                      "labels": [entry["labels"] for entry in served["codes"] if entry["code"] == CODE]}
print(json.dumps(found))
"""


def test_a_support_type_added_to_the_network_is_accepted_and_served_by_all_three_services():
    answer = subprocess.run([sys.executable, "-c", GROWN, "legal_aid", json.dumps(SUPPORT_BODIES)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert answer.returncode == 0, answer.stderr
    found = json.loads(answer.stdout)
    assert set(found) == set(SERVICES)
    for service, seen in found.items():
        assert seen["errors"] == {}, service
        assert seen["served"] == [*network.SUPPORT_TYPES, "legal_aid"], service
        assert seen["labels"] == [{"nl": "legal_aid", "en": "legal_aid", "fr": "legal_aid"}], service  # untranslated


@pytest.mark.parametrize("service", SERVICES)
def test_without_it_each_service_refuses_that_support_type(service):
    import importlib

    module, schema, body = SUPPORT_BODIES[service]
    errors = getattr(importlib.import_module(module), schema)().validate(with_code(body, "legal_aid"))
    assert errors and "legal_aid" not in network.SUPPORT_TYPES


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_takes_the_network_lists_as_they_are_declared(service):
    import importlib

    vocabulary = importlib.import_module(f"services.{service}.vocabulary")
    assert vocabulary.SUPPORT_TYPES is network.SUPPORT_TYPES
    if service != "partners":
        assert vocabulary.DOMAINS is network.DOMAINS
    own = {context for context, _, _ in vocabulary.VOCABULARY.messages()}
    assert not own & set(network.NETWORK_LISTS), "a network list's labels live in shared/translations only"


def test_the_served_labels_are_the_seedworks_and_monitorings_domains_keep_its_rubric():
    from services.intake.vocabulary import VOCABULARY as intake
    from services.monitoring.vocabulary import VOCABULARY as monitoring

    assert network.NETWORK.labels("support_types", "housing") == {"nl": "Huisvesting", "en": "Housing",
                                                                   "fr": "Logement"}
    served = {entry["code"]: entry for entry in monitoring.document("domains")["codes"]}
    assert served["housing"]["labels"] == intake.document("domains")["codes"][1]["labels"] == {
        "nl": "Huisvesting", "en": "Housing", "fr": "Logement"}
    assert [level["score"] for level in served["housing"]["rubric"]] == [1, 2, 3, 4, 5]
    assert intake.labels("support_types", "cash") == network.NETWORK.labels("support_types", "cash") == {
        "nl": "Geld", "en": "Cash", "fr": "Argent liquide"}  # what the printed reports label codes with
    assert "rubric" not in intake.document("domains")["codes"][1]


def test_a_vocabulary_may_not_name_a_list_nobody_declares():
    with pytest.raises(ValueError):
        network.Vocabulary("intake", ROOT, {}, references=("exit_reasons",))
