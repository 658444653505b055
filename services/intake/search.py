"""The normalised search field of a returnee: what a search by name or client reference matches.

Each word of the given and family names (also the parts of a hyphenated or apostrophed name) and the
client reference whole, folded: accents removed, case folded. A search matches a returnee when each
word of the query starts one of its words ("jan vr" finds Jan-Willem de Vries, "vwn-9" finds VWN-912,
"Oké" finds Okeke). Intake keeps the field in the same write as the names and removes it on erasure,
so an erased returnee is never found.
"""
from __future__ import annotations

import re
import unicodedata

FIELD = "search"
SOURCES = ("given_name", "family_name", "client_ref")
_PARTS = re.compile(r"[-'\u2019]")


def fold(text: str) -> str:
    """Lower case without accents: "Ọ̀kàfọ́r" -> "okafor"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(returnee: dict) -> list[str]:
    """The search field of a returnee (its names and client reference), sorted, each word once."""
    found = set()
    for name in ("given_name", "family_name"):
        for word in fold(returnee.get(name) or "").split():
            found.add(word)
            found.update(part for part in _PARTS.split(word) if part)
    reference = "".join(fold(returnee.get("client_ref") or "").split())
    if reference:
        found.add(reference)
    return sorted(found)


def query_words(q: str) -> list[str]:
    """The words of a query, folded, longest first (the first one is the one an index looks up)."""
    return sorted(set(fold(q).split()), key=lambda w: (-len(w), w))
