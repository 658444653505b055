"""The case file's conversation and contact notes (gespreksverslagen): write, list, search, correct.

A note's text is sealed with the returnee's personal key (shared.sealing), the corrected texts too, so that
erasure (which shreds the key and deletes the notes) leaves nothing of it readable. The search within a
client's notes looks up `words`: a keyed hash (HMAC-SHA256 with the same key) of each folded word of the
current text, so the store holds no word in clear and a query matches words whatever their case or accents.
A correction is a new version; the earlier versions are shown only to the note's author and administrators.
See docs/casefile.md.
"""
from __future__ import annotations

import hashlib
import hmac
import re
from abc import ABC, abstractmethod

from ulid import ULID

from services.intake.handlers.common import Deps, get_returnee
from services.intake.search import fold
from shared import sealing
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.texts import Text

NOTE = "not_"
_WORD = re.compile(r"\w+")


class AbstractNoteRepository(ABC):
    """The port of the notes' storage (note_repository.py is the mongoengine implementation)."""

    @abstractmethod
    def add(self, note: dict) -> None:
        """Store a new note (stored values: `text` sealed, `words` hashed)."""

    @abstractmethod
    def get(self, returnee_id: str, note_id: str) -> dict | None:
        """One stored note of the returnee, or None."""

    @abstractmethod
    def page(self, returnee_id: str, words: list[str], cursor: str | None, limit: int) -> dict:
        """`{items, next_cursor}` of the returnee's stored notes holding every one of `words`, newest first."""

    @abstractmethod
    def correct(self, note: dict, changes: dict, earlier: dict) -> dict | None:
        """Store `changes` and append `earlier` to the versions, if the note is still at its version."""

    @abstractmethod
    def all_of(self, returnee_id: str) -> list[dict]:
        """Every stored note of the returnee, oldest first (the subject access export)."""

    @abstractmethod
    def delete_all_of(self, returnee_id: str) -> int:
        """Erasure: delete every note of the returnee; returns how many."""


def blind_words(key: str, text: str) -> list[str]:
    """The keyed hashes of the folded words of `text`, sorted, each once."""
    secret = key.encode()
    return sorted({hmac.new(secret, word.encode(), hashlib.sha256).hexdigest()[:32]
                   for word in _WORD.findall(fold(text))})


def _key(deps: Deps, returnee_id: str) -> str:
    return deps.repo.personal_key(returnee_id, sealing.new_key)


def _check_day(returnee: dict, day, today) -> None:
    if day > today:
        raise Invalid("Implausible contact date.", errors={"contact_on": Text("Must not be in the future.")})
    if day < returnee["registered_on"]:
        raise Invalid("Implausible contact date.", errors={"contact_on": Text(
            "Must not be before the registration ({registered_on}).",
            registered_on=returnee["registered_on"].isoformat())})


def add_note(deps: Deps, returnee_id: str, data: dict, author: str) -> dict:
    returnee = get_returnee(deps, returnee_id)
    _check_day(returnee, data["contact_on"], deps.clock.today())
    key = _key(deps, returnee_id)
    note_id = NOTE + str(ULID())
    stored = {"id": note_id, "returnee_id": returnee_id, "kind": data["kind"], "with": data.get("with", []),
              "mode": data["mode"], "interpreter": data.get("interpreter", False), "contact_on": data["contact_on"],
              "written_by": author, "written_at": deps.clock.now(), "version": 1,
              "text": sealing.seal(key, returnee_id, {"text": data["text"]}), "versions": [],
              "words": blind_words(key, data["text"])}
    deps.notes.add(stored)
    return shown(stored, key)


def list_notes(deps: Deps, returnee_id: str, q: str | None, cursor: str | None, limit: int) -> dict:
    shares = get_returnee(deps, returnee_id).get("shared") or {}  # item id -> with whom, since when (sharing.py)
    key = _key(deps, returnee_id)
    words = blind_words(key, q or "")
    page = deps.notes.page(returnee_id, words, cursor, limit)
    return {"items": [{**shown(note, key), "shared": shares.get(note["id"])} for note in page["items"]],
            "next_cursor": page["next_cursor"]}


def get_note(deps: Deps, returnee_id: str, note_id: str, who) -> dict:
    get_returnee(deps, returnee_id)
    note = deps.notes.get(returnee_id, note_id)
    if note is None:
        raise NotFound("No such note.")
    return shown(note, _key(deps, returnee_id), with_versions=may_see_versions(note, who))


def correct_note(deps: Deps, returnee_id: str, note_id: str, changes: dict, who) -> dict:
    """A correction by the author or an administrator: a new version, the earlier text kept sealed."""
    returnee = get_returnee(deps, returnee_id)
    note = deps.notes.get(returnee_id, note_id)
    if note is None:
        raise NotFound("No such note.")
    if not may_see_versions(note, who):
        raise Forbidden("Only the note's author or an administrator may correct it.")
    if "contact_on" in changes:
        _check_day(returnee, changes["contact_on"], deps.clock.today())
    key = _key(deps, returnee_id)
    earlier = {"version": note["version"], "text": note["text"], "written_by": note.get("corrected_by")
               or note["written_by"], "written_at": note.get("corrected_at") or note["written_at"]}
    stored = {name: value for name, value in changes.items() if name != "text"}
    if "text" in changes:
        stored.update(text=sealing.seal(key, returnee_id, {"text": changes["text"]}),
                      words=blind_words(key, changes["text"]))
    stored.update(version=note["version"] + 1, corrected_by=who.sub, corrected_at=deps.clock.now())
    corrected = deps.notes.correct(note, stored, earlier)
    if corrected is None:
        raise Conflict("The note changed meanwhile; read it again and retry.")
    return shown(corrected, key, with_versions=True)


def may_see_versions(note: dict, who) -> bool:
    return who.role == "admin" or who.sub == note["written_by"]


def _open(key: str, sealed: dict) -> str:
    return sealing.unseal(key, sealed)["text"]


def shown(note: dict, key: str, with_versions: bool = False) -> dict:
    """A stored note as the API answers it: the text opened; `versions` (earlier ones, oldest first) on request."""
    out = {name: note.get(name) for name in ("id", "returnee_id", "kind", "with", "mode", "interpreter",
                                             "contact_on", "written_by", "written_at", "version", "corrected_by",
                                             "corrected_at")}
    out["text"] = _open(key, note["text"])
    if with_versions:
        out["versions"] = [{**earlier, "text": _open(key, earlier["text"])} for earlier in note.get("versions", [])]
    return out


def export_notes(deps: Deps, returnee_id: str) -> list[dict]:
    """Every note of the returnee with every version, for the subject access export."""
    key = deps.repo.existing_personal_key(returnee_id)
    if key is None:
        return []
    return [shown(note, key, with_versions=True) for note in deps.notes.all_of(returnee_id)]
