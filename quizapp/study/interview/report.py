"""What an interview report holds: each answer, the scores per topic, the weak spots."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from quizapp.study.interview.plan import QuestionKind
from quizapp.study.interview.scoring import MAX_SCORE

#: a topic under this share of its points is suggested for study
WEAK_TOPIC_SHARE = 2 / 3
#: how many weak cards the report lists
WEAKEST_LIMIT = 5


@dataclass(frozen=True)
class AnswerRecord:
    """How one question went, as stored and reported."""

    position: int
    card_id: str
    topic: str
    kind: QuestionKind
    #: the question as asked (parameters filled in for computational ones)
    prompt: str
    score: int
    seconds: float
    source: str
    line: int
    #: what was typed (computational questions)
    answer: str | None = None
    params: dict[str, object] | None = None
    #: correct / partial / wrong / invalid (computational questions)
    verdict: str | None = None
    #: the grader's message about the typed answer
    message: str | None = None
    #: the reference answer and its derivation (computational questions)
    truth: str | None = None
    derivation: str | None = None
    review_id: int | None = None


@dataclass(frozen=True)
class TopicScore:
    """Points of one topic in an interview."""

    topic: str
    questions: int
    score: int
    seconds: float

    @property
    def max_score(self) -> int:
        """Points available."""
        return MAX_SCORE * self.questions

    @property
    def share(self) -> float:
        """Score as a fraction of the points available."""
        return self.score / self.max_score if self.questions else 0.0


@dataclass(frozen=True)
class InterviewReport:
    """Everything the end-of-interview report shows."""

    interview_id: int
    started_at: datetime
    finished_at: datetime
    #: questions planned (the answers may be fewer when the interview was stopped)
    planned: int
    budget_seconds: float | None
    topics: tuple[str, ...]
    reschedule: bool
    answers: tuple[AnswerRecord, ...] = field(default=())

    @property
    def score(self) -> int:
        """Points scored."""
        return sum(a.score for a in self.answers)

    @property
    def max_score(self) -> int:
        """Points available for the questions answered."""
        return MAX_SCORE * len(self.answers)

    @property
    def percent(self) -> int:
        """Score as a whole percentage of the points available (0 with no answers)."""
        return round(100 * self.score / self.max_score) if self.answers else 0

    @property
    def seconds(self) -> float:
        """Time spent answering."""
        return sum(a.seconds for a in self.answers)

    def overtime(self, answer: AnswerRecord) -> bool:
        """Whether ``answer`` took longer than the per-question budget."""
        return self.budget_seconds is not None and answer.seconds > self.budget_seconds

    def per_topic(self) -> list[TopicScore]:
        """Scores by topic, in the order of :attr:`topics` (topics not asked left out)."""
        groups: dict[str, list[AnswerRecord]] = defaultdict(list)
        for a in self.answers:
            groups[a.topic].append(a)
        order = [t for t in self.topics if t in groups] + sorted(set(groups) - set(self.topics))
        return [
            TopicScore(
                t,
                len(groups[t]),
                sum(a.score for a in groups[t]),
                sum(a.seconds for a in groups[t]),
            )
            for t in order
        ]

    def weakest(self, limit: int = WEAKEST_LIMIT) -> list[AnswerRecord]:
        """Answers below full marks, lowest score first (then the slowest)."""
        below = [a for a in self.answers if a.score < MAX_SCORE]
        below.sort(key=lambda a: (a.score, -a.seconds, a.position))
        return below[:limit]

    def weak_topics(self) -> list[TopicScore]:
        """Topics under :data:`WEAK_TOPIC_SHARE` of their points, weakest first."""
        weak = [t for t in self.per_topic() if t.share < WEAK_TOPIC_SHARE]
        return sorted(weak, key=lambda t: (t.share, t.topic))
