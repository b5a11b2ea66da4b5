"""Local images that travel inside the ``.apkg`` as Anki media files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

# Anki keeps media in one flat folder and refuses some characters in file names.
_UNSAFE = re.compile(r"[^\w.-]+")


@dataclass(frozen=True)
class MediaFile:
    """One file to bundle: its name inside Anki and where it is on disk."""

    name: str
    path: Path


class MediaBundle:
    """Collects the local files that exported notes refer to.

    Each file gets a name made of its stem and a hash of its content, so two decks with
    an ``img/diagram.png`` of their own do not overwrite each other in Anki's flat media
    folder, and re-exporting an unchanged file keeps its name.
    """

    def __init__(self) -> None:
        self._by_path: dict[Path, MediaFile] = {}
        self._names: dict[str, MediaFile] = {}

    def add(self, path: Path) -> str:
        """Bundle the file at ``path`` and return the name notes must use for it.

        Raises ``OSError`` when the file cannot be read.
        """
        key = path.resolve()
        known = self._by_path.get(key)
        if known is not None:
            return known.name
        digest = hashlib.sha1(key.read_bytes(), usedforsecurity=False).hexdigest()[:10]
        stem = _UNSAFE.sub("_", key.stem).strip("_") or "image"
        name = f"{stem}-{digest}{_UNSAFE.sub('', key.suffix.lower())}"
        entry = self._names.setdefault(name, MediaFile(name, key))
        self._by_path[key] = entry
        return entry.name

    @property
    def files(self) -> list[MediaFile]:
        """Every bundled file, in the order first referred to."""
        return list(self._names.values())

    def __len__(self) -> int:
        return len(self._names)
