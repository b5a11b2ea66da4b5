"""Copy a whole collection into an empty database: to move it (SQLite → PostgreSQL and
back) or to back it up while it is in use.

The source is read in one read-only transaction (a snapshot: reviews committed by
others meanwhile are either all in the copy or not at all); the target is written in
one transaction, so an interrupted copy leaves it empty and the copy can be run again.
Rows keep their ids, so interview answers still point at their reviews.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, func, insert, inspect, select, text
from sqlalchemy.exc import DBAPIError, OperationalError

from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.storable import MAX_PATH_BYTES
from quizapp.store.db import Database, friendly_error, open_db
from quizapp.store.errors import StoreError
from quizapp.store.schema import Card, DeckFile, Interview, InterviewAnswer, Meta, Review

#: tables in the order they are copied (a row's references are copied before it)
TABLES: tuple[tuple[str, Table], ...] = tuple(
    (label, cast(Table, model.__table__))
    for label, model in (
        ("settings", Meta),
        ("deck files", DeckFile),
        ("cards", Card),
        ("reviews", Review),
        ("interviews", Interview),
        ("interview answers", InterviewAnswer),
    )
)
_BATCH = 2000
#: text columns under an index, whose values every backend must be able to index
_INDEXED_PATHS = {"cards": ("source",), "deck_files": ("path",)}

#: called as ``progress(table label, rows copied so far, rows in the table)``
Progress = Callable[[str, int, int], None]


class TargetNotEmptyError(StoreError):
    """The target database already holds a collection."""


@dataclass(frozen=True)
class CopyReport:
    """What was copied: rows per table (by label) and the retired cards among them."""

    counts: dict[str, int]
    retired: int

    @property
    def total(self) -> int:
        """Rows copied in all."""
        return sum(self.counts.values())


def _counts(conn: Connection) -> dict[str, int]:
    return {
        label: int(conn.scalar(select(func.count()).select_from(table)) or 0)
        for label, table in TABLES
    }


def _retired(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).where(Card.retired.is_(True))) or 0)


@contextmanager
def _snapshot(db: Database) -> Iterator[Connection]:
    """A read transaction that sees one moment of the source, whatever writes meanwhile."""
    engine = db.engine
    if not db.is_sqlite:
        # READ COMMITTED would let each statement see newer commits.
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as conn, conn.begin():
            yield conn
    except (OperationalError, DBAPIError) as exc:
        raise friendly_error(exc, db.where) from exc


def _holds_collection(target: Database) -> bool:
    with target.engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        return any(
            conn.scalar(select(func.count()).select_from(table)) for _, table in TABLES
            if table.name in present
        )  # fmt: skip


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL hands out ids from sequences: start them after the copied ids."""
    for _, table in TABLES:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{pk[0].name}'), "
                f"COALESCE((SELECT max({pk[0].name}) FROM {table.name}), 0) + 1, false)"
            )
        )


def _check_storable(label: str, table: Table, row: dict[str, object], where: str) -> None:
    """Raise :class:`StoreError` naming ``row`` when a value is over what every backend
    stores (:mod:`quizapp.deckfile.storable`); an older collection may hold one."""
    for column in table.columns:
        value = row.get(column.name)
        if not isinstance(value, str):
            continue
        limit = getattr(column.type, "length", None)
        if column.name in _INDEXED_PATHS.get(table.name, ()):
            size = len(value.encode("utf-8", "surrogateescape"))
            over = size > MAX_PATH_BYTES
            what = f"{size:,} bytes, over the {MAX_PATH_BYTES:,} a database can index"
        else:
            over = isinstance(limit, int) and len(value) > limit
            what = f"{len(value):,} characters, over the {limit} it may have"
        if over:
            key = ", ".join(str(row.get(c.name)) for c in table.primary_key.columns)
            raise StoreError(
                f"{where}: cannot copy {label} row {quoted(key)}: its {column.name} is "
                f"{what} (the same on every backend); nothing was written"
            )


def copy_collection(
    source: Database, target_url: str, *, progress: Progress | None = None
) -> CopyReport:
    """Copy everything in ``source`` into the empty database at ``target_url``.

    Raises :class:`TargetNotEmptyError` when the target already holds cards, reviews,
    interviews, settings or deck files, and :class:`StoreError` when the counts read
    back from the target differ from the source's.
    """
    target = open_db(target_url)
    try:
        if source.engine.url == target.engine.url:
            raise TargetNotEmptyError(
                f"{target.where}: is the database being copied; name another target"
            )
        if _holds_collection(target):
            raise TargetNotEmptyError(
                f"{target.where}: already holds a collection; copy into a new, empty "
                "database (nothing was written)"
            )
        with _snapshot(source) as src:
            counts = _counts(src)
            retired = _retired(src)
            try:
                with target.engine.begin() as dst:
                    for label, table in TABLES:
                        done = 0
                        if progress:
                            progress(label, 0, counts[label])
                        rows = src.execute(
                            select(table).order_by(*table.primary_key.columns),
                            execution_options={"yield_per": _BATCH},  # streamed, not loaded
                        )
                        for batch in rows.mappings().partitions():
                            values = [dict(r) for r in batch]
                            for row in values:
                                _check_storable(label, table, row, target.where)
                            dst.execute(insert(table), values)
                            done += len(batch)
                            if progress:
                                progress(label, done, counts[label])
                    if not target.is_sqlite:
                        _reset_sequences(dst)
            except (OperationalError, DBAPIError) as exc:
                raise friendly_error(exc, target.where) from exc
        with target.engine.connect() as conn:
            copied = _counts(conn)
            if not target.is_sqlite:
                # Fresh statistics for the planner: a bulk load leaves it guessing
                # until autovacuum comes round.
                conn.execute(text("ANALYZE"))
                conn.commit()
        if copied != counts:
            diff = ", ".join(
                f"{label} {counts[label]} → {copied[label]}"
                for label in counts
                if counts[label] != copied[label]
            )
            raise StoreError(f"{target.where}: the copy does not match the source ({diff})")
        return CopyReport(counts=counts, retired=retired)
    finally:
        target.close()
