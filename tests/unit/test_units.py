"""Numbers with units in answers, parameters and results; relative tolerances said aloud."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizapp.deckfile.parse import parse_deck
from quizapp.deckfile.types import QuizSpec
from quizapp.deckfile.units import FACTORS, human, parse_quantity, with_unit
from quizapp.grading.check import check_answer
from quizapp.grading.grade import grade, render_question

MISTRAL = 7_241_732_096
TWO_GIB = 2 * 2**30


@pytest.mark.parametrize(
    ("typed", "value"),
    [("7B", 7 * 10**9), ("1.5k", 1500), ("6.7e9", 67 * 10**8), ("512 MiB", 2**29),
     ("2 GiB", TWO_GIB), ("2GB", 2 * 10**9), ("1.2T", 12 * 10**11), ("3 KiB", 3072)],
)  # fmt: skip
def test_quantities_read_exactly(typed: str, value: int) -> None:
    assert parse_quantity(typed) == value


@pytest.mark.parametrize("typed", ["7 bananas", "B7", "", "7BB", "1.5 kib"])
def test_text_that_is_not_a_quantity(typed: str) -> None:
    assert parse_quantity(typed) is None


def test_results_show_the_exact_value_and_human_units() -> None:
    assert with_unit(MISTRAL, "params") == "7,241,732,096 (7.24B)"
    assert with_unit(TWO_GIB, "bytes") == "2,147,483,648 bytes (2 GiB)"
    assert with_unit(536_870_912, "bytes") == "536,870,912 bytes (512 MiB)"
    assert with_unit(14_000_000_000, "FLOPs") == "14,000,000,000 FLOPs (14 GFLOPs)"
    assert with_unit(588 * 10**21, "FLOPs").endswith(" FLOPs (5.88e23)")
    assert with_unit(2397, "params") == "2,397"  # small counts are read as they are
    assert human(124_439_808, "params") == "124M"


def test_an_exact_count_typed_with_a_unit_is_close_but_not_right() -> None:
    verdict = check_answer("7.24B", MISTRAL, 0.0)
    assert verdict.status == "wrong"
    assert "is close, but this answer is an exact count: write every digit" in verdict.message


def test_a_unit_expression_can_be_exactly_right() -> None:
    assert check_answer("2 GiB", TWO_GIB, 0.0).status == "correct"
    assert check_answer("16*7B", 112 * 10**9, 0.0).message == "112,000,000,000 is right (exact)"


def test_relative_tolerance_is_applied_and_said() -> None:
    right = check_answer("2 GiB", TWO_GIB + 10**6, 0.0, 0.01)
    assert right.status == "correct"
    assert right.message == "2,147,483,648 is right (within ±1 % of 2,148,483,648)"
    # decimal gigabytes are 7 % short of gibibytes: more than 1 % off
    wrong = check_answer("2 GB", TWO_GIB, 0.0, 0.01)
    assert wrong.status == "wrong"
    assert wrong.message == "2,000,000,000 is 6.87 % off (allowed ±1 %)"
    assert check_answer("1.13e11", 112 * 10**9, 0.0, 0.01).status == "correct"
    assert check_answer("lots", TWO_GIB, 0.0, 0.01).status == "invalid"


KV = QuizSpec(
    "kv_cache_bytes",
    "KV cache of {seq} tokens?",
    {"seq": ("fixed", 4096), "layers": ("fixed", 32), "kv_heads": ("fixed", 8),
     "head_dim": ("fixed", 128)},
)  # fmt: skip


def test_the_question_says_how_close_the_answer_must_be() -> None:
    params = {"seq": 4096, "layers": 32, "kv_heads": 8, "head_dim": 128}
    assert render_question(KV, params).endswith(
        "(within ±1 % counts as right; units such as 2 GiB or 7.24B are read)"
    )
    five = QuizSpec(KV.model, KV.ask, KV.params, relative_tolerance=0.05)
    assert "(within ±5 % counts as right" in render_question(five, params)
    result = grade(five, params, "530 MB")
    assert result.verdict.message == "530,000,000 is right (within ±5 % of 536,870,912)"
    assert result.truth_text == "536,870,912 bytes (512 MiB)"


def _deck(block: str) -> str:
    return f"# D\n\n## KV cache\n\nWhy it grows.\n\n```quiz\n{block}\n```\n"


def test_a_block_states_a_relative_tolerance_and_sizes_with_units() -> None:
    deck = parse_deck(
        _deck(
            'model: train_memory_bytes\nask: "{params}?"\n'
            "params: {params: [7B, 13B, 70B], precision: [fp32, mixed]}\ntolerance: 5%"
        ),
        "d.md",
    )
    assert deck.diagnostics == ()
    quiz = next(c.quiz for c in deck.cards if c.quiz is not None)
    assert quiz.relative_tolerance == 0.05
    assert quiz.tolerance is None
    assert quiz.params["params"] == ("choices", 7 * 10**9, 13 * 10**9, 70 * 10**9)


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("model: train_memory_bytes\nask: \"?\"\nparams: {params: 7B}\ntolerance: 150%",
         "`tolerance` must be a number ≥ 0 (absolute) or a percentage like 2%"),
        ("model: train_memory_bytes\nask: \"?\"\nparams: {params: 7B, optimizer: lion}",
         "optimizer must be one of adam, sgd, not 'lion'"),
        ("model: decoder_params\nask: \"?\"\n"
         "params: {vocab: 32000, d: 4096, layers: 32, heads: 32, kv_heads: [3, 5, 7], ff: 11008}",
         "must divide heads=32"),
        ("model: train_memory_bytes\nask: \"?\"\nparams: {params: 7 bananas}",
         "params must be a whole number"),
    ],
)  # fmt: skip
def test_lint_refuses_bad_llm_parameters_with_their_line(block: str, message: str) -> None:
    deck = parse_deck(_deck(block), "d.md")
    errors = [d for d in deck.diagnostics if d.severity == "error"]
    assert errors, deck.diagnostics
    assert any(message in d.message for d in errors), errors
    assert all(d.line >= 8 for d in errors)
    assert not any(c.quiz for c in deck.cards)


@given(
    st.integers(0, 10**6),
    st.integers(0, 99),
    st.sampled_from(sorted(FACTORS)),
    st.sampled_from(["", " "]),
)
def test_every_suffix_multiplies_exactly(
    whole: int, hundredths: int, suffix: str, gap: str
) -> None:
    typed = f"{whole}.{hundredths:02d}{gap}{suffix}"
    exact = Fraction(whole * 100 + hundredths, 100) * FACTORS[suffix]
    assert parse_quantity(typed) == exact
    if exact.denominator == 1:
        assert check_answer(typed, int(exact), 0.0, 0.01).status == "correct"


@pytest.mark.parametrize(
    "typed", ["9**9**9 GiB", "1e308B", "2**100 TiB", "1B" * 60, "7.24 B B", "__import__('os') GiB"]
)
def test_hostile_answers_with_units_are_not_numbers(typed: str) -> None:
    verdict = check_answer(typed, TWO_GIB, 0.0, 0.01)
    assert verdict.status == "invalid"
    assert verdict.message.startswith("not a number")
