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
    @pytest.mark.parametrize("minutes, dutch, english", [
        (1, "dit account is 1 minuut geblokkeerd", "locked for 1 minute."),
        (15, "dit account is 15 minuten geblokkeerd", "locked for 15 minutes."),
    ])
    def test_the_lock_out_message_counts_its_minutes(self, browser, web, minutes, dutch, english):
        web.settings = web.settings.with_(lockout_after_failures=1, lockout_minutes=minutes)
        b = browser()
        assert dutch in b.sign_in("consultant", "wrong").get_data(as_text=True)
        b.client.get("/login?lang=en")
        assert english in b.sign_in("consultant", "wrong").get_data(as_text=True)
