"""Which files make up a deck collection, the sub-deck each belongs to, and reading
one within the limits every reader shares."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from quizapp.deckfile.storable import path_problem
from quizapp.deckfile.types import Diagnostic

#: files in a deck folder that document the folder rather than hold cards
NOT_DECKS = frozenset({"readme.md", "license.md", "changelog.md"})
#: the largest deck file read (bytes); a larger one is skipped with a warning, so that
#: parsing one file stays within seconds and a few hundred MB
MAX_DECK_BYTES = 2 * 1024 * 1024


def shown_path(path: Path | str) -> str:
    """``path`` as text that is valid UTF-8: bytes that are not are written ``\\xff``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _utf8_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_deck_file(path: Path) -> bytes | Diagnostic:
    """The bytes of the deck file ``path``, or the problem that kept it from being read:
    unreadable, or larger than :data:`MAX_DECK_BYTES` (checked before reading, and the
    read stops past the limit)."""
    key = str(path)
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            data = b"" if size > MAX_DECK_BYTES else fh.read(MAX_DECK_BYTES + 1)
    except OSError as exc:
        return Diagnostic(key, 1, "error", f"cannot read: {exc.strerror or exc}")
    size = max(size, len(data))
    if size > MAX_DECK_BYTES:
        return Diagnostic(
            key,
            1,
            "warning",
            f"file is {size / 1024 / 1024:.1f} MB, over the {MAX_DECK_BYTES // 1024 // 1024} MB "
            "a deck file may hold; not read (split it into several files)",
        )
    return data


def deck_sources(
    paths: Sequence[Path], diagnostics: list[Diagnostic] | None = None
) -> list[tuple[Path, tuple[str, ...]]]:
    """Deck files under ``paths`` with their sub-deck prefix, as absolute paths.

    A file is one deck (whatever its name). A folder is a collection: every ``*.md``
    below it, sorted, except README/LICENSE/CHANGELOG; sub-folders become sub-decks,
    so ``nlp/bert.md`` gets the prefix ``("nlp",)``. Hidden files and folders are skipped.
    A path that does not exist is reported in ``diagnostics``, and so is a file of a
    folder that is a symlink leading out of it: it is not read (a deck someone else
    wrote must not make quizapp read the user's other files). A file whose path is not
    valid UTF-8 (git stores such names) is skipped with a warning naming it with the
    bad bytes escaped: no database can store its name.
    """
    out: list[tuple[Path, tuple[str, ...]]] = []
    seen: set[Path] = set()
    for given in paths:
        root = given.expanduser().resolve()
        if root.is_file():
            if not _utf8_name(root):
                _not_utf8(root, diagnostics)
                continue
            if not _storable(root, diagnostics):
                continue
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
            if not _utf8_name(file):
                _not_utf8(file, diagnostics)
                continue
            if not _storable(file, diagnostics):
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


def _not_utf8(path: Path, diagnostics: list[Diagnostic] | None) -> None:
    if diagnostics is not None:
        diagnostics.append(
            Diagnostic(
                shown_path(path),
                1,
                "warning",
                "file name is not valid UTF-8; not read (rename the file)",
            )
        )


def _storable(path: Path, diagnostics: list[Diagnostic] | None) -> bool:
    problem = path_problem(str(path))
    if problem is not None and diagnostics is not None:
        diagnostics.append(Diagnostic(str(path), 1, "warning", problem))
    return problem is None
