"""Sync deck files into the database: incremental, one transaction, history kept.

- A file whose bytes hash like last time is not parsed again (unless the parser's rules
  changed since: :data:`~quizapp.deckfile.ids.PARSER_REVISION`).
- A card keeps its id (and so its history) while its question stays the same; answer
  edits only update its content.
- A question edit is a *rename* when exactly one card of the same kind disappeared from
  the same topic and its answer is at least 80 % similar: the card row (and with it the
  whole review log) takes the new id.
- A card no longer in its file is *retired*, never deleted; when it comes back it is
  restored with its history.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from quizapp.deckfile.ids import file_digest, sibling_note
from quizapp.deckfile.sources import deck_sources
from quizapp.deckfile.types import CardSpec, Diagnostic
from quizapp.store.convert import quiz_to_json
from quizapp.store.db import Database
from quizapp.store.schema import Card, DeckFile
from quizapp.words import plural

RENAME_SIMILARITY = 0.8
_CHUNK = 500


@dataclass(frozen=True)
class Rename:
    """A card whose question changed; its history moved with it."""

    old_id: str
    new_id: str
    old_front: str
    new_front: str


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


def _suffix(spec_id: str, parent: str | None) -> str:
    """The part of an id after its base card: "" for basic cards, "/c2", "/quiz-1"."""
    if parent and spec_id.startswith(parent + "/"):
        return spec_id[len(parent) :]
    _, sep, tail = spec_id.rpartition("/")
    if sep and tail[:1] == "c" and tail[1:].isdigit():
        return "/" + tail
    return ""


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


def _similar(a: str, b: str) -> float:
    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < RENAME_SIMILARITY or m.quick_ratio() < RENAME_SIMILARITY:
        return 0.0
    return m.ratio()


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def sync_decks(
    db: Database, paths: Sequence[Path], *, now: datetime | None = None, force: bool = False
) -> SyncReport:
    """Bring the cards of the deck files/folders at ``paths`` into the database.

    Unchanged files (same content hash as at the last sync) are skipped unless ``force``.
    Everything happens in one transaction: a sync is applied whole or not at all.
    """
    now = now or datetime.now(UTC)
    diagnostics: list[Diagnostic] = []
    sources = deck_sources(paths, diagnostics)
    # Files under the synced paths that were synced before: deleted ones retire their cards.
    roots = [p.resolve() for p in paths]

    # Exclusive: a second sync of the same files waits, then finds them unchanged.
    with db.session(exclusive=True) as s:
        known = {row.path: row for row in s.scalars(select(DeckFile))}
        changed: list[tuple[str, bytes, tuple[str, ...], str]] = []
        present: set[str] = set()
        unchanged = 0
        for path, prefix in sources:
            key = str(path)
            present.add(key)
            try:
                data = path.read_bytes()
            except OSError as exc:
                diagnostics.append(Diagnostic(key, 1, "error", f"cannot read: {exc.strerror}"))
                continue
            digest = file_digest(data)
            prev = known.get(key)
            if prev is not None and prev.content_hash == digest and not force:
                unchanged += 1
                continue
            changed.append((key, data, prefix, digest))
        deleted = [k for k in known if k not in present and any(_within(Path(k), r) for r in roots)]
        if not changed and not deleted:
            return SyncReport(files_unchanged=unchanged, diagnostics=tuple(diagnostics))

        specs: list[tuple[CardSpec, int]] = []
        seen: set[str] = set()
        for key, data, prefix, digest in changed:
            from quizapp.deckfile.parse import parse_deck  # only when a file changed

            parsed = parse_deck(data, key, prefix)
            diagnostics.extend(parsed.diagnostics)
            for ordinal, spec in enumerate(parsed.cards):
                if spec.id in seen:
                    diagnostics.append(
                        Diagnostic(key, spec.line, "error", f"card id {spec.id!r} is used twice")
                    )
                    continue
                seen.add(spec.id)
                specs.append((spec, ordinal))
            _upsert_file(s, known.get(key), key, parsed.deck, digest, now)
        for key in deleted:
            s.delete(known[key])

        report = _apply(s, specs, [k for k, *_ in changed] + deleted, now)
        _note_forward_cards(s, [spec.id for spec, _ in specs])
        return SyncReport(
            added=report["added"],
            updated=report["updated"],
            renamed=len(report["renames"]),
            retired=report["retired"],
            restored=report["restored"],
            files_parsed=len(changed),
            files_unchanged=unchanged,
            renames=tuple(report["renames"]),
            diagnostics=tuple(diagnostics),
        )


def _note_forward_cards(s: Session, ids: Sequence[str]) -> None:
    """Give the forward card of each two-way card just synced its own id as note, so
    it and its reversed card are siblings."""
    forward = [
        note for card_id in ids if card_id.endswith("/reverse") and (note := sibling_note(card_id))
    ]
    for chunk in _chunks(forward):
        s.execute(update(Card).where(Card.id.in_(chunk)).values(note=Card.id))


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _upsert_file(
    s: Session, row: DeckFile | None, key: str, deck: str, digest: str, now: datetime
) -> None:
    if row is None:
        s.add(DeckFile(path=key, deck=deck, content_hash=digest, synced_at=now))
    else:
        row.deck, row.content_hash, row.synced_at = deck, digest, now


def _apply(
    s: Session, specs: list[tuple[CardSpec, int]], files: list[str], now: datetime
) -> dict[str, Any]:
    ids = [spec.id for spec, _ in specs]
    existing: dict[str, tuple[str, bool]] = {}  # id -> (content_hash, retired)
    for chunk in _chunks(ids):
        for cid, chash, retired in s.execute(
            select(Card.id, Card.content_hash, Card.retired).where(Card.id.in_(chunk))
        ):
            existing[cid] = (chash, retired)
    # Active cards of the re-read files that the files no longer define.
    defined = set(ids)
    gone: dict[str, Card] = {}
    for chunk in _chunks(files):
        for card in s.scalars(select(Card).where(Card.source.in_(chunk), Card.retired.is_(False))):
            if card.id not in defined:
                gone[card.id] = card

    added_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    restored = 0
    updated = 0
    new_specs: list[tuple[CardSpec, int]] = []
    for spec, ordinal in specs:
        if spec.id in existing:
            row = _row(spec, ordinal, now)
            chash, retired = existing[spec.id]
            values = {"id": spec.id, **row}
            if retired:
                restored += 1
                values.update(retired=False, retired_at=None, updated_at=now)
            elif chash != row["content_hash"]:
                updated += 1
                values["updated_at"] = now
            updates.append(values)
        else:
            new_specs.append((spec, ordinal))

    renames = _detect_renames(new_specs, gone)
    renamed_new = {r.new_id for r in renames}
    for r in renames:
        spec, ordinal = next((sp, o) for sp, o in new_specs if sp.id == r.new_id)
        row = _row(spec, ordinal, now)
        row.pop("id")
        s.execute(
            update(Card).where(Card.id == r.old_id).values(id=r.new_id, updated_at=now, **row)
        )
        gone.pop(r.old_id, None)
    for spec, ordinal in new_specs:
        if spec.id in renamed_new:
            continue
        added_rows.append(
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
    if added_rows:
        # A Core insert on the table sends all rows as one executemany; the ORM form
        # would split them into batches by which columns happen to be None.
        s.execute(insert(cast(Table, Card.__table__)), added_rows)
    if updates:
        s.execute(update(Card), updates)
    for card in gone.values():
        card.retired = True
        card.retired_at = now
    s.flush()
    return {
        "added": len(added_rows),
        "updated": updated,
        "restored": restored,
        "retired": len(gone),
        "renames": renames,
    }


def _detect_renames(new_specs: list[tuple[CardSpec, int]], gone: dict[str, Card]) -> list[Rename]:
    """Pair new cards with vanished ones: same deck, topic and kind, ≥ 80 % similar answer."""
    if not new_specs or not gone:
        return []
    vanished: dict[tuple[str, tuple[str, ...], str], list[Card]] = defaultdict(list)
    for card in gone.values():
        vanished[(card.deck, tuple(card.topic), _suffix(card.id, card.parent))].append(card)
    renames: list[Rename] = []
    base_renames: dict[str, str] = {}
    # Base cards first, so quiz cards can follow their parent's rename.
    ordered = sorted(new_specs, key=lambda so: so[0].kind == "quiz")
    for spec, _ in ordered:
        if spec.explicit_id and spec.kind != "quiz":
            continue
        if spec.kind == "quiz" and spec.parent in base_renames:
            old_parent = base_renames[spec.parent]
            old_id = old_parent + _suffix(spec.id, spec.parent)
            old = gone.get(old_id)
            if old is not None and old_id not in {r.old_id for r in renames}:
                renames.append(Rename(old.id, spec.id, old.front, spec.front))
            continue
        group = vanished.get((spec.deck, spec.topic, _suffix(spec.id, spec.parent)), [])
        if len(group) != 1:
            continue
        old = group[0]
        if _similar(old.back, spec.back) >= RENAME_SIMILARITY:
            renames.append(Rename(old.id, spec.id, old.front, spec.front))
            group.clear()
            base = spec.id.rsplit("/", 1)[0] if spec.kind == "cloze" else spec.id
            old_base = old.id.rsplit("/", 1)[0] if old.kind == "cloze" else old.id
            base_renames[base] = old_base
    return renames
