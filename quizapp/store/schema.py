"""The database schema (SQLAlchemy 2 typed ORM). Changes go through Alembic migrations."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, whatever the backend stores."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use UTC-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


#: the most characters of a typed answer the review log keeps
MAX_ANSWER_CHARS = 2000


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    code = ord(match.group())
    # A byte that was not UTF-8 (a Latin-1 terminal typing é) reaches Python as a
    # surrogate escape; it is kept as the byte it was.
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def storable_text(value: str) -> str:
    """``value`` as every backend can store it: lone surrogates (which UTF-8 cannot
    encode) written as ``\\xff`` / ``\\udc00`` escapes, NUL characters (which PostgreSQL
    text refuses) removed."""
    if "\x00" in value:
        value = value.replace("\x00", "")
    return _SURROGATE.sub(_escape_surrogate, value)


class BoundedText(TypeDecorator[str]):
    """Text stored up to ``limit`` characters; a longer value is cut there and ends
    with a note saying how long it was. A typed answer is the user's input, and a
    pasted megabyte must not grow the review log by a megabyte."""

    impl = Text
    cache_ok = True

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        value = storable_text(value)
        if len(value) <= self.limit:
            return value
        return value[: self.limit] + f"… [cut: {len(value):,} characters, {self.limit:,} kept]"

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else str(value)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Card(Base):
    """A card from a deck file, with its FSRS state. Retired cards keep their rows."""

    __tablename__ = "cards"

    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    deck: Mapped[str] = mapped_column(String(255))
    topic: Mapped[list[str]] = mapped_column(JSON)
    front: Mapped[str] = mapped_column(Text)
    back: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(8))
    cloze: Mapped[int | None] = mapped_column(Integer)
    quiz: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    parent: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    line: Mapped[int] = mapped_column(Integer)
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    content_hash: Mapped[str] = mapped_column(String(64))
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # FSRS state: 0 new (never reviewed), then py-fsrs's 1 learning, 2 review, 3 relearning
    state: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[int | None] = mapped_column(Integer, default=0)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(UTCDateTime)
    last_review: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    buried_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: kept out of study until unsuspended (on every machine)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: the cards of one note share this (cloze siblings, both directions of a two-way
    #: card): once one was studied, the others wait for the next day. None: no siblings
    note: Mapped[str | None] = mapped_column(String(255))

    __table_args__ = (
        Index("ix_cards_queue", "retired", "state", "due"),
        Index("ix_cards_new_order", "retired", "state", "source", "ordinal"),
        Index("ix_cards_source", "source"),
        Index("ix_cards_note", "note"),
    )


class Review(Base):
    """One review: the rating, what was typed and the card's state before it (for undo)."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    card_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("cards.id", onupdate="CASCADE", ondelete="CASCADE")
    )
    rating: Mapped[int] = mapped_column(Integer)
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16), default="study")
    auto: Mapped[bool] = mapped_column(Boolean, default=False)
    scheduled: Mapped[bool] = mapped_column(Boolean, default=True)
    #: the card's first scheduled review (counts against the new-cards-per-day limit)
    introduced: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[str | None] = mapped_column(BoundedText(MAX_ANSWER_CHARS))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    verdict: Mapped[str | None] = mapped_column(String(16))
    #: predicted recall probability just before the review (for calibration)
    retrievability: Mapped[float | None] = mapped_column(Float)
    #: the card's scheduling fields before the review, restored by undo
    prev: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: the card's state before the review (2: a due review, counted against the
    #: reviews-per-day limit); None for reviews recorded before it was kept
    prev_state: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_reviews_card", "card_id", "reviewed_at"),
        Index("ix_reviews_time", "reviewed_at"),
    )


class DeckFile(Base):
    """A synced deck file and the hash of its content, so unchanged files are skipped."""

    __tablename__ = "deck_files"

    path: Mapped[str] = mapped_column(Text, primary_key=True)
    deck: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Meta(Base):
    """Settings and fitted scheduler parameters, as JSON values by key."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Interview(Base):
    """A mock interview session."""

    __tablename__ = "interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    questions: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[float | None] = mapped_column(Float)
    topics: Mapped[list[str]] = mapped_column(JSON)
    reschedule: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    report: Mapped[str | None] = mapped_column(Text)


class InterviewAnswer(Base):
    """One question of a mock interview and how it went."""

    __tablename__ = "interview_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    interview_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("interviews.id", ondelete="CASCADE")
    )
    position: Mapped[int] = mapped_column(Integer)
    card_id: Mapped[str] = mapped_column(
        String(255), ForeignKey("cards.id", onupdate="CASCADE", ondelete="CASCADE")
    )
    prompt: Mapped[str] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(BoundedText(MAX_ANSWER_CHARS))
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    verdict: Mapped[str | None] = mapped_column(String(16))
    #: 0-3: self-score for open questions, from the verdict for computational ones
    score: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    review_id: Mapped[int | None] = mapped_column(
        Integer, ForeignKey("reviews.id", ondelete="SET NULL")
    )
