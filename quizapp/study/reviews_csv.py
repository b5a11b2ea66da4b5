"""Import a review history from CSV (``quizapp import-reviews``).

The file has a header row and one review per row, with the columns of py-fsrs's review
logs: ``card_id, review_rating, review_time, review_duration`` (the short names
``card_id, rating, time, duration`` work too; order does not matter, the duration may
be empty). Ratings are 1–4 (Again, Hard, Good, Easy); times are ISO 8601 with a UTC
offset (``2024-03-29T20:32:32.250+00:00`` or ``…Z``); durations are milliseconds.

The whole file is checked before anything is written: a bad row is reported as
``FILE:LINE: message`` and nothing is imported. The import is one transaction:

- a review already in the database (same card id, same time) is skipped, so importing
  the same file twice adds nothing the second time;
- a card id the database does not know becomes a placeholder card of the ``imported``
  deck. Placeholders are *retired*: they keep their history (for ``stats`` and
  ``optimize``) but never enter a study session. A deck card with the same explicit id
  (``{#id}``) brings one back, with its history, at the next sync;
- every card that received reviews is replayed through the scheduler from its first
  review, so its FSRS state (stability, difficulty, due date) reflects the whole history.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler
from sqlalchemy import insert, select, update

from quizapp.store.db import Database
from quizapp.store.schema import Card, Review
from quizapp.study.scheduler import from_fsrs
from quizapp.study.service import NEW, REVIEW, StudyService

#: deck of the placeholder cards made for unknown card ids
IMPORTED_DECK = "imported"
#: accepted header names of each column, first the py-fsrs name
COLUMNS: dict[str, tuple[str, ...]] = {
    "card_id": ("card_id", "card"),
    "rating": ("review_rating", "rating"),
    "time": ("review_time", "time", "reviewed_at"),
    "duration": ("review_duration", "duration", "duration_ms"),
}
REQUIRED = ("card_id", "rating", "time")
#: problems listed before the rest are summarized in one line
MAX_PROBLEMS = 20
_CHUNK = 500


@dataclass(frozen=True)
class CsvReview:
    """One valid row of a review-history file."""

    line: int
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None


class ReviewFileError(ValueError):
    """The file cannot be imported; ``problems`` are ``FILE:LINE: message`` lines."""

    def __init__(self, problems: Sequence[str]) -> None:
        shown = list(problems[:MAX_PROBLEMS])
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"… and {len(problems) - MAX_PROBLEMS} more problem(s)")
        super().__init__("\n".join(shown))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    rows: int
    imported: int
    duplicates: int
    new_cards: int
    cards: int

    def summary(self) -> str:
        """One line for the terminal."""
        line = f"{self.imported} review(s) imported"
        if self.duplicates:
            line += f", {self.duplicates} already present"
        line += f"; {self.cards} card(s) rescheduled from their history"
        if self.new_cards:
            line += f", {self.new_cards} placeholder card(s) added to the {IMPORTED_DECK!r} deck"
        return line


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ReviewFileError([f"{source}:{line}: not UTF-8 text"]) from exc


def _header(names: Sequence[str], where: str) -> dict[str, int]:
    normalized = [n.strip().lstrip("\ufeff").casefold() for n in names]
    found: dict[str, int] = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in normalized:
                found[column] = normalized.index(alias)
                break
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in found]
    if missing:
        want = ", ".join(aliases[0] for aliases in COLUMNS.values())
        raise ReviewFileError(
            [f"{where}: missing column(s) {', '.join(missing)}; the header must name {want}"]
        )
    return found


def _parse_time(text: str, now: datetime) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"review time {text!r} is not an ISO 8601 date and time") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"review time {text!r} has no UTC offset; add +00:00 (or Z) for UTC times")
    at = at.astimezone(UTC)
    if at > now:
        raise ValueError(f"review time {text!r} is in the future")
    return at


def _parse_row(
    fields: Sequence[str], cols: dict[str, int], now: datetime
) -> tuple[str, int, datetime, int | None]:
    width = max(cols[c] for c in REQUIRED) + 1
    if len(fields) < width:
        raise ValueError(f"{len(fields)} field(s), expected at least {width}")
    card_id = fields[cols["card_id"]].strip()
    if not card_id:
        raise ValueError("empty card id")
    if len(card_id) > 255:
        raise ValueError("card id longer than 255 characters")
    raw_rating = fields[cols["rating"]].strip()
    if raw_rating not in ("1", "2", "3", "4"):
        raise ValueError(f"rating {raw_rating!r} is not 1, 2, 3 or 4")
    at = _parse_time(fields[cols["time"]].strip(), now)
    duration: int | None = None
    if "duration" in cols and len(fields) > cols["duration"]:
        raw = fields[cols["duration"]].strip()
        if raw:
            if not (raw.isascii() and raw.isdigit()):
                raise ValueError(f"duration {raw!r} is not a whole number of milliseconds")
            duration = int(raw)
    return card_id, int(raw_rating), at, duration


def parse_reviews_csv(
    data: bytes | str, source: str, *, now: datetime | None = None
) -> list[CsvReview]:
    """The reviews of a CSV file, in file order.

    Raises :class:`ReviewFileError` listing every bad row; nothing is returned then.
    """
    now = now or datetime.now(UTC)
    text = _decode(data, source) if isinstance(data, bytes) else data
    reader = csv.reader(io.StringIO(text, newline=""))
    problems: list[str] = []
    out: list[CsvReview] = []
    try:
        header = next(reader, None)
        while header is not None and not any(f.strip() for f in header):
            header = next(reader, None)
        if header is None:
            raise ReviewFileError([f"{source}:1: empty file; expected a header row"])
        cols = _header(header, f"{source}:{reader.line_num}")
        start = reader.line_num
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            try:
                card_id, rating, at, duration = _parse_row(fields, cols, now)
            except ValueError as exc:
                problems.append(f"{source}:{line}: {exc}")
                continue
            out.append(CsvReview(line, card_id, rating, at, duration))
    except csv.Error as exc:
        problems.append(f"{source}:{reader.line_num}: malformed CSV ({exc})")
    if problems:
        raise ReviewFileError(problems)
    if not out:
        raise ReviewFileError([f"{source}:{start + 1}: no reviews after the header"])
    return out


def read_reviews_csv(path: Path, *, now: datetime | None = None) -> list[CsvReview]:
    """:func:`parse_reviews_csv` on a file; an unreadable file is a ``ReviewFileError``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReviewFileError([f"{path}: cannot read the file ({exc.strerror})"]) from exc
    return parse_reviews_csv(data, str(path), now=now)


# -- writing to the database -----------------------------------------------------------


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _placeholder(card_id: str, source: str, line: int, now: datetime) -> dict[str, Any]:
    return {
        "id": card_id,
        "deck": IMPORTED_DECK,
        "topic": [],
        "front": f"imported card {card_id}",
        "back": "",
        "kind": "basic",
        "source": source,
        "line": line,
        "ordinal": line,
        "content_hash": "",
        "retired": True,
        "retired_at": now,
        "created_at": now,
        "updated_at": now,
        "state": NEW,
        "step": 0,
        "due": now,
        "reviews": 0,
        "lapses": 0,
    }


def _replay(
    history: Sequence[tuple[int, int, datetime, str]], scheduler: Scheduler
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Replay one card's scheduled reviews ``(id, rating, time, kind)`` from scratch.

    Returns the card's new scheduling fields and, for imported rows, the recall the
    scheduler predicted just before each of them (for ``stats``' calibration).
    """
    state = FsrsCard(card_id=0)
    lapses = 0
    predictions: list[dict[str, Any]] = []
    for review_id, rating, at, kind in history:
        if kind == "import" and state.last_review is not None:
            predictions.append(
                {"id": review_id, "retrievability": scheduler.get_card_retrievability(state, at)}
            )
        # counted as the study service counts lapses: a failed review of a learned card
        if rating == 1 and state.state == REVIEW:
            lapses += 1
        state, _ = scheduler.review_card(state, Rating(rating), at)
    fields = from_fsrs(state)
    fields.update(reviews=len(history), lapses=lapses)
    return fields, predictions


def import_reviews(
    db: Database,
    reviews: Sequence[CsvReview],
    *,
    source: str,
    now: datetime | None = None,
) -> ImportReport:
    """Write ``reviews`` into the database in one transaction (see the module doc)."""
    now = now or datetime.now(UTC)
    # No fuzz: the replayed due date is the one the history implies.
    scheduler = StudyService(db).settings.scheduler(fuzz=False)
    first_line: dict[str, int] = {}
    for r in reviews:
        first_line.setdefault(r.card_id, r.line)
    ids = sorted(first_line)
    # Exclusive: the same file imported twice at once is imported once.
    with db.session(exclusive=True) as s:
        known: set[str] = set()
        seen: set[tuple[str, datetime]] = set()
        for chunk in _chunks(ids):
            # Locked: a review made meanwhile is not overwritten by the replayed state.
            known.update(s.scalars(select(Card.id).where(Card.id.in_(chunk)).with_for_update()))
            seen.update(
                (cid, at)
                for cid, at in s.execute(
                    select(Review.card_id, Review.reviewed_at).where(Review.card_id.in_(chunk))
                )
            )
        placeholders = [
            _placeholder(cid, source, first_line[cid], now) for cid in ids if cid not in known
        ]
        if placeholders:
            s.execute(insert(Card), placeholders)
        rows: list[dict[str, Any]] = []
        for r in reviews:
            key = (r.card_id, r.reviewed_at)
            if key in seen:
                continue
            seen.add(key)
            rows.append(
                {
                    "card_id": r.card_id,
                    "rating": r.rating,
                    "reviewed_at": r.reviewed_at,
                    "duration_ms": r.duration_ms,
                    "kind": "import",
                    "auto": False,
                    "scheduled": True,
                    "introduced": False,
                }
            )
        if rows:
            s.execute(insert(Review), rows)
        touched = sorted({row["card_id"] for row in rows})
        histories: dict[str, list[tuple[int, int, datetime, str]]] = defaultdict(list)
        for chunk in _chunks(touched):
            for review_id, card_id, rating, at, kind in s.execute(
                select(Review.id, Review.card_id, Review.rating, Review.reviewed_at, Review.kind)
                .where(Review.card_id.in_(chunk), Review.scheduled.is_(True))
                .order_by(Review.reviewed_at, Review.id)
            ):
                histories[card_id].append((review_id, rating, at, kind))
        card_updates: list[dict[str, Any]] = []
        predictions: list[dict[str, Any]] = []
        for card_id in touched:
            fields, predicted = _replay(histories[card_id], scheduler)
            card_updates.append({"id": card_id, **fields})
            predictions.extend(predicted)
        if card_updates:
            s.execute(update(Card), card_updates)
        if predictions:
            s.execute(update(Review), predictions)
    return ImportReport(
        rows=len(reviews),
        imported=len(rows),
        duplicates=len(reviews) - len(rows),
        new_cards=len(placeholders),
        cards=len(touched),
    )
