"""Checking typed answers: numbers, expressions, multi-part answers, hostile input."""

from __future__ import annotations

import warnings
from fractions import Fraction

import pytest

from quizapp.grading.check import MAX_CHARS, NotANumber, check_answer, read_number

GRU = 1_182_720  # nn.GRU(256, 512)
STEP = {"c": 0.5591, "h": 0.2852}


@pytest.mark.parametrize(
    "typed",
    [
        "1182720",
        "1,182,720",
        "1_182_720",
        "1 182 720",
        "  1,182,720  ",
        "1182720.0",
        "1.18272e6",  # exactly the count, in scientific notation
        "3*(512*256+512*512+2*512)",
        "3 * (512*256 + 512**2 + 2*512)",
        "3×(512·256 + 512·512 + 2·512)",  # typographic operators
        "3*(512*256+512^2+2*512)",  # ^ is a power, as in maths
        "１,１８２,７２０",  # full-width digits from a CJK input method
        "+1182720",
        "2365440/2",
        "2365441//2",
    ],
)
def test_exact_count_accepted_in_every_common_spelling(typed: str) -> None:
    verdict = check_answer(typed, GRU, 0.0)
    assert verdict.status == "correct", verdict.message
    assert verdict.message == "1,182,720 is right (exact)"
    assert verdict.details[0].value == GRU


def test_rounded_scientific_notation_is_wrong_for_an_exact_count() -> None:
    verdict = check_answer("1.18e6", GRU, 0.0)
    assert verdict.status == "wrong"
    assert "1,180,000" in verdict.message
    assert "exact count" in verdict.message


def test_rounded_scientific_notation_is_right_when_the_tolerance_allows() -> None:
    verdict = check_answer("1.18e6", GRU, 5000.0)
    assert verdict.status == "correct"
    assert "±5000" in verdict.message


def test_a_fraction_is_not_a_count() -> None:
    verdict = check_answer("1182720.5", GRU, 0.0)
    assert verdict.status == "wrong"
    assert "not a whole number" in verdict.message


def test_a_near_miss_is_wrong() -> None:
    # the textbook single-bias count, one bias vector short
    verdict = check_answer("3*(512*256+512*512+512)", GRU, 0.0)
    assert verdict.status == "wrong"
    assert verdict.message == "1,181,184 is not right (exact answer)"
    assert verdict.details[0].truth == GRU


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("garbage", "'garbage' is a name"),
        ("__import__('os')", "function calls are not allowed"),
        ("__import__('os').system('echo pwned')", "function calls are not allowed"),
        ("(lambda: 1)()", "function calls"),
        ("[1182720]", "only numbers"),
        ("'1182720'", "only numbers"),
        ("True", "only numbers"),
        ("1j", "only numbers"),
        ("().__class__", "only numbers"),
        ("9**9**9", "too large"),
        ("2**-1000", "too large"),
        ("10**31", "too large"),
        ("9" * 150, "too large"),
        ("9" * 10_000, "too long"),
        ("1e400", "too large"),
        ("(-8)**0.5", "not a real number"),
        ("1/0", "division by zero"),
        ("5 % 0", "division by zero"),
        ("0**-1", "division by zero"),
        ("1,18,2720", "groups of three digits"),
        ("-" * 150 + "1", "too long"),
        ("(" * 150 + "1", "150 '(' are not closed"),
        ("", "nothing typed"),
        ("   ", "nothing typed"),
        ("1 182 720 parameters", "could not read"),
        ("x = 3", "could not read"),
        ("1; import os", "could not read"),
    ],
)
def test_hostile_or_garbage_input_is_not_a_number(typed: str, reason: str) -> None:
    # (how fast such input is refused is a bench row: `bench.bench_answers`)
    verdict = check_answer(typed, GRU, 0.0)
    assert verdict.status == "invalid"
    assert verdict.message.startswith("not a number")
    assert reason in verdict.message


@pytest.mark.parametrize("typed", ["3(4)", "1 is 1", "'\\d'", "2 in [2]"])
def test_inputs_the_compiler_warns_about_print_nothing(typed: str) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        verdict = check_answer(typed, GRU, 0.0)
    assert verdict.status == "invalid"
    assert caught == []


def test_deep_parentheses_are_just_a_number() -> None:
    assert check_answer("(" * 95 + "1182720" + ")" * 95, GRU, 0.0).status == "correct"


def test_nothing_typed_is_ever_executed() -> None:
    import builtins

    calls: list[str] = []
    real_import = builtins.__import__

    def watching_import(name: str, *args: object, **kwargs: object) -> object:
        calls.append(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    builtins.__import__ = watching_import  # type: ignore[assignment]
    try:
        verdict = check_answer("__import__('string').digits", GRU, 0.0)
    finally:
        builtins.__import__ = real_import
    assert verdict.status == "invalid"
    assert "string" not in calls


def test_ten_thousand_digits_are_refused_before_reading() -> None:
    verdict = check_answer("1" * 10_000, GRU, 0.0)
    assert verdict.status == "invalid"
    assert verdict.message == (f"not a number: 10,000 characters is too long (at most {MAX_CHARS})")


def test_read_number_is_exact() -> None:
    value, approximate = read_number("0.1 + 0.2")
    assert value == pytest.approx(0.3)
    assert str(value) == "3/10"  # exact decimal arithmetic, not 0.30000000000000004
    assert approximate
    assert read_number("3*(64*32+64*64+2*64)") == (Fraction(18_816), False)
    with pytest.raises(NotANumber):
        read_number("os")


# --- real-valued and multi-part answers -----------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "c=0.56, h=0.29",
        "c = 0.56; h = 0.29",
        "c: 0.56 h: 0.29",
        "h=0.29, c=0.56",
        "C=0.56 H=0.29",
        "0.56, 0.29",
        "0.56 0.29",
        "0.56; 0.29",
        "(0.56, 0.29)",
        "c=0.5591, h=0.2852",
        "c=0.55, h=0.28",  # 0.0091 and 0.0052 off: within ±0.01
    ],
)
def test_multi_part_answer_accepted_in_every_common_form(typed: str) -> None:
    verdict = check_answer(typed, STEP, 0.01)
    assert verdict.status == "correct", verdict.message
    assert [d.name for d in verdict.details] == ["c", "h"]
    assert all(d.status == "correct" for d in verdict.details)


def test_one_part_right_is_partial() -> None:
    verdict = check_answer("c=0.56, h=0.5", STEP, 0.01)
    assert verdict.status == "partial"
    c, h = verdict.details
    assert (c.status, h.status) == ("correct", "wrong")
    assert h.value == 0.5
    assert "off by 0.2148" in h.message
    assert verdict.message.startswith("c: 0.56 is right")


def test_a_missing_part_is_reported() -> None:
    verdict = check_answer("h=0.29", STEP, 0.01)
    assert verdict.status == "partial"
    assert verdict.details[0].message == "missing"


def test_both_parts_wrong_is_wrong() -> None:
    verdict = check_answer("c=0.1, h=0.1", STEP, 0.01)
    assert verdict.status == "wrong"


def test_negative_parts_and_expressions() -> None:
    verdict = check_answer("c=-0.56, h=−0.2852", {"c": -0.5591, "h": -0.2852}, 0.01)
    assert verdict.status == "correct"
    assert check_answer("c=0.5*1.12, h=0.29", STEP, 0.01).status == "correct"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("0.56", "expected 2 values in the order c, h"),
        ("0.56, 0.29, 0.1", "expected 2 values"),
        ("x=1, y=2", "unknown part 'x'"),
        ("c=1, c=2", "c is given twice"),
        ("hello c=1 h=2", "start each value with its name"),
        ("c=foo, h=bar", "'foo' is a name"),
        ("c=" + "9" * 300, "too long"),
    ],
)
def test_unreadable_multi_part_answer_is_invalid(typed: str, reason: str) -> None:
    verdict = check_answer(typed, STEP, 0.01)
    assert verdict.status == "invalid"
    assert "not a number" in verdict.message
    assert reason in verdict.message


def test_tolerance_edge_is_inclusive() -> None:
    truth = {"c": 0.26, "h": 0.26}
    assert check_answer("0.25, 0.27", truth, 0.01).status == "correct"
    assert check_answer("0.2499, 0.27", truth, 0.01).status == "partial"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3*(203*471+203*203+2*203", "not a number: a '(' is not closed"),
        ("4*64*64+", "not a number: it ends with '+': a number is missing after it"),
        ("(1+2))", "not a number: a ')' has no '(' before it"),
    ],
)
def test_an_answer_that_cannot_be_read_says_what_to_fix(typed: str, message: str) -> None:
    verdict = check_answer(typed, 1_182_720, 0)
    assert (verdict.status, verdict.message) == ("invalid", message)
