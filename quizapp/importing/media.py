"""Media files of a package, copied beside the deck files that show them.

Each deck file links its images as ``media/NAME`` next to it, inside the deck folder,
so they pass the deck format's rule that a deck shows only files inside its folder (and
``export anki`` bundles them again). Names are kept when they are plain (letters,
digits, ``.``, ``-``, ``_``); any other name gets those characters only, plus a short
hash of the original so that two names never become one.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath
from urllib.parse import unquote

FOLDER = "media"
_UNSAFE = re.compile(r"[^\w.-]+")


def safe_name(name: str) -> str:
    """A file name for the media file Anki calls ``name``."""
    cleaned = _UNSAFE.sub("_", name).strip("._") or "file"
    if cleaned == name and not name.startswith("."):
        return name
    stem, dot, ext = cleaned.rpartition(".")
    if not dot or not stem:
        stem, ext = cleaned, ""
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass"), usedforsecurity=False)
    tag = digest.hexdigest()[:8]
    return f"{stem[:80]}-{tag}.{ext[:16]}" if ext else f"{stem[:80]}-{tag}"


class MediaPlan:
    """The media files the deck files link, by the folder (relative to the target)
    they are copied into."""

    def __init__(self, available: frozenset[str]) -> None:
        self.available = available
        #: (folder of the deck file, Anki's name) → target path relative to the target
        self.copies: dict[tuple[PurePosixPath, str], PurePosixPath] = {}
        #: names linked that the package does not hold
        self.missing: set[str] = set()

    def link(self, folder: PurePosixPath, name: str) -> str | None:
        """The link target for ``name`` from a deck file in ``folder``; None when the
        package does not hold it."""
        found = name if name in self.available else unquote(name)
        if found not in self.available:
            self.missing.add(name)
            return None
        target = PurePosixPath(FOLDER, safe_name(found))
        self.copies[(folder, found)] = folder / target
        return str(target)
