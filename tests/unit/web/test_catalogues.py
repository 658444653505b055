"""The staff pages' catalogues, what is particular to them (tests/unit/test_catalogues.py checks every
catalogue of the project: translated, in step with the code, placeholders kept, .mo compiled): the codes
among the messages read as English, and the plural forms count.
"""
from __future__ import annotations

import pytest

from tests.unit.test_catalogues import CATALOGUES, extracted


def test_every_vocabulary_code_reads_as_english():
    web = next(c for c in CATALOGUES if c.name == "web")
    english = {m.id: m.string for m in web.po("en") if m.id}
    codes = sorted(i for _, i in extracted("web") if isinstance(i, str) and "_" in i and " " not in i and "%" not in i)
    assert codes, "the vocabulary codes are marked in services/web/vocabulary.py"
    assert [c for c in codes if not english.get(c)] == []


class TestPlurals:
    @pytest.mark.parametrize("failures, dutch, english", [
        (5, "Probeer het over 1 seconde opnieuw.", "Try again in 1 second."),
        (6, "Probeer het over 2 seconden opnieuw.", "Try again in 2 seconds."),
        (12, "Probeer het over 3 minuten opnieuw.", "Try again in 3 minutes."),
    ])
    def test_the_wait_after_failed_sign_ins_counts_its_seconds_or_minutes(self, browser, web, failures, dutch, english):
        from services.web.signin import source_key

        for _ in range(failures):
            web.throttle.failed("consultant", source_key("127.0.0.1", web.settings.secret_key))
        b = browser()
        assert dutch in b.sign_in("consultant", "wrong").get_data(as_text=True)
        b.client.get("/login?lang=en")
        assert english in b.sign_in("consultant", "wrong").get_data(as_text=True)
