"""``quizapp import anki``: a package in, deck files and history out.

1. The package is read with Anki's library (:mod:`quizapp.importing.ankifile`).
2. Notes whose GUID ``export anki`` gave one of the database's cards come home: their
   reviews go to those cards, and no file is written for them (the round trip).
3. The other notes become deck files under the target folder
   (:mod:`quizapp.importing.deckfiles`), with their media beside them. A file that
   exists with other content is replaced only with ``update``; nothing at all is
   written otherwise (:class:`ImportRefused`).
4. The target folder is synced, so its cards are in the database, defined by their files.
5. The review logs of both kinds of notes are imported (:mod:`quizapp.importing.history`).
6. Cards Anki keeps out of study are suspended or buried (:mod:`quizapp.importing.holds`).

A dry run does steps 1–3 without writing anything and says what would happen.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from quizapp.importing.ankifile import read_package
from quizapp.importing.deckfiles import DeckPlan, plan_deck_files
from quizapp.importing.history import answers, import_answers
from quizapp.importing.holds import apply_holds, collect_holds
from quizapp.importing.identity import ExportedGuids, KnownCard, note_base_id
from quizapp.importing.media import MediaPlan
from quizapp.importing.model import AnkiCollection, AnkiNote, AnkiSchedule
from quizapp.store.db import Database
from quizapp.store.identities import CardIdentity, card_identities, review_times
from quizapp.store.sync import SyncReport, sync_decks
from quizapp.study.service import StudyService
from quizapp.words import plural

Progress = Callable[[str, int, int], None]

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


class ImportRefused(Exception):
    """The import would overwrite or duplicate something; nothing was written."""


class TargetMissing(Exception):
    """Notes need deck files, and no target folder was given."""


@dataclass(frozen=True)
class FileOutcome:
    """A deck file of the import and what happens to it."""

    path: Path
    deck: str
    notes: int
    status: str


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    notes: int
    #: notes recognised as cards quizapp exported
    returning_notes: int
    files: list[FileOutcome] = field(default_factory=list)
    skipped_notes: list[tuple[int, str]] = field(default_factory=list)
    media: int = 0
    missing_media: list[str] = field(default_factory=list)
    sync: SyncReport | None = None
    #: answers in the package that belong to quizapp cards
    reviews: int = 0
    #: of those, the ones not in the database yet (imported, or to import)
    new_reviews: int = 0
    #: cards rescheduled from the new answers
    cards: int = 0
    #: answers of Anki cards that have no quizapp card (a third template, a skipped note)
    unmatched_reviews: int = 0
    #: review-log entries that are not answers (rescheduling, resets)
    skipped_entries: int = 0
    #: cards suspended as in Anki, and cards buried until the next day starts
    suspended: int = 0
    buried: int = 0


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _already_elsewhere(
    notes: Iterable[AnkiNote], known: Iterable[CardIdentity], target: Path
) -> dict[str, int]:
    """Files outside ``target`` that define cards of ``notes`` (imported there before):
    file → number of cards."""
    bases = {note_base_id(n.guid) for n in notes}
    found: dict[str, int] = {}
    for card in known:
        if card.retired or card.id.split("/", 1)[0] not in bases:
            continue
        source = Path(card.source)
        if not _within(source, target) and source.is_file():
            found[card.source] = found.get(card.source, 0) + 1
    return found


def _status(path: Path, text: str) -> str:
    if path.is_symlink() or (path.exists() and not path.is_file()):
        return CHANGED  # replaced by a file of its own, never read or written through
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        return NEW
    return UNCHANGED if old == text.encode("utf-8") else CHANGED


def _check_inside(path: Path, root: Path) -> None:
    """Refuse ``path`` when its folder leads outside ``root`` (a symlinked sub-folder):
    nothing is ever written through it."""
    if not _within(path.parent.resolve(), root):
        raise ImportRefused(f"{path.parent} leads outside {root}; nothing is written there")


def _inside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _write_atomic(path: Path, source: Path | bytes) -> None:
    """Write ``path`` through a temporary file renamed over it: an existing file (or a
    symlink) is replaced, never written through, and never left half-written."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(source, bytes):
                fh.write(source)
            else:
                with source.open("rb") as src:
                    shutil.copyfileobj(src, fh)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: Path, b: Path) -> bool:
    if not (b.is_file() and not b.is_symlink()) or a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


def _copy_media(media: MediaPlan, source: Path, target: Path) -> int:
    copied = 0
    for (_folder, name), relative in sorted(media.copies.items()):
        src, dst = source / name, target / relative
        if _same_file(src, dst):
            continue
        _write_atomic(_inside(dst), src)
        copied += 1
    return copied


def _schedules(notes: Iterable[AnkiNote], cards: dict[int, str]) -> dict[str, AnkiSchedule]:
    out: dict[str, AnkiSchedule] = {}
    for note in notes:
        for card in note.cards:
            cid = cards.get(card.id)
            if cid is not None and card.schedule is not None:
                out[cid] = card.schedule
    return out


class _Import:
    def __init__(
        self,
        db: Database | None,
        package: Path,
        target: Path | None,
        *,
        update: bool,
        dry_run: bool,
        progress: Progress,
        now: datetime,
    ) -> None:
        self.db = db
        self.package = package
        self.target = target.expanduser().resolve() if target is not None else None
        self.update = update
        self.dry_run = dry_run
        self.progress = progress
        self.now = now

    def run(self, folder: Path) -> ImportReport:
        data = read_package(self.package, folder, self.progress)
        known = card_identities(self.db) if self.db is not None else []
        exported = ExportedGuids(KnownCard(c.id, c.kind, c.cloze) for c in known)
        returning = [n for n in data.notes if n.guid in exported]
        foreign = [n for n in data.notes if n.guid not in exported]
        report = ImportReport(
            dry_run=self.dry_run,
            notes=len(data.notes),
            returning_notes=len(returning),
            skipped_entries=data.skipped_entries,
        )
        cards: dict[int, str] = {}
        for note in returning:
            for card in note.cards:
                cid = exported.card(note.guid, card.ord)
                if cid is not None:
                    cards[card.id] = cid
        plan = None
        if foreign:
            plan = self.plan_files(foreign, data, known, report)
            cards.update(plan.cards)
        if self.dry_run or self.db is None:
            present = {c.id for c in known}
        else:
            if plan is not None:
                self.write_files(self.db, plan, data, report)
            present = {c.id for c in card_identities(self.db)}
        planned = set(plan.cards.values()) if (plan is not None and self.dry_run) else set()
        usable = {aid: cid for aid, cid in cards.items() if cid in present or cid in planned}
        report.unmatched_reviews = sum(1 for r in data.reviews if r.card not in usable)
        report.reviews = len(data.reviews) - report.unmatched_reviews
        holds = collect_holds(data.notes, usable)
        report.suspended, report.buried = len(holds.suspended), len(holds.buried)
        if self.dry_run or self.db is None:
            report.new_reviews = self.count_new(data, usable)
            return report
        self.progress("importing reviews", 0, 1)
        service = StudyService(self.db, now=lambda: self.now)
        counts = import_answers(
            self.db,
            answers(data.reviews, usable),
            schedules=_schedules(foreign, usable),
            settings=service.settings,
            source=str(self.package),
            now=self.now,
        )
        self.progress("importing reviews", 1, 1)
        report.new_reviews, report.cards = counts.imported, counts.cards
        apply_holds(service, holds)
        return report

    def plan_files(
        self,
        foreign: list[AnkiNote],
        data: AnkiCollection,
        known: list[CardIdentity],
        report: ImportReport,
    ) -> DeckPlan:
        target = self.target
        if target is None:
            raise TargetMissing(
                f"{plural(len(foreign), 'note')} of {self.package.name} "
                f"{'is' if len(foreign) == 1 else 'are'} not from cards quizapp exported; "
                "give --to DIR, the folder to write their deck files into"
            )
        elsewhere = _already_elsewhere(foreign, known, target)
        if elsewhere:
            where = ", ".join(sorted(elsewhere)[:3]) + (" …" if len(elsewhere) > 3 else "")
            count = sum(elsewhere.values())
            raise ImportRefused(
                f"{plural(count, 'card')} of this collection {'was' if count == 1 else 'were'} "
                f"imported before into {where}, outside {target}; import into that folder "
                "again (--to) to update them"
            )
        plan = plan_deck_files(foreign, MediaPlan(data.media), self.progress, total=len(foreign))
        report.skipped_notes = plan.skipped
        report.missing_media = sorted(plan.media.missing)
        report.media = len(plan.media.copies)
        for relative in plan.media.copies.values():
            _check_inside(target / relative, target)
        for deck_file in plan.files:
            path = target / deck_file.path
            _check_inside(path, target)
            report.files.append(
                FileOutcome(path, deck_file.deck, deck_file.count, _status(path, deck_file.text))
            )
        changed = [f for f in report.files if f.status == CHANGED]
        if changed and not self.update:
            names = ", ".join(str(f.path) for f in changed[:3])
            more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
            raise ImportRefused(
                f"{plural(len(changed), 'deck file')} already "
                f"{'exists' if len(changed) == 1 else 'exist'} with other content ({names}{more}); "
                "--update replaces them with the collection's notes"
            )
        return plan

    def write_files(
        self, db: Database, plan: DeckPlan, data: AnkiCollection, report: ImportReport
    ) -> None:
        target = self.target
        assert target is not None
        self.progress("writing deck files", 0, len(plan.files))
        report.media = _copy_media(plan.media, data.media_dir, target)
        for done, (deck_file, outcome) in enumerate(zip(plan.files, report.files, strict=True)):
            if outcome.status != UNCHANGED:
                _write_atomic(_inside(outcome.path), deck_file.text.encode("utf-8"))
            self.progress("writing deck files", done + 1, len(plan.files))
        self.progress("syncing the deck files", 0, 1)
        report.sync = sync_decks(db, [target], now=self.now)
        self.progress("syncing the deck files", 1, 1)

    def count_new(self, data: AnkiCollection, usable: dict[int, str]) -> int:
        if self.db is None:
            return sum(1 for _ in answers(data.reviews, usable))
        have = review_times(self.db, set(usable.values()))
        return sum(
            1 for row in answers(data.reviews, usable) if (row.card_id, row.reviewed_at) not in have
        )


def import_anki(
    db: Database | None,
    package: Path,
    target: Path | None,
    *,
    update: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
    now: datetime | None = None,
) -> ImportReport:
    """Import the ``.apkg``/``.colpkg`` file ``package`` (see the module doc).

    ``db`` may be None for a dry run on a database that does not exist yet (it knows no
    cards and no reviews).

    Raises :class:`~quizapp.importing.ankifile.AnkiFileError` (unreadable package,
    missing extra), :class:`TargetMissing` and :class:`ImportRefused`; nothing is
    written then.
    """
    job = _Import(
        db,
        package,
        target,
        update=update,
        dry_run=dry_run,
        progress=progress or (lambda _label, _done, _total: None),
        now=now or datetime.now(UTC),
    )
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as folder:
        return job.run(Path(folder))
