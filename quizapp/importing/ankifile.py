"""Reading ``.apkg`` and ``.colpkg`` files with Anki's own library (the ``anki`` extra).

The package is opened the way Anki opens it — an ``.apkg`` imported into a new, empty
collection with its scheduling, a ``.colpkg`` restored as a whole collection — in a
temporary folder, so every collection version Anki reads (the zstd-compressed
``collection.anki21b`` included) is read here too, and the user's file is never
written. Notes, cards, decks and note types come through the library's objects; the
review log, a hundred thousand rows in one query, through its database handle.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from quizapp.importing.model import (
    AnkiCard,
    AnkiCollection,
    AnkiNote,
    AnkiReview,
    AnkiSchedule,
    Hold,
    NoteKind,
)

#: what to install when the extra is missing
EXTRA = "anki"
PACKAGES = (".apkg", ".colpkg")
#: Anki's stock note types (``originalStockKind``)
_BASIC, _REVERSED, _OPTIONAL_REVERSED, _TYPING, _CLOZE, _OCCLUSION = 1, 2, 3, 4, 5, 6
#: the field of "Basic (optional reversed card)" that asks for the second card
_ADD_REVERSE = 2
#: card queues that keep a card out of study: suspended; buried by the scheduler (a
#: sibling) or by the user, both until the collection's next day
_SUSPENDED, _BURIED = -1, (-2, -3)
_DAY = 86_400
#: a due value above this is a time in seconds, below it a day number (Anki's own rule)
_SECONDS = 1_000_000_000
#: answers that count for scheduling: learning, review, relearning, filtered (rated 1-4);
#: a filtered-deck answer with no ease factor did not reschedule the card
_REVIEWS = (
    "SELECT id, cid, ease, time FROM revlog "
    "WHERE ease BETWEEN 1 AND 4 AND (type IN (0, 1, 2) OR (type = 3 AND factor > 0)) "
    "ORDER BY id"
)
_ALL_ENTRIES = "SELECT count() FROM revlog"

Progress = Callable[[str, int, int], None]


class AnkiFileError(Exception):
    """The file is not an Anki package that can be read; the message says why."""


class MissingExtra(AnkiFileError):
    """The optional ``anki`` extra is not installed."""


def require_extra() -> None:
    """Raise :class:`MissingExtra` naming the extra when its packages are missing."""
    missing = []
    for name in ("anki.collection", "markdownify"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name.split(".")[0])
    if missing:
        raise MissingExtra(
            f"importing from Anki needs the {EXTRA!r} extra ({', '.join(missing)} "
            f"missing): pip install -c constraints.txt 'quizapp[{EXTRA}]'"
        )


def _open(path: Path, folder: Path) -> Any:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    target = folder / "collection.anki2"
    if path.suffix.lower() == ".colpkg":
        from anki._backend import RustBackend

        backend = RustBackend()
        backend.import_collection_package(
            col_path=str(target),
            backup_path=str(path),
            media_folder=str(folder / "collection.media"),
            media_db=str(folder / "collection.media.db2"),
        )
        return Collection(str(target), backend=backend)
    col = Collection(str(target))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path),
                options=ImportAnkiPackageOptions(
                    with_scheduling=True, with_deck_configs=True, merge_notetypes=True
                ),
            )
        )
    except BaseException:
        col.close()
        raise
    return col


def open_package(path: Path, folder: Path) -> Any:
    """The collection of the package at ``path``, opened in the empty ``folder``.

    Raises :class:`AnkiFileError` for a missing file, another kind of file, or a
    package Anki itself cannot read.
    """
    require_extra()
    if path.suffix.lower() not in PACKAGES:
        raise AnkiFileError(f"{path}: not an Anki package (expected a .apkg or .colpkg file)")
    if not path.is_file():
        raise AnkiFileError(f"{path}: no such file")
    from anki.errors import AnkiException

    try:
        return _open(path.resolve(), folder)
    except AnkiException as exc:
        raise AnkiFileError(f"{path}: Anki cannot read this package ({exc})") from exc


def _kind(notetype: dict[str, Any], has_reverse: bool) -> NoteKind:
    stock = notetype.get("originalStockKind") or 0
    fields, templates = len(notetype["flds"]), len(notetype["tmpls"])
    if notetype.get("type") == 1:
        return "occlusion" if stock == _OCCLUSION else "cloze"
    if stock == _REVERSED or (stock == _OPTIONAL_REVERSED and has_reverse):
        return "two-way"
    if stock == _OPTIONAL_REVERSED:
        return "basic"
    # a note type of the user's own, or a stock one with fields added: labelled fields
    if stock in (_BASIC, _TYPING, 0) and fields == 2 and templates == 1:
        return "basic"
    return "other"


class _Reader:
    def __init__(self, col: Any, progress: Progress) -> None:
        self.col = col
        self.progress = progress
        self.deck_names: dict[int, str] = {}
        self.notetypes: dict[int, dict[str, Any]] = {}
        sched = col.sched
        self.today = int(sched.today)
        self.cutoff = int(sched.day_cutoff)

    def deck(self, did: int) -> str:
        name = self.deck_names.get(did)
        if name is None:
            name = self.deck_names[did] = str(self.col.decks.name(did))
        return name

    def due(self, value: int) -> datetime:
        if value > _SECONDS:
            return datetime.fromtimestamp(value, UTC)
        # a day number: the day starts at the collection's rollover hour
        start = self.cutoff + (value - self.today - 1) * _DAY
        return datetime.fromtimestamp(start, UTC)

    def card(self, card: Any) -> AnkiCard:
        home = card.odid or card.did
        schedule = None
        memory = card.memory_state
        if memory is not None and int(card.type) in (1, 2, 3):
            due = card.odue if card.odid else card.due
            schedule = AnkiSchedule(
                state=int(card.type),
                stability=float(memory.stability),
                difficulty=float(memory.difficulty),
                due=self.due(int(due)),
                remaining_steps=int(card.left) % 1000,
                lapses=int(card.lapses),
            )
        return AnkiCard(
            id=int(card.id),
            ord=int(card.ord),
            deck=self.deck(home),
            schedule=schedule,
            hold=self.hold(card),
        )

    def hold(self, card: Any) -> Hold | None:
        queue = int(card.queue)
        if queue == _SUSPENDED:
            return "suspended"
        # Anki unburies at its next day; a card last changed before today's start was
        # buried on an earlier day and is studied again in Anki too
        if queue in _BURIED and int(card.mod) >= self.cutoff - _DAY:
            return "buried"
        return None

    def notes(self) -> list[AnkiNote]:
        col = self.col
        cards: dict[int, list[AnkiCard]] = {}
        card_ids = col.find_cards("")
        for done, cid in enumerate(card_ids, 1):
            card = col.get_card(cid)
            cards.setdefault(int(card.nid), []).append(self.card(card))
            if done % 500 == 0 or done == len(card_ids):
                self.progress("reading cards", done, len(card_ids))
        notes: list[AnkiNote] = []
        note_ids = sorted(col.find_notes(""))
        for done, nid in enumerate(note_ids, 1):
            note = col.get_note(nid)
            notetype = self.notetypes.get(note.mid)
            if notetype is None:
                notetype = self.notetypes[note.mid] = col.models.get(note.mid)
            own = tuple(sorted(cards.get(int(nid), ()), key=lambda c: c.ord))
            names = [f["name"] for f in notetype["flds"]]
            hidden: frozenset[str] = frozenset()
            if (notetype.get("originalStockKind") or 0) == _OPTIONAL_REVERSED and len(names) > 2:
                hidden = frozenset({names[_ADD_REVERSE]})
            notes.append(
                AnkiNote(
                    id=int(nid),
                    guid=str(note.guid),
                    kind=_kind(notetype, any(c.ord == 1 for c in own)),
                    notetype=str(notetype["name"]),
                    fields=tuple(zip(names, (str(v) for v in note.fields), strict=False)),
                    tags=tuple(str(t) for t in note.tags),
                    cards=own,
                    hidden=hidden,
                )
            )
            if done % 500 == 0 or done == len(note_ids):
                self.progress("reading notes", done, len(note_ids))
        return notes

    def reviews(self) -> tuple[list[AnkiReview], int]:
        rows = self.col.db.all(_REVIEWS)
        total = int(self.col.db.scalar(_ALL_ENTRIES) or 0)
        reviews = [
            AnkiReview(int(cid), int(rid), int(ease), max(0, int(ms)))
            for rid, cid, ease, ms in rows
        ]
        return reviews, total - len(reviews)


def read_package(path: Path, folder: Path, progress: Progress) -> AnkiCollection:
    """Everything quizapp takes from the package at ``path`` (see the module doc);
    ``folder`` is an empty temporary folder that keeps the media until the caller
    removes it."""
    progress("opening the package", 0, 1)
    col = open_package(path, folder)
    progress("opening the package", 1, 1)
    try:
        reader = _Reader(col, progress)
        notes = reader.notes()
        reviews, skipped = reader.reviews()
        media_dir = Path(col.media.dir())
    finally:
        col.close()
    names = (
        frozenset(p.name for p in media_dir.iterdir() if p.is_file())
        if media_dir.is_dir()
        else frozenset()
    )
    return AnkiCollection(
        notes=notes,
        reviews=reviews,
        media_dir=media_dir,
        media=names,
        skipped_entries=skipped,
    )
