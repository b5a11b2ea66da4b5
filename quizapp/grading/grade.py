"""Grading a computational card: the question, the verdict, and a suggested rating."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from quizapp.deckfile.rules import model_info
from quizapp.deckfile.types import QuizSpec
from quizapp.deckfile.units import Unit, spoken, with_unit
from quizapp.grading.check import Verdict, check_answer
from quizapp.grading.models import Answer, compute, derivation
from quizapp.grading.variants import known_variants

#: Answering faster than this is "Easy". A computational question needs a few lines of
#: mental arithmetic; under 10 s means the formula and the numbers came at once.
FAST_SECONDS = 10.0
#: Answering slower than this is "Hard": a minute means it was worked out laboriously.
SLOW_SECONDS = 60.0

# FSRS ratings
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")


@dataclass(frozen=True)
class Grade:
    """The outcome of one computational answer, ready to show."""

    verdict: Verdict
    #: the reference answer, from the torch model
    truth: Answer
    #: ``truth`` as shown: ``1,182,720`` or ``c = 0.5591, h = 0.2852``
    truth_text: str
    #: the closed form with the numbers filled in, one step per line
    derivation: str


def _format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool):
        return spoken(value)
    return str(value)


def tolerances(quiz: QuizSpec) -> tuple[float, float]:
    """(absolute, relative) tolerance of ``quiz``: the block's if it gives one, else the
    model's (both 0 for counts: exact)."""
    if quiz.tolerance is not None or quiz.relative_tolerance is not None:
        return quiz.tolerance or 0.0, quiz.relative_tolerance or 0.0
    info = model_info(quiz.model)
    return info.tolerance, info.relative_tolerance


def tolerance_note(quiz: QuizSpec) -> str:
    """How close an answer to ``quiz`` must be, as the question says it."""
    absolute, relative = tolerances(quiz)
    if relative:
        return (
            f"within ±{relative * 100:g} % counts as right; units such as 2 GiB or 7.24B are read"
        )
    if absolute:
        return f"within ±{absolute:g} counts as right"
    return "exact answer"


def render_question(quiz: QuizSpec, params: Mapping[str, object]) -> str:
    """The ``ask`` text of ``quiz`` with each ``{name}`` replaced by its drawn value,
    followed by how close the answer must be (:func:`tolerance_note`).

    Only plain ``{name}`` placeholders are substituted (a regex, never ``str.format``,
    whose ``{m.__class__}`` would reach into objects); unknown names are left as written
    so a typo shows up in the question instead of failing the review.
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return _format_value(params[name]) if name in params else match.group(0)

    return f"{_PLACEHOLDER.sub(fill, quiz.ask)}\n\n({tolerance_note(quiz)})"


def format_answer(truth: Answer, unit: Unit = "") -> str:
    """A reference answer as shown: the exact value with its human form
    (``7,241,732,096 (7.24B)``, ``2,147,483,648 bytes (2 GiB)``), or parts to 4
    decimals."""
    if isinstance(truth, dict):
        return ", ".join(f"{name} = {value:.4f}" for name, value in truth.items())
    return with_unit(truth, unit)


def grade(quiz: QuizSpec, params: Mapping[str, object], typed: str) -> Grade:
    """Check ``typed`` against the reference model of ``quiz`` for the drawn ``params``.

    The truth is computed now, by the torch model, never taken from a stored number. The
    tolerance is the quiz block's, else the model's default (:func:`tolerances`).
    """
    truth = compute(quiz.model, params)
    absolute, relative = tolerances(quiz)
    verdict = check_answer(typed, truth, absolute, relative)
    if verdict.status == "wrong" and len(verdict.details) == 1:
        typed_value = verdict.details[0].value
        for variant in known_variants(quiz.model, params, truth):
            if typed_value == variant.value:
                verdict = replace(verdict, message=variant.explanation)
    return Grade(
        verdict=verdict,
        truth=truth,
        truth_text=format_answer(truth, model_info(quiz.model).unit),
        derivation=derivation(quiz.model, params),
    )


def suggest_rating(
    verdict: Verdict,
    seconds: float,
    *,
    fast: float = FAST_SECONDS,
    slow: float = SLOW_SECONDS,
) -> int:
    """The FSRS rating (1–4) a graded answer suggests; the user may override it.

    Correct: 4 (Easy) under ``fast`` seconds, 2 (Hard) over ``slow``, else 3 (Good).
    Partly correct: 2 (Hard). Wrong or not a number: 1 (Again).
    """
    if verdict.status == "correct":
        if seconds < fast:
            return EASY
        if seconds > slow:
            return HARD
        return GOOD
    if verdict.status == "partial":
        return HARD
    return AGAIN
