"""Deck files → one ``.apkg`` that Anki imports, and re-imports as updates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from quizapp.deckfile.types import Diagnostic, ParsedDeck
from quizapp.export.build import ExportOptions, build_package
from quizapp.export.writer import ExportError, fresh_stamp, write_apkg


@dataclass(frozen=True)
class ExportReport:
    """What an export wrote."""

    path: Path
    #: deck files exported (each is one top-level Anki deck)
    decks: int
    notes: int
    cards: int
    media: int
    diagnostics: tuple[Diagnostic, ...]
    #: computational cards exported, and the fixed instances drawn from them
    quiz_cards: int = 0
    quiz_notes: int = 0


def export_parsed(
    decks: Sequence[ParsedDeck],
    target: Path,
    options: ExportOptions | None = None,
    roots: Sequence[Path] = (),
) -> ExportReport:
    """Write the cards of already-parsed ``decks`` to the ``.apkg`` file ``target``.

    ``roots`` are the deck files and folders the decks were read from: images are
    bundled only from inside them (see :func:`deck_folders`). Raises ``ExportError``
    when there is nothing to export or the file can't be written; the target is then
    left as it was.
    """
    built = build_package(decks, options or ExportOptions(), deck_folders(roots))
    if built.notes == 0:
        raise ExportError(
            f"nothing to export to {target}: the decks hold no cards", built.diagnostics
        )
    write_apkg(built.package, built.media, target, fresh_stamp(target))
    return ExportReport(
        path=target,
        decks=built.decks,
        notes=built.notes,
        cards=built.cards,
        media=len(built.media),
        diagnostics=tuple(built.diagnostics),
        quiz_cards=built.quiz_cards,
        quiz_notes=built.quiz_notes,
    )


def deck_folders(paths: Sequence[Path]) -> list[Path]:
    """The folders images may come from, for the deck files and folders ``paths`` the
    user named: a folder itself, the folder a single deck file is in (resolved)."""
    folders: list[Path] = []
    for given in paths:
        path = given.expanduser().resolve()
        folders.append(path if path.is_dir() else path.parent)
    return folders


def export_anki(
    paths: Sequence[Path], target: Path, options: ExportOptions | None = None
) -> ExportReport:
    """Read the deck files and folders ``paths`` and export them to ``target``."""
    from quizapp.deckfile.collection import load_decks

    return export_parsed(load_decks(paths), target, options, paths)
