"""What a user asks of a study session or an interview: one options object for each,
made by the command line (or the home screen) and handed down unchanged to the app,
its screen and the session."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: questions an interview asks unless told otherwise
DEFAULT_QUESTIONS = 10


@dataclass(frozen=True)
class StudyOptions:
    """A study session: which cards, how many, and the seed of drawn numbers."""

    #: only cards of this deck or topic (see ``matches_topic``)
    topic: str | None = None
    #: stop after this many ratings
    limit: int | None = None
    #: fixes the numbers drawn for computational cards (tests, benchmarks)
    seed: int | None = None


@dataclass(frozen=True)
class InterviewOptions:
    """A mock interview: how many questions, how long, on what, and where the report
    goes."""

    questions: int = DEFAULT_QUESTIONS
    #: time for the whole interview (default: two minutes per question)
    minutes: float | None = None
    #: decks or topics to draw from (empty: every top-level topic)
    topics: tuple[str, ...] = ()
    #: whether answers reschedule the cards like study reviews
    reschedule: bool = False
    #: fixes the questions drawn and their numbers
    seed: int | None = None
    #: the file the report is also written to, as markdown
    report: Path | None = None
