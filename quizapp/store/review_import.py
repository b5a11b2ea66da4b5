"""Writing an imported review history: one transaction, memory bounded by design.

The rows arrive as a stream (the CSV reader of :mod:`quizapp.study.reviews_csv` checks
them). They are staged in a temporary table, then the rest is set-based SQL, so a
history of millions of reviews is never held in memory:

1. rows already in the database (same card, same time) or repeated in the file are
   marked and skipped: importing the same file twice adds nothing;
2. a card id the database does not know becomes a retired placeholder card of the
   given deck, remembering the file and the first line that named it;
3. the new reviews are inserted, in file order;
4. every card that received reviews has its whole scheduled history replayed, a page of
   cards at a time, by the caller's ``replay`` (the scheduler lives above the store),
   given the card's id and its history;
   its scheduling fields and the recall predicted before each imported review are
   written back.

Anything raised while the rows are read (a row that changed since it was checked) rolls
the whole import back: nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby, islice
from typing import Any, NamedTuple, Protocol

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    exists,
    func,
    insert,
    literal,
    select,
    type_coerce,
    update,
)

from quizapp.store.db import Database, larger_cache
from quizapp.store.schema import Card, Review, UTCDateTime

#: rows sent to the database per statement, and cards replayed per page
CHUNK = 5000
PAGE = 1000
#: SQLite page cache of an import, per schema (main and temp), in KiB
CACHE_KIB = 32 * 1024

#: what ``replay`` returns: the card's new fields, and (review id, predicted recall) pairs
Replayed = tuple[dict[str, Any], list[tuple[int, float]]]


class ImportedReview(Protocol):
    """One checked row of a review history."""

    @property
    def line(self) -> int: ...
    @property
    def card_id(self) -> str: ...
    @property
    def rating(self) -> int: ...
    @property
    def reviewed_at(self) -> datetime: ...
    @property
    def duration_ms(self) -> int | None: ...


class HistoryEntry(NamedTuple):
    """One scheduled review of a card, oldest first, as handed to ``replay``."""

    id: int
    rating: int
    reviewed_at: datetime
    kind: str


@dataclass(frozen=True)
class ImportCounts:
    """What an import wrote."""

    rows: int
    imported: int
    new_cards: int
    cards: int


def _staging() -> Table:
    return Table(
        "quizapp_import",
        MetaData(),
        Column("line", Integer, primary_key=True),
        Column("card_id", String(255), nullable=False),
        Column("rating", Integer, nullable=False),
        Column("reviewed_at", UTCDateTime, nullable=False),
        Column("duration_ms", Integer),
        Column("fresh", Boolean, nullable=False, default=False),
        prefixes=["TEMPORARY"],
    )


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _executemany(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """``sql`` (``?`` placeholders) on every row, straight through the driver: a million
    rows through SQLAlchemy's per-row parameter handling would cost seconds."""
    if conn.dialect.paramstyle != "qmark":
        sql = sql.replace("?", "%s")
    conn.exec_driver_sql(sql, rows)


def _stage(conn: Connection, staging: Table, reviews: Iterable[ImportedReview]) -> int:
    # the staging column's own conversion, so the stored times compare equal to the
    # review log's (written through the same type)
    stamp = UTCDateTime().bind_processor(conn.dialect)
    assert stamp is not None
    sql = (
        f"INSERT INTO {staging.name} (line, card_id, rating, reviewed_at, duration_ms, fresh) "
        "VALUES (?, ?, ?, ?, ?, FALSE)"
    )
    rows = 0
    for batch in _batches(reviews, CHUNK):
        _executemany(
            conn,
            sql,
            [(r.line, r.card_id, r.rating, stamp(r.reviewed_at), r.duration_ms) for r in batch],
        )
        rows += len(batch)
    return rows


def _mark_fresh(conn: Connection, staging: Table) -> int:
    """Mark the rows to import: the first of each (card, time) not already stored."""
    same = staging.alias("same")
    first = (
        select(func.min(same.c.line))
        .where(same.c.card_id == staging.c.card_id, same.c.reviewed_at == staging.c.reviewed_at)
        .scalar_subquery()
    )
    stored = exists().where(
        Review.card_id == staging.c.card_id, Review.reviewed_at == staging.c.reviewed_at
    )
    result = conn.execute(
        update(staging).where(staging.c.line == first, ~stored).values(fresh=True)
    )
    return int(result.rowcount)


def _add_placeholders(
    conn: Connection, staging: Table, *, deck: str, source: str, now: datetime
) -> int:
    """A retired card for every card id the database does not know yet.

    Its scheduling fields are those of a new card until the replay sets them.
    """
    known = exists().where(Card.id == staging.c.card_id)
    first_line = func.min(staging.c.line)
    when = literal(now, UTCDateTime())
    rows = (
        select(
            staging.c.card_id,
            literal(deck),
            literal([], JSON()),
            literal("imported card ") + staging.c.card_id,
            literal(""),
            literal("basic"),
            literal(source),
            first_line,
            first_line,
            literal(""),
            literal(True),
            when,
            when,
            when,
            literal(0),
            literal(0),
            when,
            literal(0),
            literal(0),
        )
        .where(~known)
        .group_by(staging.c.card_id)
    )
    columns = [
        "id",
        "deck",
        "topic",
        "front",
        "back",
        "kind",
        "source",
        "line",
        "ordinal",
        "content_hash",
        "retired",
        "retired_at",
        "created_at",
        "updated_at",
        "state",
        "step",
        "due",
        "reviews",
        "lapses",
    ]
    # Counted first: the driver's row count of INSERT … SELECT is not portable (-1 on
    # PostgreSQL through psycopg).
    added = conn.scalar(select(func.count()).select_from(rows.subquery()))
    conn.execute(insert(Card).from_select(columns, rows))
    return int(added or 0)


def _insert_reviews(conn: Connection, staging: Table) -> None:
    rows = (
        select(
            staging.c.card_id,
            staging.c.rating,
            staging.c.reviewed_at,
            staging.c.duration_ms,
            literal("import"),
            literal(False),
            literal(True),
            literal(False),
        )
        .where(staging.c.fresh.is_(True))
        .order_by(staging.c.line)
    )
    columns = [
        "card_id",
        "rating",
        "reviewed_at",
        "duration_ms",
        "kind",
        "auto",
        "scheduled",
        "introduced",
    ]
    conn.execute(insert(Review).from_select(columns, rows))


def _touched_pages(conn: Connection, staging: Table) -> Iterator[list[str]]:
    """The ids of the cards that received reviews, a page at a time (keyset paging, so
    the full list is never in memory)."""
    last = ""
    while True:
        page = list(
            conn.scalars(
                select(staging.c.card_id)
                .where(staging.c.fresh.is_(True), staging.c.card_id > last)
                .group_by(staging.c.card_id)
                .order_by(staging.c.card_id)
                .limit(PAGE)
            )
        )
        if not page:
            return
        yield page
        last = page[-1]


def _utc(value: datetime | str) -> datetime:
    # Read back without SQLAlchemy's per-row processing: SQLite hands out the text the
    # store wrote (ISO 8601, UTC), PostgreSQL a naive UTC datetime.
    if isinstance(value, str):
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    return value.replace(tzinfo=UTC)


def _replay_page(
    conn: Connection,
    card_ids: Sequence[str],
    replay: Callable[[str, Sequence[HistoryEntry]], Replayed],
) -> None:
    # Locked (on PostgreSQL; SQLite's write lock is already held): a review made
    # meanwhile is not overwritten by the replayed state.
    conn.execute(select(Card.id).where(Card.id.in_(card_ids)).with_for_update()).all()
    history = conn.execute(
        select(
            Review.card_id,
            Review.id,
            Review.rating,
            type_coerce(Review.reviewed_at, String()),
            Review.kind,
        )
        .where(Review.card_id.in_(card_ids), Review.scheduled.is_(True))
        .order_by(Review.card_id, Review.reviewed_at, Review.id)
    ).all()
    cards: list[dict[str, Any]] = []
    predictions: list[tuple[float, int]] = []
    for card_id, rows in groupby(history, key=lambda row: row[0]):
        entries = [HistoryEntry(row[1], row[2], _utc(row[3]), row[4]) for row in rows]
        fields, predicted = replay(card_id, entries)
        # bound under other names: a column's own name is reserved in executemany
        cards.append({"b_id": card_id, **{f"b_{key}": value for key, value in fields.items()}})
        predictions.extend((p, rid) for rid, p in predicted)
    if cards:
        columns: dict[str, Any] = {key[2:]: bindparam(key) for key in cards[0] if key != "b_id"}
        conn.execute(update(Card).where(Card.id == bindparam("b_id")).values(columns), cards)
    for batch in _batches(predictions, CHUNK):
        _executemany(conn, "UPDATE reviews SET retrievability = ? WHERE id = ?", batch)


def import_review_rows(
    db: Database,
    reviews: Iterable[ImportedReview],
    *,
    deck: str,
    source: str,
    now: datetime,
    replay: Callable[[str, Sequence[HistoryEntry]], Replayed],
) -> ImportCounts:
    """Import ``reviews`` in one transaction (see the module doc); returns the counts."""
    staging = _staging()
    # Exclusive: the same file imported twice at once is imported once.
    with db.session(exclusive=True) as s, larger_cache(s.connection(), CACHE_KIB):
        conn = s.connection()
        staging.create(conn)
        rows = _stage(conn, staging, reviews)
        # built once over all the rows: cheaper than keeping it up to date while staging
        Index("ix_quizapp_import_key", staging.c.card_id, staging.c.reviewed_at).create(conn)
        imported = _mark_fresh(conn, staging)
        new_cards = _add_placeholders(conn, staging, deck=deck, source=source, now=now)
        _insert_reviews(conn, staging)
        cards = 0
        for page in _touched_pages(conn, staging):
            _replay_page(conn, page, replay)
            cards += len(page)
        staging.drop(conn)
    return ImportCounts(rows=rows, imported=imported, new_cards=new_cards, cards=cards)
