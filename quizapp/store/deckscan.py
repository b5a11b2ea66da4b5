"""Which deck files changed since the last sync: the scan every sync starts with.

It reads each deck file and compares its hash with the one recorded at the last sync
(``deck_files``); only a changed file is parsed again, and a file that vanished from
a synced folder retires its cards. Standard library and the deck sources only, so the
quick read (:mod:`quizapp.study.quick`) can tell, before SQLAlchemy or the parser is
loaded, that a sync would have nothing to do.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.deckfile.ids import file_digest
from quizapp.deckfile.sources import deck_sources, read_deck_file
from quizapp.deckfile.types import Diagnostic

#: how recorded files are read: ``SELECT path, content_hash FROM deck_files``
KNOWN_FILES = "SELECT path, content_hash FROM deck_files"


@dataclass
class DeckScan:
    """What a sync of some deck paths has to do."""

    #: changed or new files: (path, bytes, deck prefix, hash)
    changed: list[tuple[str, bytes, tuple[str, ...], str]] = field(default_factory=list)
    #: files synced before, under the paths, that are gone
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        """Whether every file is as the last sync left it."""
        return not self.changed and not self.deleted


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def scan_decks(paths: Sequence[Path], known: Mapping[str, str], *, force: bool = False) -> DeckScan:
    """Compare the deck files under ``paths`` with ``known`` (path → hash at the last
    sync); with ``force`` every file counts as changed."""
    scan = DeckScan()
    sources = deck_sources(paths, scan.diagnostics)
    scope = [p.expanduser().resolve() for p in paths]
    present: set[str] = set()
    for path, prefix in sources:
        key = str(path)
        present.add(key)
        data = read_deck_file(path)
        if isinstance(data, Diagnostic):
            scan.diagnostics.append(data)  # its cards stay as they are
            continue
        digest = file_digest(data)
        if known.get(key) == digest and not force:
            scan.unchanged += 1
            continue
        scan.changed.append((key, data, prefix, digest))
    scan.deleted = [
        k for k in known if k not in present and any(_within(Path(k), r) for r in scope)
    ]
    return scan
