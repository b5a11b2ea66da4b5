"""Stored interviews: the ``interviews`` row of each mock interview and its history.

The answers themselves are written with their reviews
(:func:`quizapp.store.reviews.append_review` with an ``attach``ed row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select

from quizapp.store.db import Database
from quizapp.store.schema import Interview, InterviewAnswer, Review


@dataclass(frozen=True)
class StoredInterview:
    """A past interview, scored from its stored answers."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    questions: int
    answered: int
    score: int
    minutes: float | None
    topics: tuple[str, ...]


def create_interview(
    db: Database,
    *,
    started_at: datetime,
    questions: int,
    minutes: float,
    topics: Sequence[str],
    reschedule: bool,
) -> int:
    """Store a new interview; returns its id."""
    with db.session() as s:
        row = Interview(
            started_at=started_at,
            questions=questions,
            minutes=float(minutes),
            topics=list(topics),
            reschedule=reschedule,
        )
        s.add(row)
        s.flush()
        return row.id


def finish_interview(
    db: Database,
    interview_id: int,
    *,
    finished_at: datetime,
    score: int,
    max_score: int,
    report: str,
) -> None:
    """Store the end of an interview: its time, score and markdown report."""
    with db.session() as s:
        row = s.get(Interview, interview_id)
        if row is not None:
            row.finished_at = finished_at
            row.score = float(score)
            row.max_score = float(max_score)
            row.report = report


def forget_interview(db: Database, interview_id: int) -> None:
    """Delete an interview that has no answer."""
    with db.session() as s:
        s.execute(delete(Interview).where(Interview.id == interview_id))


def stored_interviews(db: Database) -> list[StoredInterview]:
    """Every stored interview, oldest first, scored from its stored answers (so an
    interview that was interrupted shows what was answered)."""
    with db.session(write=False) as s:
        totals = {
            int(iid): (int(n), int(points or 0))
            for iid, n, points in s.execute(
                select(
                    InterviewAnswer.interview_id,
                    func.count(),
                    func.sum(InterviewAnswer.score),
                ).group_by(InterviewAnswer.interview_id)
            )
        }
        rows = s.scalars(select(Interview).order_by(Interview.started_at, Interview.id)).all()
        return [
            StoredInterview(
                id=r.id,
                started_at=r.started_at,
                finished_at=r.finished_at,
                questions=r.questions,
                answered=totals.get(r.id, (0, 0))[0],
                score=totals.get(r.id, (0, 0))[1],
                minutes=r.minutes,
                topics=tuple(r.topics),
            )
            for r in rows
        ]


def again_counts(db: Database, since: datetime) -> dict[str, int]:
    """Per card, its *Again* ratings (study or interview) since ``since``."""
    with db.session(write=False) as s:
        return {
            str(card_id): int(n)
            for card_id, n in s.execute(
                select(Review.card_id, func.count())
                .where(Review.rating == 1, Review.reviewed_at >= since)
                .group_by(Review.card_id)
            )
        }
