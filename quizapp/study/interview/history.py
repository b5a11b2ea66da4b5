"""Past interviews, for the list of scores over time."""

from __future__ import annotations

from dataclasses import dataclass

from quizapp.store.db import Database
from quizapp.store.interviews import StoredInterview, stored_interviews
from quizapp.study.interview.scoring import MAX_SCORE


@dataclass(frozen=True)
class InterviewSummary(StoredInterview):
    """A past interview, for the list of scores over time."""

    @property
    def max_score(self) -> int:
        """Points available for the questions answered."""
        return MAX_SCORE * self.answered

    @property
    def percent(self) -> int:
        """Score as a whole percentage (0 with no answers)."""
        return round(100 * self.score / self.max_score) if self.answered else 0


def list_interviews(db: Database) -> list[InterviewSummary]:
    """Every stored interview, oldest first, scored from its stored answers (so an
    interview that was interrupted shows what was answered)."""
    return [InterviewSummary(**vars(r)) for r in stored_interviews(db)]
