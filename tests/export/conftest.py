"""Shared pieces of the export tests: a real Anki collection and package import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


class AnkiCollection:
    """A fresh Anki collection (the real ``anki`` package) that packages are imported into."""

    def __init__(self, folder: Path) -> None:
        from anki.collection import Collection

        self.col = Collection(str(folder / "collection.anki2"))

    def import_apkg(self, path: Path) -> Any:
        """Import ``path`` the way Anki's File → Import does (update notes if newer)."""
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        request = ImportAnkiPackageRequest(
            package_path=str(path),
            options=ImportAnkiPackageOptions(with_scheduling=False),
        )
        return self.col.import_anki_package(request).log

    def deck_names(self) -> set[str]:
        return {d.name for d in self.col.decks.all_names_and_ids()} - {"Default"}

    def notes(self, query: str = "") -> list[Any]:
        return [self.col.get_note(nid) for nid in self.col.find_notes(query)]

    def note_by_guid(self, guid: str) -> Any:
        matches = [n for n in self.notes() if n.guid == guid]
        assert len(matches) == 1, f"{len(matches)} notes with guid {guid}"
        return matches[0]

    def media_files(self) -> set[str]:
        return {p.name for p in Path(self.col.media.dir()).iterdir()}

    def close(self) -> None:
        self.col.close()


@pytest.fixture
def anki(tmp_path: Path) -> Iterator[AnkiCollection]:
    """An empty Anki collection in a temporary folder."""
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = AnkiCollection(folder)
    yield collection
    collection.close()
