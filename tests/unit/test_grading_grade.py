"""Grading a computational card end to end: question, verdict, truth, rating."""

from __future__ import annotations

import pytest

from quizapp.deckfile.types import QuizSpec
from quizapp.grading.check import Verdict
from quizapp.grading.grade import format_answer, grade, render_question, suggest_rating

GRU_QUIZ = QuizSpec(
    model="gru_params",
    ask="nn.GRU(input_size={m}, hidden_size={n}) 一共有多少个参数？",
    params={"m": ("range", 8, 512), "n": ("range", 8, 512)},
)

STEP_PARAMS: dict[str, object] = {
    "x": 1.0,
    "h": 0.5,
    "c": 0.2,
    "wi": 0.5,
    "wf": -0.3,
    "wg": 1.0,
    "wo": 0.2,
    "ui": 0.1,
    "uf": 0.2,
    "ug": -0.4,
    "uo": 0.3,
    "bi": 0.0,
    "bf": 1.0,
    "bg": 0.0,
    "bo": -0.1,
}
STEP_QUIZ = QuizSpec(model="lstm_step", ask="x={x}, h={h}, c={c}: c and h?", params={})


def test_question_placeholders_are_filled() -> None:
    text = render_question(GRU_QUIZ, {"m": 256, "n": 512, "layers": 1})
    assert text == "nn.GRU(input_size=256, hidden_size=512) 一共有多少个参数？\n\n(exact answer)"
    assert render_question(STEP_QUIZ, STEP_PARAMS) == (
        "x=1, h=0.5, c=0.2: c and h?\n\n(within ±0.01 counts as right)"
    )


def test_question_templates_cannot_reach_into_objects() -> None:
    sneaky = QuizSpec(model="gru_params", ask="{m.__class__} {m[0]} {n!r} {zz} {m}", params={})
    assert render_question(sneaky, {"m": 8, "n": 9}) == (
        "{m.__class__} {m[0]} {n!r} {zz} 8\n\n(exact answer)"
    )


def test_grading_a_correct_count() -> None:
    result = grade(GRU_QUIZ, {"m": 256, "n": 512}, "3*(512*256+512*512+2*512)")
    assert result.verdict.status == "correct"
    assert result.truth == 1_182_720
    assert result.truth_text == "1,182,720 (1.18M)"
    assert "3·(512·256 + 512·512 + 2·512) = 1,182,720" in result.derivation


def test_grading_the_textbook_single_bias_count_is_wrong() -> None:
    result = grade(GRU_QUIZ, {"m": 256, "n": 512}, "1,181,184")
    assert result.verdict.status == "wrong"
    assert "1,181,184" in result.derivation  # the derivation explains the difference


def test_grading_garbage_still_shows_the_reference_answer() -> None:
    result = grade(GRU_QUIZ, {"m": 256, "n": 512}, "no idea")
    assert result.verdict.status == "invalid"
    assert result.truth_text == "1,182,720 (1.18M)"


def test_grading_a_two_part_answer_uses_the_model_tolerance() -> None:
    right = grade(STEP_QUIZ, STEP_PARAMS, "c=0.56, h=0.28")
    assert right.verdict.status == "correct"
    assert right.truth_text == "c = 0.5591, h = 0.2852"
    assert "σ(0.5500) = 0.6341" in right.derivation
    assert grade(STEP_QUIZ, STEP_PARAMS, "c=0.56, h=0.9").verdict.status == "partial"


def test_the_quiz_tolerance_overrides_the_model_default() -> None:
    strict = QuizSpec(model="lstm_step", ask="?", params={}, tolerance=0.0001)
    assert grade(strict, STEP_PARAMS, "c=0.56, h=0.2852").verdict.status == "partial"
    loose = QuizSpec(model="gru_params", ask="?", params={}, tolerance=5000)
    assert grade(loose, {"m": 256, "n": 512}, "1.18e6").verdict.status == "correct"


def test_format_answer() -> None:
    assert format_answer(1_182_720) == "1,182,720"
    assert format_answer(7) == "7"
    assert format_answer({"c": -0.12345, "h": 0.5}) == "c = -0.1235, h = 0.5000"


def _verdict(status: str) -> Verdict:
    return Verdict(status, "")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "seconds", "rating"),
    [
        ("correct", 3.0, 4),
        ("correct", 9.9, 4),
        ("correct", 10.0, 3),
        ("correct", 60.0, 3),
        ("correct", 60.1, 2),
        ("partial", 3.0, 2),
        ("partial", 300.0, 2),
        ("wrong", 3.0, 1),
        ("invalid", 3.0, 1),
    ],
)
def test_suggested_rating(status: str, seconds: float, rating: int) -> None:
    assert suggest_rating(_verdict(status), seconds) == rating


def test_rating_thresholds_can_be_changed() -> None:
    assert suggest_rating(_verdict("correct"), 20.0, fast=30.0) == 4
    assert suggest_rating(_verdict("correct"), 20.0, slow=15.0) == 2
