"""Which file a card id belongs to, and when another file may take it.

A card id belongs to the file that defined it (``cards.source``). Another file that
defines the same id gets ``FILE:LINE: error: id … already belongs to OWNER:LINE`` and
that card is not loaded, while the owner still defines it or was not read in the sync.
Only a card that left its file and appears in another file of the same deck root in
one sync moves there, with its history; a retired card may come back in another file
of the same root. A file from another root (a stranger's notes synced next to yours)
never takes over a card, whatever id or question it writes -- unless the owner file no
longer exists anywhere (a renamed folder, the bundled deck of an upgraded install):
then the first file that defines the id takes the card and its history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.types import CardSpec, Diagnostic


@dataclass(frozen=True)
class Existing:
    """What the database holds for an id a sync reads."""

    source: str
    line: int
    retired: bool
    content_hash: str


class DeckRoots:
    """The deck roots of one sync: each folder given, or a given file's folder."""

    def __init__(self, paths: Sequence[Path]) -> None:
        roots = []
        for given in paths:
            path = given.expanduser().resolve()
            roots.append(path if path.is_dir() else path.parent)
        # Outermost first: files under nested roots share the outer one.
        self.roots = sorted(set(roots), key=lambda p: len(p.parts))

    def root_of(self, source: str) -> Path | None:
        """The outermost root holding the file ``source``; None when none does."""
        path = Path(source)
        return next((root for root in self.roots if path.is_relative_to(root)), None)

    def same_root(self, first: str, second: str) -> bool:
        """Whether two deck files lie in one deck root of this sync."""
        root = self.root_of(first)
        return root is not None and root == self.root_of(second)


@dataclass
class Claims:
    """The outcome of checking every id a sync's files define."""

    accepted: list[tuple[CardSpec, int]]
    diagnostics: list[Diagnostic]
    #: files that define an id another file owns: read again at the next sync
    refused_files: set[str]


def settle_claims(
    files: Sequence[tuple[str, Sequence[CardSpec]]],
    existing: dict[str, Existing],
    read: set[str],
    roots: DeckRoots,
) -> Claims:
    """Decide, for every id the re-read ``files`` define, which file's card is loaded.

    ``files`` are ``(path, cards)`` in sync order; ``existing`` the database's rows for
    those ids; ``read`` every file read (or found deleted) in this sync.
    """
    definers: dict[str, list[tuple[str, CardSpec, int]]] = {}
    for key, cards in files:
        for ordinal, spec in enumerate(cards):
            definers.setdefault(spec.id, []).append((key, spec, ordinal))
    defined_by: dict[str, set[str]] = {}
    for cid, found in definers.items():
        for key, _, _ in found:
            defined_by.setdefault(key, set()).add(cid)
    accepted: dict[str, tuple[CardSpec, int]] = {}
    diagnostics: list[Diagnostic] = []
    refused: set[str] = set()
    for cid, found in definers.items():
        winner, owner = _winner(cid, found, existing.get(cid), read, defined_by, roots)
        for key, spec, ordinal in found:
            if (key, spec) == winner:
                accepted[cid] = (spec, ordinal)
                continue
            refused.add(key)
            diagnostics.append(
                Diagnostic(
                    key,
                    spec.line,
                    "error",
                    f"id {quoted(cid)} already belongs to {owner}; this card is not loaded",
                )
            )
    ordered = sorted(accepted.values(), key=lambda so: (so[0].source, so[1]))
    return Claims(ordered, _unique(diagnostics), refused)


def _winner(
    cid: str,
    found: list[tuple[str, CardSpec, int]],
    row: Existing | None,
    read: set[str],
    defined_by: dict[str, set[str]],
    roots: DeckRoots,
) -> tuple[tuple[str, CardSpec] | None, str]:
    """Which ``(file, card)`` defining ``cid`` is loaded (None: none), and the
    ``FILE:LINE`` of its owner for the others' messages."""
    if row is not None:
        owner = f"{row.source}:{row.line}"
        for key, spec, _ in found:
            if key == row.source:
                return (key, spec), f"{key}:{spec.line}"
        gone = not Path(row.source).exists()
        released = (
            gone
            or row.retired
            or (row.source in read and cid not in defined_by.get(row.source, set()))
        )
        if not released:
            return None, owner
        for key, spec, _ in found:
            if gone or roots.same_root(row.source, key):
                return (key, spec), f"{key}:{spec.line}"
        return None, owner
    key, spec, _ = found[0]
    return (key, spec), f"{key}:{spec.line}"


def _unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """One message per file, line and text (the cloze cards of one card share both)."""
    seen: set[tuple[str, int, str]] = set()
    out: list[Diagnostic] = []
    for d in diagnostics:
        key = (d.source, d.line, d.message.split(" already ")[1])
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out
