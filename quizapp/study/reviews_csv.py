"""Import a review history from CSV (``quizapp import-reviews``).

The file has a header row and one review per row, with the columns of py-fsrs's review
logs: ``card_id, review_rating, review_time, review_duration`` (the short names
``card_id, rating, time, duration`` work too; order does not matter, the duration may
be empty). Ratings are 1–4 (Again, Hard, Good, Easy); times are ISO 8601 with a UTC
offset (``2024-03-29T20:32:32.250+00:00`` or ``…Z``), from 1970 until now; durations
are whole milliseconds, at most a day.

The file is read as a stream and never held in memory. Every row is checked as it is
read — a bad row is reported as ``FILE:LINE: message`` — and the rows are written in
one transaction (:func:`import_reviews`, through :mod:`quizapp.store.review_import`)
that is rolled back when any row was bad, so a file with a problem imports nothing:

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
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, NamedTuple

from quizapp.store.db import Database
from quizapp.store.review_import import import_review_rows
from quizapp.study.replay import replayer
from quizapp.study.service import StudyService
from quizapp.words import plural

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
#: the longest card id (the store's column width)
MAX_CARD_ID = 255
#: the earliest review time accepted (no review history predates it)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
#: the longest duration accepted: one day, in milliseconds
MAX_DURATION_MS = 86_400_000
#: the longest line read (a review row is well under 200 bytes); a longer one is not a
#: review history, and reading it whole could take any amount of memory
MAX_LINE_BYTES = 64 * 1024
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


class CsvReview(NamedTuple):
    """One valid row of a review-history file (a tuple: a million of them stream by)."""

    line: int
    card_id: str
    rating: int
    reviewed_at: datetime
    duration_ms: int | None


class ReviewFileError(ValueError):
    """The file cannot be imported; ``problems`` are ``FILE:LINE: message`` lines (the
    first :data:`MAX_PROBLEMS` of them; ``more`` counts the rest)."""

    def __init__(self, problems: Sequence[str], more: int = 0) -> None:
        shown = list(problems[:MAX_PROBLEMS])
        more += max(0, len(problems) - MAX_PROBLEMS)
        lines = [*shown, f"… and {plural(more, 'more problem')}"] if more else shown
        super().__init__("\n".join(lines))
        self.problems = tuple(shown)
        self.more = more


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
        line = f"{plural(self.imported, 'review')} imported"
        if self.duplicates:
            line += f", {self.duplicates} already present"
        line += f"; {plural(self.cards, 'card')} rescheduled from their history"
        if self.new_cards:
            added = plural(self.new_cards, "placeholder card")
            line += f", {added} added to the {IMPORTED_DECK!r} deck"
        return line


# -- reading and checking --------------------------------------------------------------


class _Problems:
    """Problems of a file: the first few kept as text, the rest only counted."""

    def __init__(self) -> None:
        self.shown: list[str] = []
        self.more = 0

    def add(self, problem: str) -> None:
        if len(self.shown) < MAX_PROBLEMS:
            self.shown.append(problem)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)

    def error(self) -> ReviewFileError:
        return ReviewFileError(self.shown, self.more)


def _lines(fh: IO[bytes], source: str, problems: _Problems) -> Iterator[str]:
    """The file's lines, decoded one at a time (a BOM at the start is dropped).

    A line that is not UTF-8 is a problem (decoded with replacement characters, so the
    rest is still checked); a line longer than :data:`MAX_LINE_BYTES` is a problem and
    skipped without being held in memory.
    """
    number = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            problems.add(f"{source}:{number}: line longer than {MAX_LINE_BYTES:,} bytes")
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(MAX_LINE_BYTES)
            yield "\n"
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            problems.add(f"{source}:{number}: not UTF-8 text")
            text = raw.decode("utf-8", "replace")
        yield text.removeprefix("\ufeff") if number == 1 else text


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
            [
                f"{where}: missing {'column' if len(missing) == 1 else 'columns'} "
                f"{', '.join(missing)}; the header must name {want}"
            ]
        )
    return found


def _shown(text: str, limit: int = 40) -> str:
    """A field as quoted in a message: bounded, control characters escaped by repr()."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _parse_time(text: str, now: datetime) -> datetime:
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"review time {_shown(text)} is not an ISO 8601 date and time") from None
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(
            f"review time {_shown(text)} has no UTC offset; add +00:00 (or Z) for UTC times"
        )
    try:
        # 0001-01-01T00:00+01:00 and 9999-12-31T23:59-01:00 fall outside what a
        # datetime can hold once moved to UTC
        at = at.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"review time {_shown(text)} is out of range") from None
    if at < EARLIEST:
        raise ValueError(f"review time {_shown(text)} is before 1970")
    if at > now:
        raise ValueError(f"review time {_shown(text)} is in the future")
    return at


def _parse_duration(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()):
        raise ValueError(f"duration {_shown(raw)} is not a whole number of milliseconds")
    # the length first: int() of a very long digit string is itself refused (or slow)
    value = int(raw) if len(raw) <= _DURATION_DIGITS else MAX_DURATION_MS + 1
    if value > MAX_DURATION_MS:
        raise ValueError(
            f"duration {_shown(raw)} ms is more than a day (at most {MAX_DURATION_MS:,} ms)"
        )
    return value


_DURATION_DIGITS = len(str(MAX_DURATION_MS))


class _RowParser:
    """Checks and converts the fields of one row (the columns found in the header)."""

    def __init__(self, cols: dict[str, int], now: datetime) -> None:
        self.now = now
        self.width = max(cols[c] for c in REQUIRED) + 1
        self.card = cols["card_id"]
        self.rating = cols["rating"]
        self.time = cols["time"]
        self.duration = cols.get("duration", -1)
        #: the last card id found valid: rows of one card usually come together
        self._last_id = ""

    def _card_id(self, raw: str) -> str:
        card_id = raw.strip()
        if card_id == self._last_id:
            return card_id
        if not card_id:
            raise ValueError("empty card id")
        if len(card_id) > MAX_CARD_ID:
            raise ValueError(f"card id longer than {MAX_CARD_ID} characters")
        if _CONTROL.search(card_id):
            raise ValueError(f"card id {_shown(card_id)} holds a control character")
        self._last_id = card_id
        return card_id

    def __call__(self, fields: Sequence[str]) -> tuple[str, int, datetime, int | None]:
        if len(fields) < self.width:
            raise ValueError(f"{plural(len(fields), 'field')}, expected at least {self.width}")
        card_id = self._card_id(fields[self.card])
        raw_rating = fields[self.rating].strip()
        if raw_rating not in _RATINGS:
            raise ValueError(f"rating {_shown(raw_rating)} is not 1, 2, 3 or 4")
        at = _parse_time(fields[self.time].strip(), self.now)
        duration: int | None = None
        if 0 <= self.duration < len(fields):
            raw = fields[self.duration].strip()
            if raw:
                duration = _parse_duration(raw)
        return card_id, _RATINGS[raw_rating], at, duration


_RATINGS = {"1": 1, "2": 2, "3": 3, "4": 4}


class _Reader:
    """A review file being read: its header is read (and checked) on creation, then
    :meth:`rows` streams the rows."""

    def __init__(self, fh: IO[bytes], source: str, now: datetime) -> None:
        self.source = source
        self.now = now
        self.problems = _Problems()
        self._csv = csv.reader(_lines(fh, source, self.problems))
        try:
            header = next(self._csv, None)
            while header is not None and not any(f.strip() for f in header):
                header = next(self._csv, None)
        except csv.Error as exc:
            raise ReviewFileError(
                [f"{source}:{self._csv.line_num}: malformed CSV ({exc})"]
            ) from None
        if self.problems:
            raise self.problems.error()
        if header is None:
            raise ReviewFileError([f"{source}:1: empty file; expected a header row"])
        self._parse = _RowParser(_header(header, f"{source}:{self._csv.line_num}"), now)
        self._start = self._csv.line_num

    def rows(self) -> Iterator[CsvReview]:
        """Every valid row, in order; bad rows are collected in :attr:`problems`."""
        reader, source = self._csv, self.source
        rows = 0
        try:
            for fields in reader:
                if not "".join(fields).strip():
                    continue
                rows += 1
                try:
                    card_id, rating, at, duration = self._parse(fields)
                except ValueError as exc:
                    self.problems.add(f"{source}:{reader.line_num}: {exc}")
                    continue
                yield CsvReview(reader.line_num, card_id, rating, at, duration)
        except csv.Error as exc:
            self.problems.add(f"{source}:{reader.line_num}: malformed CSV ({exc})")
        if not rows and not self.problems:
            raise ReviewFileError([f"{source}:{self._start + 1}: no reviews after the header"])


def parse_reviews_csv(
    data: bytes | str, source: str, *, now: datetime | None = None
) -> list[CsvReview]:
    """The reviews of a CSV text, in file order.

    Raises :class:`ReviewFileError` listing every bad row; nothing is returned then.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    reader = _Reader(io.BytesIO(raw), source, now or datetime.now(UTC))
    out = list(reader.rows())
    if reader.problems:
        raise reader.problems.error()
    return out


def _unreadable(path: Path, exc: OSError) -> ReviewFileError:
    return ReviewFileError([f"{path}: cannot read the file ({exc.strerror or exc})"])


def read_reviews(path: Path, *, now: datetime | None = None) -> Iterator[CsvReview]:
    """The reviews of the file at ``path``, streamed: never more than a line in memory.

    The file is opened and its header checked at once (:class:`ReviewFileError` for a
    missing file or a file that is not a review history). Every row is checked as it
    is read; bad rows are not returned, and once the last row has been read a
    :class:`ReviewFileError` lists them (the first :data:`MAX_PROBLEMS` of them and how
    many more), so a consumer that writes the rows in one transaction rolls back.
    """
    if path.is_dir():
        raise ReviewFileError([f"{path}: is a folder, not a CSV file"])
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    try:
        reader = _Reader(fh, str(path), now or datetime.now(UTC))
    except BaseException:
        fh.close()
        raise
    return _stream(fh, path, reader)


def _stream(fh: IO[bytes], path: Path, reader: _Reader) -> Iterator[CsvReview]:
    with fh:
        try:
            yield from reader.rows()
        except OSError as exc:
            raise _unreadable(path, exc) from exc
    if reader.problems:
        raise reader.problems.error()


def read_reviews_csv(path: Path, *, now: datetime | None = None) -> list[CsvReview]:
    """Every review of the file at ``path`` in a list (for small files;
    ``import-reviews`` streams with :func:`read_reviews` instead)."""
    return list(read_reviews(path, now=now))


# -- writing to the database -----------------------------------------------------------


def import_reviews(
    db: Database,
    reviews: Iterable[CsvReview],
    *,
    source: str,
    now: datetime | None = None,
) -> ImportReport:
    """Write ``reviews`` (a list, or a stream from :func:`read_reviews`) into the
    database in one transaction (see the module doc). A :class:`ReviewFileError` raised
    by the stream rolls everything back."""
    now = now or datetime.now(UTC)
    # No fuzz: the replayed due date is the one the history implies.
    scheduler = StudyService(db).settings.scheduler(fuzz=False)
    counts = import_review_rows(
        db,
        reviews,
        deck=IMPORTED_DECK,
        source=source,
        now=now,
        replay=replayer(scheduler),
    )
    return ImportReport(
        rows=counts.rows,
        imported=counts.imported,
        duplicates=counts.rows - counts.imported,
        new_cards=counts.new_cards,
        cards=counts.cards,
    )
