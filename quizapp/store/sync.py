"""Sync deck files into the database: incremental, one short write, history kept.

- A file whose bytes hash like last time is not parsed again (unless the parser's rules
  changed since: :data:`~quizapp.deckfile.ids.PARSER_REVISION`).
- A card keeps its id (and so its history) while its question stays the same; answer
  edits only update its content. Which edits move history to another id, and which
  never do, is :mod:`quizapp.store.matching`; which file may define an id,
  :mod:`quizapp.store.ownership`.
- A card no longer in its file is *retired*, never deleted; when it comes back it is
  restored with its history.

Files are read, parsed and matched without holding any lock; the changes are then
written in one short exclusive transaction. If another sync wrote in between, the plan
is made again from the files already parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from quizapp.deckfile.ids import sibling_note
from quizapp.deckfile.types import CardSpec, Diagnostic, ParsedDeck
from quizapp.store.convert import quiz_to_json
from quizapp.store.db import Database
from quizapp.store.deckscan import scan_decks
from quizapp.store.matching import Rename, Vanished, detect_renames
from quizapp.store.ownership import DeckRoots, Existing, settle_claims
from quizapp.store.schema import Card, DeckFile
from quizapp.words import plural

__all__ = ["Rename", "SyncReport", "sync_decks"]

_CHUNK = 500
#: plans made without the lock before one is made while holding it
_ATTEMPTS = 3


@dataclass(frozen=True)
class SyncReport:
    """What a sync changed."""

    added: int = 0
    updated: int = 0
    renamed: int = 0
    retired: int = 0
    restored: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    renames: tuple[Rename, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())

    @property
    def changed(self) -> bool:
        """Whether anything in the database changed."""
        return bool(self.added or self.updated or self.renamed or self.retired or self.restored)

    def summary(self) -> str:
        """One line for the terminal."""
        parts = [
            f"{self.added} added",
            f"{self.updated} updated",
            f"{self.renamed} renamed",
            f"{self.retired} retired",
        ]
        if self.restored:
            parts.append(f"{self.restored} restored")
        files = f"{plural(self.files_parsed, 'file')} read"
        if self.files_unchanged:
            files += f", {self.files_unchanged} unchanged"
        return ", ".join(parts) + f" ({files})"


def _row(spec: CardSpec, ordinal: int, now: datetime) -> dict[str, Any]:
    from quizapp.deckfile.ids import content_hash

    return {
        "id": spec.id,
        "deck": spec.deck,
        "topic": list(spec.topic),
        "front": spec.front,
        "back": spec.back,
        "kind": spec.kind,
        "cloze": spec.cloze,
        "quiz": quiz_to_json(spec.quiz),
        "parent": spec.parent,
        "note": sibling_note(spec.id),
        "source": spec.source,
        "line": spec.line,
        "ordinal": ordinal,
        "content_hash": content_hash(spec),
    }


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


@dataclass(frozen=True)
class _Parsed:
    """A changed deck file, read and parsed."""

    key: str
    digest: str
    deck: ParsedDeck


@dataclass
class _Plan:
    """Every write one sync makes, worked out before the write transaction."""

    #: the deck-file rows this plan was made on: path → (hash, synced_at)
    basis: dict[str, tuple[str, datetime]]
    files: list[tuple[str, str, str]] = field(default_factory=list)  # path, deck, hash
    deleted: list[str] = field(default_factory=list)
    inserts: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    renames: list[tuple[Rename, dict[str, Any]]] = field(default_factory=list)
    retire: list[str] = field(default_factory=list)
    updated: int = 0
    restored: int = 0
    skipped: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def sync_decks(
    db: Database, paths: Sequence[Path], *, now: datetime | None = None, force: bool = False
) -> SyncReport:
    """Bring the cards of the deck files/folders at ``paths`` into the database.

    Unchanged files (same content hash as at the last sync) are skipped unless ``force``.
    The changes are written in one transaction: a sync is applied whole or not at all.
    """
    now = now or datetime.now(UTC)
    with db.session(write=False) as s:
        rows = s.execute(select(DeckFile.path, DeckFile.content_hash)).all()
    scan = scan_decks(paths, {row.path: row.content_hash for row in rows}, force=force)
    diagnostics, changed, deleted = scan.diagnostics, scan.changed, scan.deleted
    unchanged = scan.unchanged
    if scan.nothing_to_do:
        return SyncReport(files_unchanged=unchanged, diagnostics=tuple(diagnostics))

    parsed: list[_Parsed] = []
    if changed:
        from quizapp.deckfile.parse import parse_deck  # only when a file changed

        for key, data, prefix, digest in changed:
            deck = parse_deck(data, key, prefix)
            diagnostics.extend(deck.diagnostics)
            parsed.append(_Parsed(key, digest, deck))
        changed.clear()
    roots = DeckRoots(paths)
    plan: _Plan | None = None
    for attempt in range(_ATTEMPTS):
        last = attempt == _ATTEMPTS - 1
        if not last:
            with db.session(write=False) as s:
                plan = _plan(s, parsed, deleted, roots, now, force)
        with db.session(exclusive=True) as s:
            if last:
                plan = _plan(s, parsed, deleted, roots, now, force)
            elif plan is None or _basis(s) != plan.basis:
                continue  # another sync wrote since: plan again on what it left
            _write(s, plan, now)
            _note_forward_cards(s, [spec.id for p in parsed for spec in p.deck.cards])
            break
    assert plan is not None
    return SyncReport(
        added=len(plan.inserts),
        updated=plan.updated,
        renamed=len(plan.renames),
        retired=len(plan.retire),
        restored=plan.restored,
        files_parsed=len(plan.files),
        files_unchanged=unchanged + plan.skipped,
        renames=tuple(r for r, _ in plan.renames),
        diagnostics=tuple(diagnostics + plan.diagnostics),
    )


def _note_forward_cards(s: Session, ids: Sequence[str]) -> None:
    """Give the forward card of each two-way card just synced its own id as note, so
    it and its reversed card are siblings."""
    forward = [
        note for card_id in ids if card_id.endswith("/reverse") and (note := sibling_note(card_id))
    ]
    for chunk in _chunks(forward):
        s.execute(update(Card).where(Card.id.in_(chunk)).values(note=Card.id))


def _basis(s: Session) -> dict[str, tuple[str, datetime]]:
    """Every deck-file row: any sync that writes changes at least one of them."""
    rows = s.execute(select(DeckFile.path, DeckFile.content_hash, DeckFile.synced_at))
    return {path: (chash, synced) for path, chash, synced in rows}


def _plan(
    s: Session,
    parsed: Sequence[_Parsed],
    deleted: Sequence[str],
    roots: DeckRoots,
    now: datetime,
    force: bool,
) -> _Plan:
    """What a sync of the ``parsed`` files and the ``deleted`` ones writes, on the
    database as ``s`` sees it."""
    basis = _basis(s)
    plan = _Plan(basis)
    # Files another sync brought up to date since they were read are left as they are.
    files = [p for p in parsed if force or basis.get(p.key, ("",))[0] != p.digest]
    plan.skipped = len(parsed) - len(files)
    plan.deleted = [k for k in deleted if k in basis]
    read = {p.key for p in files} | set(plan.deleted)
    ids = list(dict.fromkeys(spec.id for p in files for spec in p.deck.cards))
    existing: dict[str, Existing] = {}
    for chunk in _chunks(ids):
        for cid, source, line, retired, chash in s.execute(
            select(Card.id, Card.source, Card.line, Card.retired, Card.content_hash).where(
                Card.id.in_(chunk)
            )
        ):
            existing[cid] = Existing(source, line, retired, chash)
    claims = settle_claims([(p.key, p.deck.cards) for p in files], existing, read, roots)
    plan.diagnostics = claims.diagnostics
    plan.files = [
        (p.key, p.deck.deck, "" if p.key in claims.refused_files else p.digest) for p in files
    ]
    defined = {spec.id for spec, _ in claims.accepted}
    gone: dict[str, Vanished] = {}
    columns = (Card.id, Card.deck, Card.topic, Card.front, Card.back, Card.kind, Card.cloze)
    for chunk in _chunks(sorted(read)):
        for row in s.execute(
            select(*columns, Card.parent, Card.source).where(
                Card.source.in_(chunk), Card.retired.is_(False)
            )
        ):
            if row.id not in defined:
                gone[row.id] = Vanished(
                    row.id,
                    row.deck,
                    tuple(row.topic),
                    row.front,
                    row.back,
                    row.kind,
                    row.cloze,
                    row.parent,
                    row.source,
                )
    new_specs: list[tuple[CardSpec, int]] = []
    for spec, ordinal in claims.accepted:
        known = existing.get(spec.id)
        if known is None:
            new_specs.append((spec, ordinal))
            continue
        values = _row(spec, ordinal, now)
        if known.retired:
            plan.restored += 1
            values.update(retired=False, retired_at=None, updated_at=now)
        elif known.content_hash != values["content_hash"]:
            plan.updated += 1
            values["updated_at"] = now
        plan.updates.append(values)
    renames = detect_renames([spec for spec, _ in new_specs], gone, roots.same_root)
    by_new = {r.new_id: r for r in renames}
    for spec, ordinal in new_specs:
        rename = by_new.get(spec.id)
        if rename is not None:
            values = _row(spec, ordinal, now)
            values.pop("id")
            plan.renames.append((rename, values))
            gone.pop(rename.old_id, None)
            continue
        plan.inserts.append(
            {
                **_row(spec, ordinal, now),
                "retired": False,
                "created_at": now,
                "updated_at": now,
                "state": 0,
                "step": 0,
                "due": now,
                "reviews": 0,
                "lapses": 0,
            }
        )
    plan.retire = list(gone)
    return plan


def _write(s: Session, plan: _Plan, now: datetime) -> None:
    """Apply ``plan``: the only part of a sync that holds the write lock."""
    for key, deck, digest in plan.files:
        values = {"deck": deck, "content_hash": digest, "synced_at": now}
        if key in plan.basis:
            s.execute(update(DeckFile).where(DeckFile.path == key).values(**values))
        else:
            s.execute(insert(DeckFile).values(path=key, **values))
    for chunk in _chunks(plan.deleted):
        s.execute(delete(DeckFile).where(DeckFile.path.in_(chunk)))
    for rename, values in plan.renames:
        s.execute(
            update(Card)
            .where(Card.id == rename.old_id)
            .values(id=rename.new_id, updated_at=now, **values)
        )
    if plan.inserts:
        # A Core insert on the table sends all rows as one executemany; the ORM form
        # would split them into batches by which columns happen to be None.
        s.execute(insert(cast(Table, Card.__table__)), plan.inserts)
    if plan.updates:
        s.execute(update(Card), plan.updates)
    for chunk in _chunks(plan.retire):
        s.execute(update(Card).where(Card.id.in_(chunk)).values(retired=True, retired_at=now))
