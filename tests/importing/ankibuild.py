"""Anki collections built with the real ``anki`` package, studied with Anki's own
scheduler, and exported as a user exports them (File → Export)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

#: Anki's answer buttons, as quizapp numbers them
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


class AnkiBuilder:
    """A real Anki collection in ``folder``."""

    def __init__(self, folder: Path, *, fsrs: bool = False) -> None:
        from anki.collection import Collection

        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.col = Collection(str(folder / "collection.anki2"))
        if fsrs:
            self.col.set_config("fsrs", True)
        #: answered_at of the last answer, so every answer gets its own millisecond
        self._last_ms = 0

    # -- notes ---------------------------------------------------------------------------

    def add(
        self,
        notetype: str,
        deck: str,
        fields: Mapping[str, str],
        tags: Iterable[str] = (),
    ) -> Any:
        """Add a note of the stock note type ``notetype`` to ``deck``; returns it."""
        model = self.col.models.by_name(notetype)
        assert model is not None, notetype
        note = self.col.new_note(model)
        for name, value in fields.items():
            note[name] = value
        note.tags = list(tags)
        self.col.add_note(note, self.col.decks.id(deck))
        return note

    def add_notetype(self, name: str, fields: list[str], templates: int = 1) -> None:
        """A note type of the user's own: ``fields``, ``templates`` card templates."""
        mm = self.col.models
        model = mm.new(name)
        for field in fields:
            mm.add_field(model, mm.new_field(field))
        for index in range(templates):
            template = mm.new_template(f"Card {index + 1}")
            template["qfmt"] = "{{" + fields[index % len(fields)] + "}}"
            template["afmt"] = "{{FrontSide}}<hr id=answer>" + "".join(
                "{{" + f + "}}" for f in fields
            )
            mm.add_template(model, template)
        mm.add(model)

    def add_media(self, name: str, data: bytes) -> str:
        """Put a file in the collection's media folder; returns the name Anki gave it."""
        path = self.folder / "upload" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(self.col.media.add_file(str(path)))

    def cards(self, note: Any) -> list[Any]:
        """The note's cards, by ordinal."""
        return sorted((self.col.get_card(cid) for cid in note.card_ids()), key=lambda c: c.ord)

    # -- studying ------------------------------------------------------------------------

    def answer(self, card_id: int, rating: int, *, taken_ms: int = 4000) -> None:
        """Answer a card with Anki's scheduler, as the review screen does."""
        from anki.scheduler_pb2 import CardAnswer

        sched = self.col.sched
        card = self.col.get_card(card_id)
        states = self.col._backend.get_scheduling_states(card.id)
        buttons = {AGAIN: "again", HARD: "hard", GOOD: "good", EASY: "easy"}
        now_ms = max(int(datetime.now(UTC).timestamp() * 1000), self._last_ms + 1)
        self._last_ms = now_ms
        answer = CardAnswer(
            card_id=card.id,
            current_state=states.current,
            new_state=getattr(states, buttons[rating]),
            rating=rating - 1,
            answered_at_millis=now_ms,
            milliseconds_taken=taken_ms,
        )
        sched.answer_card(answer)

    def revlog(self, card_id: int) -> list[tuple[int, int, int]]:
        """(time in ms, button, type) of a card's review log."""
        rows = self.col.db.all(
            "SELECT id, ease, type FROM revlog WHERE cid = ? ORDER BY id", card_id
        )
        return [(int(a), int(b), int(c)) for a, b, c in rows]

    def due_date(self, card_id: int) -> datetime:
        """When Anki will show the card next, as its card info says."""
        stats = self.col.card_stats_data(card_id)
        return datetime.fromtimestamp(stats.due_date, UTC)

    # -- packages ------------------------------------------------------------------------

    def export_apkg(self, path: Path, *, scheduling: bool = True) -> Path:
        """File → Export → Anki Deck Package, whole collection, media included."""
        from anki.collection import ExportAnkiPackageOptions

        self.col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=scheduling,
                with_deck_configs=scheduling,
                with_media=True,
                legacy=False,
            ),
            limit=None,  # the whole collection
        )
        return path

    def export_colpkg(self, path: Path) -> Path:
        """File → Export → Anki Collection Package (the collection is closed by it)."""
        self.col.export_collection_package(str(path), include_media=True, legacy=False)
        self.reopen()
        return path

    def import_apkg(self, path: Path, *, progress: bool = False) -> None:
        """File → Import of an ``.apkg`` (notes matched by GUID, updated if newer);
        ``progress`` ticks "Import any learning progress" (off by default, as in Anki)."""
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        self.col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(path),
                options=ImportAnkiPackageOptions(with_scheduling=progress),
            )
        )

    def suspended(self) -> set[tuple[str, int]]:
        """(first field, ordinal) of every suspended card."""
        rows = self.col.db.all(
            "SELECT n.flds, c.ord FROM cards c JOIN notes n ON n.id = c.nid WHERE c.queue = -1"
        )
        return {(str(flds).split("\x1f", 1)[0], int(ord_)) for flds, ord_ in rows}

    def reopen(self) -> None:
        from anki.collection import Collection

        self.col = Collection(str(self.folder / "collection.anki2"))

    def close(self) -> None:
        self.col.close()
