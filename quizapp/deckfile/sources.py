"""Which files make up a deck collection, and the sub-deck each belongs to."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from quizapp.deckfile.types import Diagnostic

#: files in a deck folder that document the folder rather than hold cards
NOT_DECKS = frozenset({"readme.md", "license.md", "changelog.md"})


def deck_sources(
    paths: Sequence[Path], diagnostics: list[Diagnostic] | None = None
) -> list[tuple[Path, tuple[str, ...]]]:
    """Deck files under ``paths`` with their sub-deck prefix, as absolute paths.

    A file is one deck (whatever its name). A folder is a collection: every ``*.md``
    below it, sorted, except README/LICENSE/CHANGELOG; sub-folders become sub-decks,
    so ``nlp/bert.md`` gets the prefix ``("nlp",)``. Hidden files and folders are skipped.
    A path that does not exist is reported in ``diagnostics``, and so is a file of a
    folder that is a symlink leading out of it: it is not read (a deck someone else
    wrote must not make quizapp read the user's other files).
    """
    out: list[tuple[Path, tuple[str, ...]]] = []
    seen: set[Path] = set()
    for given in paths:
        root = given.expanduser().resolve()
        if root.is_file():
            if root not in seen:
                seen.add(root)
                out.append((root, ()))
            continue
        if not root.is_dir():
            if diagnostics is not None:
                diagnostics.append(
                    Diagnostic(str(given), 1, "error", "no such deck file or folder")
                )
            continue
        for file in sorted(root.rglob("*.md")):
            rel = file.relative_to(root)
            if any(part.startswith(".") for part in rel.parts):
                continue
            if file.name.lower() in NOT_DECKS or not file.is_file() or file in seen:
                continue
            if not file.resolve().is_relative_to(root):
                if diagnostics is not None:
                    diagnostics.append(
                        Diagnostic(
                            str(file),
                            1,
                            "warning",
                            "symlink to a file outside the deck folder, not read",
                        )
                    )
                continue
            seen.add(file)
            out.append((file, rel.parts[:-1]))
    return out
