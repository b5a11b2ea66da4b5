"""Mock interviews: which questions to ask, how answers are scored, and the report.

Headless: the line mode (``quizapp interview --plain``) and the app's interview screen
both drive an :class:`InterviewSession`.

**Drawing the questions.** The *topics* of an interview are the ``--topic`` filters
given, else every top-level topic of the active cards (``deck › first heading``, or
the deck alone for cards without a heading). Every chosen topic gets one question while
N allows (when there are more topics than questions, the topics asked are drawn with
their mean card weight, so weak topics are covered first); the remaining questions are
drawn from all cards of the chosen topics. Draws are weighted toward weak cards::

    weight = 0.05 + (1 − retrievability) + 0.25 × min(fails, 4)     reviewed cards
    weight = 0.5 + 0.25 × min(fails, 4)                               new cards

where ``fails`` counts the card's *Again* ratings (study or interview) in the last
30 days. At most one card of a family is asked: the quiz cards of one parent, and the
cloze cards of one note, are variants of the same question. The order of the questions
is shuffled; with a seed, the questions, their order and the drawn parameters repeat.

**Time.** ``minutes`` is the budget of the whole interview (default 2 minutes per
question), shown as a per-question budget (``minutes × 60 / questions``). Going over is
not stopped, only marked as overtime in the report. A question's time runs from showing
it until the answer is typed (computational) or revealed (open).

**Scoring**, 0–3 per question. Open questions are self-scored after the reference
answer is shown (0 blank, 1 weak, 2 good, 3 complete). Computational questions are
graded by the reference model: correct 3, partly correct 2 when at least half of the
parts are right (else 1), wrong or not a number 0.

**The review log.** Every answer is logged as a review of kind ``"interview"``; the
card's schedule changes only with ``reschedule``. The rating logged is the self-score
mapped 0→Again 1→Hard 2→Good 3→Easy for open questions, and the grader's rating
(correct and fast → Easy, …, wrong → Again) for computational ones.

**Storage.** An ``interviews`` row is written when the interview starts; each answer is
committed (its review, then its ``interview_answers`` row) before the next question is
shown, so a killed interview keeps every answer given; :meth:`InterviewSession.finish`
stores the score and the markdown report.
"""

from __future__ import annotations

import os
import random
import shlex
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from quizapp.present.card import question_text
from quizapp.present.safe import visible
from quizapp.store.db import Database
from quizapp.store.queries import list_cards
from quizapp.store.schema import Interview, InterviewAnswer, Review
from quizapp.store.views import CardView
from quizapp.study.service import StudyService, matches_topic

DEFAULT_QUESTIONS = 10
DEFAULT_MINUTES_PER_QUESTION = 2.0
MAX_SCORE = 3
#: what the self-scores mean, shown at the score prompt
SCORE_NAMES = {0: "blank", 1: "weak", 2: "good", 3: "complete"}
#: FSRS rating logged for a self-score: 0→Again 1→Hard 2→Good 3→Easy
RATING_FOR_SCORE = {0: 1, 1: 2, 2: 3, 3: 4}

#: weight of a never-reviewed card (about that of a card with 50 % recall)
NEW_WEIGHT = 0.5
#: weight every card has, so well-known cards can still come up
WEIGHT_FLOOR = 0.05
#: extra weight per recent Again rating, counted up to FAIL_CAP of them
FAIL_BONUS = 0.25
FAIL_CAP = 4
#: how far back an Again rating counts as a recent failure
RECENT = timedelta(days=30)
#: a topic under this share of its points is suggested for study
WEAK_TOPIC_SHARE = 2 / 3
#: how many weak cards the report lists
WEAKEST_LIMIT = 5

QuestionKind = Literal["open", "computational"]


class NothingToAskError(LookupError):
    """No active card matches the interview's topics."""


# -- planning -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Weakness:
    """What the planner knows about how well a card is known."""

    #: predicted recall now; None for a card never reviewed
    retrievability: float | None
    #: Again ratings (study or interview) within :data:`RECENT`
    recent_fails: int = 0


def card_weight(w: Weakness) -> float:
    """The draw weight of a card: larger for weaker cards (see the module docstring)."""
    bonus = FAIL_BONUS * min(w.recent_fails, FAIL_CAP)
    if w.retrievability is None:
        return NEW_WEIGHT + bonus
    return WEIGHT_FLOOR + (1.0 - min(max(w.retrievability, 0.0), 1.0)) + bonus


def top_level_topic(card: CardView) -> str:
    """``deck › first heading`` of a card (the deck alone when it has no heading)."""
    return " › ".join((card.deck, *card.topic[:1]))


def topic_for(card: CardView, topics: Sequence[str] | None) -> str | None:
    """The chosen topic ``card`` counts for: the first filter it matches, or its
    top-level topic when no filters are given; None when it matches no filter."""
    if not topics:
        return top_level_topic(card)
    for t in topics:
        if matches_topic(t, card.deck, card.topic):
            return t
    return None


def family(card: CardView) -> str:
    """Cards of one family are variants of one question; an interview asks one of them."""
    if card.kind == "quiz" and card.parent:
        return "quiz:" + card.parent
    if card.kind == "cloze" and "/" in card.id:
        return "cloze:" + card.id.rsplit("/", 1)[0]
    return card.id


@dataclass(frozen=True)
class Question:
    """One planned question of an interview."""

    position: int
    card: CardView
    #: the chosen topic the question counts for in the report
    topic: str
    weight: float
    weakness: Weakness

    @property
    def kind(self) -> QuestionKind:
        """``computational`` for a quiz card (auto-graded), else ``open`` (self-scored)."""
        return "computational" if self.card.kind == "quiz" and self.card.quiz else "open"


def _weighted_pick(items: Sequence[tuple[float, int]], rng: random.Random) -> int:
    """Index (into ``items``) of one draw, with probability ∝ weight."""
    total = sum(w for w, _ in items)
    x = rng.random() * total
    for i, (w, _) in enumerate(items):
        x -= w
        if x < 0:
            return i
    return len(items) - 1


def plan_questions(
    cards: Sequence[CardView],
    weakness: Mapping[str, Weakness],
    *,
    questions: int,
    topics: Sequence[str] | None,
    rng: random.Random,
) -> list[Question]:
    """Choose up to ``questions`` cards: every chosen topic covered while ``questions``
    allows, the rest drawn with probability ∝ :func:`card_weight`, one card per family.

    Deterministic for a given ``rng`` state (cards are considered in id order).
    """
    if questions < 1:
        return []
    pool: dict[str, list[CardView]] = defaultdict(list)
    for card in sorted(cards, key=lambda c: c.id):
        if card.retired or (card.kind == "quiz" and card.quiz is None):
            continue
        t = topic_for(card, topics)
        if t is not None:
            pool[t].append(card)
    default = Weakness(retrievability=None)

    def weight(card: CardView) -> float:
        return card_weight(weakness.get(card.id, default))

    # Topics to cover first, weak topics (high mean weight) more likely when not all fit.
    order = list(topics) if topics else sorted(pool)
    candidates = [t for t in order if pool.get(t)]
    covered: list[str] = []
    while candidates and len(covered) < questions:
        items = [(sum(map(weight, pool[t])) / len(pool[t]), i) for i, t in enumerate(candidates)]
        covered.append(candidates.pop(_weighted_pick(items, rng)))

    chosen: list[tuple[CardView, str]] = []
    families: set[str] = set()

    def draw(from_topics: Iterable[str]) -> bool:
        options = [
            (card, t) for t in from_topics for card in pool[t] if family(card) not in families
        ]
        if not options:
            return False
        card, t = options[_weighted_pick([(weight(c), i) for i, (c, _) in enumerate(options)], rng)]
        chosen.append((card, t))
        families.add(family(card))
        return True

    for t in covered:
        draw([t])
    while len(chosen) < questions and draw(covered):
        pass
    rng.shuffle(chosen)
    return [
        Question(i, card, t, weight(card), weakness.get(card.id, default))
        for i, (card, t) in enumerate(chosen, start=1)
    ]


def load_weakness(svc: StudyService, cards: Sequence[CardView]) -> dict[str, Weakness]:
    """Retrievability now and recent Again ratings of each card."""
    since = svc.now() - RECENT
    with svc.db.session(write=False) as s:
        fails: dict[str, int] = {
            str(card_id): int(n)
            for card_id, n in s.execute(
                select(Review.card_id, func.count())
                .where(Review.rating == 1, Review.reviewed_at >= since)
                .group_by(Review.card_id)
            )
        }
    return {
        c.id: Weakness(
            retrievability=None if c.state == "new" else svc.retrievability(c),
            recent_fails=fails.get(c.id, 0),
        )
        for c in cards
    }


def plan_interview(
    svc: StudyService,
    *,
    questions: int = DEFAULT_QUESTIONS,
    topics: Sequence[str] | None = None,
    rng: random.Random,
) -> list[Question]:
    """Plan an interview on the database's active cards (see :func:`plan_questions`)."""
    cards = list_cards(svc.db)
    return plan_questions(
        cards, load_weakness(svc, cards), questions=questions, topics=topics, rng=rng
    )


# -- answers and the report ------------------------------------------------------------


def score_for_verdict(status: str, parts_right: int = 0, parts: int = 1) -> int:
    """The 0–3 score of a graded computational answer."""
    if status == "correct":
        return MAX_SCORE
    if status == "partial":
        return 2 if 2 * parts_right >= parts else 1
    return 0


def rating_for_score(score: int) -> int:
    """The FSRS rating (1–4) logged for a self-scored open answer."""
    return RATING_FOR_SCORE[score]


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


def format_clock(seconds: float) -> str:
    """``m:ss`` (``h:mm:ss`` past an hour)."""
    total = max(0, int(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02}:{s:02}" if h else f"{m}:{s:02}"


def study_command(topic: str) -> str:
    """The command that studies ``topic``, quoted for a shell."""
    return f"quizapp study --topic {shlex.quote(topic)}"


def _one_line(text: str, limit: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _md_cell(text: str) -> str:
    return _one_line(text).replace("\\", "\\\\").replace("|", "\\|")


def _md_code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _result(report: InterviewReport, a: AnswerRecord) -> str:
    if a.kind == "open":
        return "self-scored"
    mark = {"correct": "✓ correct", "partial": "~ partly correct"}.get(a.verdict or "", "✗ wrong")
    return mark


def _time(report: InterviewReport, a: AnswerRecord) -> str:
    return format_clock(a.seconds) + (" (over)" if report.overtime(a) else "")


def _local(when: datetime) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


def _where(a: AnswerRecord) -> str:
    return f"{Path(a.source).name}:{a.line}"


def report_markdown(report: InterviewReport) -> str:
    """The report as a markdown document (what ``--report FILE`` writes); control
    characters from deck text are made visible, so ``cat``-ing the file is safe."""
    r = report
    lines = [f"# Mock interview — {_local(r.started_at)}", ""]
    answered = f"{len(r.answers)} of {r.planned} questions answered"
    if len(r.answers) == r.planned:
        answered = f"{r.planned} questions"
    lines.append(f"**Score: {r.score}/{r.max_score} ({r.percent}%)** · {answered}")
    lines.append("")
    budget = f" · budget {format_clock(r.budget_seconds)} per question" if r.budget_seconds else ""
    lines.append(f"Time: {format_clock(r.seconds)}{budget}")
    lines.append("")
    lines.append(
        "Schedule: answers rescheduled the cards (--reschedule)."
        if r.reschedule
        else "Schedule: unchanged (answers logged as interview reviews)."
    )
    lines += ["", "## Score per topic", "", "| topic | questions | score | % | time |"]
    lines.append("|---|---:|---:|---:|---:|")
    for t in r.per_topic():
        lines.append(
            f"| {_md_cell(t.topic)} | {t.questions} | {t.score}/{t.max_score} "
            f"| {round(100 * t.share)}% | {format_clock(t.seconds)} |"
        )
    lines += ["", "## Questions", "", "| # | question | topic | result | time | score |"]
    lines.append("|---:|---|---|---|---:|---:|")
    for a in r.answers:
        lines.append(
            f"| {a.position} | {_md_cell(a.prompt)} | {_md_cell(a.topic)} | {_result(r, a)} "
            f"| {_time(r, a)} | {a.score}/{MAX_SCORE} |"
        )
    lines += ["", "## Weakest cards", ""]
    weakest = r.weakest()
    if not weakest:
        lines.append("None: every answer scored 3/3.")
    for a in weakest:
        lines.append(
            f"- **{_md_cell(a.prompt)}** — {a.score}/{MAX_SCORE}, {_time(r, a)} "
            f"({_md_cell(a.topic)}, {_md_code(_where(a))})"
        )
        if a.kind == "computational" and a.truth is not None:
            typed = _md_code(a.answer.strip()) if a.answer and a.answer.strip() else "nothing"
            lines.append(f"  - typed {typed}; the answer is {_md_code(a.truth)}")
    lines += ["", "## What to study next", ""]
    weak_topics = r.weak_topics()
    for t in weak_topics:
        lines.append(
            f"- {_md_cell(t.topic)} ({t.score}/{t.max_score}): {_md_code(study_command(t.topic))}"
        )
    if not weak_topics:
        lines.append(
            "Every topic scored at least 2/3 per question: keep up the daily "
            f"{_md_code('quizapp study')}."
        )
    return visible("\n".join(lines) + "\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    flat = " ".join(text.split())
    if _width(flat) <= width:
        return flat
    out = ""
    for ch in flat:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def report_text(report: InterviewReport) -> str:
    """The report for a terminal: aligned columns, no markdown."""
    r = report
    lines = [f"Mock interview — {_local(r.started_at)}"]
    lines.append(
        f"Score: {r.score}/{r.max_score} ({r.percent}%) · {len(r.answers)} of {r.planned} "
        f"questions · {format_clock(r.seconds)}"
        + (f" (budget {format_clock(r.budget_seconds)} per question)" if r.budget_seconds else "")
    )
    lines += ["", "Per topic:"]
    rows = [["topic", "questions", "score", "%", "time"]]
    rows += [
        [
            _clip(t.topic, 48),
            str(t.questions),
            f"{t.score}/{t.max_score}",
            f"{round(100 * t.share)}%",
            format_clock(t.seconds),
        ]
        for t in r.per_topic()
    ]
    lines += ["  " + row for row in _table(rows)]
    lines += ["", "Questions:"]
    rows = [["#", "question", "result", "time", "score"]]
    rows += [
        [str(a.position), _clip(a.prompt, 48), _result(r, a), _time(r, a), f"{a.score}/3"]
        for a in r.answers
    ]
    lines += ["  " + row for row in _table(rows)]
    lines += ["", "Weakest cards:"]
    weakest = r.weakest()
    if not weakest:
        lines.append("  none: every answer scored 3/3")
    for a in weakest:
        lines.append(f"  {a.score}/3  {_clip(a.prompt, 60)}  ({_where(a)})")
        if a.kind == "computational" and a.truth is not None:
            lines.append(f"        the answer is {a.truth}")
    lines += ["", "Study next:"]
    weak_topics = r.weak_topics()
    for t in weak_topics:
        lines.append(f"  {study_command(t.topic)}    # {t.score}/{t.max_score}")
    if not weak_topics:
        lines.append("  every topic scored at least 2/3 per question; keep up `quizapp study`")
    return visible("\n".join(lines))


def report_target_problem(path: Path) -> str | None:
    """Why ``path`` cannot take a report (checked before an interview starts), or None."""
    if path.is_dir():
        return f"{path}: is a folder"
    folder = path.parent
    if not folder.is_dir():
        return f"{folder}: no such folder"
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return f"{path}: not writable"
    return None


def save_report(path: Path, report: InterviewReport) -> None:
    """Write the markdown report to ``path`` through a temporary file in the same
    folder, so an interrupted write never leaves half a report."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(report_markdown(report))
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# -- a running interview ---------------------------------------------------------------


class InterviewSession:
    """One interview in progress: its questions, budget and the answers so far.

    Not thread-safe: an interface calls it from one thread at a time (the app from its
    worker threads, one after another).
    """

    def __init__(
        self,
        svc: StudyService,
        interview_id: int,
        questions: Sequence[Question],
        prompts: Mapping[int, str],
        params: Mapping[int, dict[str, object]],
        *,
        started_at: datetime,
        budget_seconds: float | None,
        topics: Sequence[str],
        reschedule: bool,
        requested: int | None = None,
    ) -> None:
        self.svc = svc
        self.interview_id = interview_id
        self.questions = tuple(questions)
        self._prompts = dict(prompts)
        self._params = dict(params)
        self.started_at = started_at
        self.budget_seconds = budget_seconds
        self.topics = tuple(topics)
        self.reschedule = reschedule
        #: questions asked for (more than :attr:`questions` when too few cards match)
        self.requested = requested if requested is not None else len(self.questions)
        self.answers: list[AnswerRecord] = []
        self.report: InterviewReport | None = None
        #: ``FILE:LINE: why`` of each computational card left out because it cannot be drawn
        self.skipped: tuple[str, ...] = ()

    @classmethod
    def start(
        cls,
        svc: StudyService,
        *,
        questions: int = DEFAULT_QUESTIONS,
        minutes: float | None = None,
        topics: Sequence[str] | None = None,
        reschedule: bool = False,
        seed: int | None = None,
    ) -> InterviewSession:
        """Plan an interview, draw the parameters of its computational questions and
        store its ``interviews`` row. Raises :class:`NothingToAskError` when no card
        matches ``topics``."""
        from quizapp.grading.draw import DrawError, draw_params
        from quizapp.grading.grade import render_question

        rng = random.Random(seed)
        planned = plan_interview(svc, questions=questions, topics=topics, rng=rng)
        kept: list[Question] = []
        prompts: dict[int, str] = {}
        params: dict[int, dict[str, object]] = {}
        skipped: list[str] = []
        for q in planned:
            if q.kind == "computational" and q.card.quiz is not None:
                try:
                    drawn: dict[str, object] = dict(draw_params(q.card.quiz, rng))
                except DrawError as exc:
                    skipped.append(f"{q.card.source}:{q.card.line}: {exc}")
                    continue  # ask the other questions
                params[len(kept) + 1] = drawn
                prompts[len(kept) + 1] = render_question(q.card.quiz, drawn)
            else:
                prompts[len(kept) + 1] = question_text(q.card)
            kept.append(Question(len(kept) + 1, q.card, q.topic, q.weight, q.weakness))
        if not kept:
            what = ", ".join(topics) if topics else "the configured decks"
            also = f" ({len(skipped)} cannot be drawn: {skipped[0]})" if skipped else ""
            raise NothingToAskError(f"no cards to ask about in {what}{also}")
        if minutes is None:
            minutes = DEFAULT_MINUTES_PER_QUESTION * len(kept)
        chosen = list(topics) if topics else sorted({q.topic for q in kept})
        now = svc.now()
        with svc.db.session() as s:
            row = Interview(
                started_at=now,
                questions=len(kept),
                minutes=float(minutes),
                topics=chosen,
                reschedule=reschedule,
            )
            s.add(row)
            s.flush()
            interview_id = row.id
        session = cls(
            svc,
            interview_id,
            kept,
            prompts,
            params,
            started_at=now,
            budget_seconds=minutes * 60 / len(kept),
            topics=chosen,
            reschedule=reschedule,
            requested=questions,
        )
        session.skipped = tuple(skipped)
        return session

    def prompt(self, q: Question) -> str:
        """The question as shown (computational ones with their drawn parameters)."""
        return self._prompts[q.position]

    def params(self, q: Question) -> dict[str, object] | None:
        """The drawn parameters of a computational question."""
        return self._params.get(q.position)

    @property
    def remaining(self) -> list[Question]:
        """Questions not answered yet, in order."""
        done = {a.position for a in self.answers}
        return [q for q in self.questions if q.position not in done]

    def overtime(self, seconds: float) -> bool:
        """Whether ``seconds`` is over the per-question budget."""
        return self.budget_seconds is not None and seconds > self.budget_seconds

    def _store(self, q: Question, rec: AnswerRecord, rating: int, auto: bool) -> AnswerRecord:
        def link(s: Session, review_id: int) -> None:
            # In the review's own transaction: a crash keeps both rows or neither.
            s.add(
                InterviewAnswer(
                    interview_id=self.interview_id,
                    position=rec.position,
                    card_id=rec.card_id,
                    prompt=rec.prompt,
                    answer=rec.answer,
                    params=rec.params,
                    verdict=rec.verdict,
                    score=rec.score,
                    seconds=rec.seconds,
                    review_id=review_id,
                )
            )

        review = self.svc.review(
            q.card.id,
            rating,
            duration_ms=int(rec.seconds * 1000),
            answer=rec.answer,
            params=rec.params,
            verdict=rec.verdict,
            auto=auto,
            kind="interview",
            reschedule=self.reschedule,
            attach=link,
        )
        stored = replace(rec, review_id=review.id)
        self.answers.append(stored)
        return stored

    def _record(self, q: Question, score: int, seconds: float) -> AnswerRecord:
        return AnswerRecord(
            position=q.position,
            card_id=q.card.id,
            topic=q.topic,
            kind=q.kind,
            prompt=self.prompt(q),
            score=score,
            seconds=seconds,
            source=q.card.source,
            line=q.card.line,
        )

    def answer_open(self, q: Question, score: int, seconds: float) -> AnswerRecord:
        """Store the self-score (0–3) of an open question; committed when it returns."""
        if score not in RATING_FOR_SCORE:
            raise ValueError(f"a self-score is 0-3, not {score!r}")
        return self._store(q, self._record(q, score, seconds), rating_for_score(score), False)

    def answer_computational(self, q: Question, typed: str, seconds: float) -> AnswerRecord:
        """Grade what was typed for a computational question (runs the reference model:
        imports torch the first time) and store it; committed when it returns."""
        from quizapp.grading.grade import grade, suggest_rating

        quiz, params = q.card.quiz, self.params(q)
        if quiz is None or params is None:
            raise ValueError(f"question {q.position} is not computational")
        result = grade(quiz, params, typed)
        verdict = result.verdict
        parts = len(verdict.details) or 1
        right = sum(1 for d in verdict.details if d.status == "correct")
        rec = replace(
            self._record(q, score_for_verdict(verdict.status, right, parts), seconds),
            answer=typed,
            params=dict(params),
            verdict=verdict.status,
            message=verdict.message,
            truth=result.truth_text,
            derivation=result.derivation,
        )
        return self._store(q, rec, suggest_rating(verdict, seconds), True)

    def finish(self) -> InterviewReport | None:
        """Store the score and the report; None (and the interview forgotten) when no
        question was answered."""
        if self.report is not None:
            return self.report
        if not self.answers:
            with self.svc.db.session() as s:
                s.execute(delete(Interview).where(Interview.id == self.interview_id))
            return None
        report = InterviewReport(
            interview_id=self.interview_id,
            started_at=self.started_at,
            finished_at=self.svc.now(),
            planned=len(self.questions),
            budget_seconds=self.budget_seconds,
            topics=self.topics,
            reschedule=self.reschedule,
            answers=tuple(sorted(self.answers, key=lambda a: a.position)),
        )
        with self.svc.db.session() as s:
            row = s.get(Interview, self.interview_id)
            if row is not None:
                row.finished_at = report.finished_at
                row.score = float(report.score)
                row.max_score = float(report.max_score)
                row.report = report_markdown(report)
        self.report = report
        return report


# -- history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewSummary:
    """A past interview, for the list of scores over time."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    questions: int
    answered: int
    score: int
    minutes: float | None
    topics: tuple[str, ...]

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
            InterviewSummary(
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


def history_text(items: Sequence[InterviewSummary]) -> str:
    """Past interviews as aligned lines, with the trend of their scores."""
    if not items:
        return "No interviews yet. Start one with `quizapp interview`."
    rows = [["#", "date", "answered", "score", "%", "topics"]]
    for it in items:
        topics = ", ".join(it.topics)
        rows.append(
            [
                str(it.id),
                _local(it.started_at) + ("" if it.finished_at else " (stopped)"),
                f"{it.answered}/{it.questions}",
                f"{it.score}/{it.max_score}",
                f"{it.percent}%",
                _clip(topics, 50),
            ]
        )
    lines = _table(rows)
    scored = [it.percent for it in items if it.answered]
    if len(scored) >= 2:
        lines += ["", "Scores over time: " + " → ".join(f"{p}%" for p in scored[-10:])]
    return visible("\n".join(lines))
