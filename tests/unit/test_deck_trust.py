"""The parser's side of the trust boundary, rule by rule: control characters, YAML size,
bounded quoting, the grader's rules applied to quiz blocks, formula limits."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator

import pytest

from quizapp.deckfile import parse_deck
from quizapp.deckfile.mathlimits import MAX_DEPTH, math_depth, math_problem
from quizapp.deckfile.quoting import LIMIT, quoted
from quizapp.deckfile.rules import CLEAN_START, MAX_TRIES, RELIABLE, draw_odds
from quizapp.deckfile.types import QuizSpec
from quizapp.deckfile.yamlblock import MAX_VALUES, YamlData, YamlProblem, load_yaml
from quizapp.grading.draw import DrawError, draw_params
from quizapp.present.mathtext import latex_to_unicode


def messages(text: str, source: str = "deck.md") -> list[tuple[int, str, str]]:
    return [(d.line, d.severity, d.message) for d in parse_deck(text, source).diagnostics]


# -- control characters -----------------------------------------------------------------


def test_raw_control_characters_are_removed_with_a_warning_on_their_line() -> None:
    deck = parse_deck("# D\n\n## Ti\x1b]0;x\x07tle?\n\nan\x9b2Jswer\x7f\n", "d.md")
    (card,) = deck.cards
    assert (card.front, card.back) == ("Ti]0;xtle?", "an2Jswer")
    assert [(d.line, d.severity) for d in deck.diagnostics] == [(3, "warning"), (5, "warning")]
    assert deck.diagnostics[0].message.startswith(
        "control characters U+001B (ESC), U+0007 (BEL) removed"
    )
    assert "U+009B (CSI), U+007F (DEL)" in deck.diagnostics[1].message


def test_newlines_and_tabs_stay() -> None:
    (card,) = parse_deck("## Q?\n\n\tcode\nline\n", "d.md").cards
    assert card.back == "\tcode\nline"


def test_many_lines_with_control_characters_are_reported_in_one_summary() -> None:
    text = "## Q?\n\n" + "bell\x07\n" * 25
    found = messages(text)
    assert len(found) == 11
    assert found[-1] == (13, "warning", "control characters also removed from 15 more lines")


def test_yaml_escapes_cannot_bring_a_control_character_back() -> None:
    text = (
        '---\ndeck: "A\\e[2Jdeck"\ntags: ["\\x9b1m"]\n---\n\n## Q?\n\n```quiz\n'
        'model: gru_params\nask: "\\e]52;c;aGk=\\a {m}?"\nparams: {m: 8, n: 8}\n```\n'
    )
    deck = parse_deck(text, "d.md")
    assert deck.deck == "A[2Jdeck"
    (quiz,) = deck.cards
    assert quiz.quiz is not None and quiz.quiz.ask == "]52;c;aGk= {m}?"
    assert quiz.tags == ("1m",)
    assert [(d.line, d.severity) for d in deck.diagnostics] == [
        (2, "warning"),
        (3, "warning"),
        (10, "warning"),
    ]


def test_deck_names_from_file_and_folder_names_are_cleaned() -> None:
    deck = parse_deck("## Q?\n\nA.\n", "/x/n\x1bame\n.md", ("sub\x07",))
    assert deck.deck == "sub::name"
    assert deck.cards[0].deck == "sub::name"
    (warning,) = deck.diagnostics
    assert warning.line == 1
    assert "file or folder name" in warning.message


# -- YAML size ------------------------------------------------------------------------------


def test_an_alias_reused_a_few_times_is_fine() -> None:
    loaded = load_yaml("params: {m: &r [8, 64], n: *r}")
    assert isinstance(loaded, YamlData)
    assert loaded.data == {"params": {"m": [8, 64], "n": [8, 64]}}


def test_an_alias_bomb_is_refused_on_the_line_where_it_blows_up() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abc", "bcd", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    loaded = load_yaml("\n".join(lines))
    assert isinstance(loaded, YamlProblem)
    assert not loaded.syntax
    # 10 → 100 → 1,000 → 10,000 items: the fourth line crosses the limit
    assert loaded.line == 3
    assert "aliases" in loaded.message and f"{MAX_VALUES:,}" in loaded.message


def test_a_value_that_contains_itself_is_refused() -> None:
    loaded = load_yaml("x: 1\ntags: &t [a, *t]")
    assert isinstance(loaded, YamlProblem)
    assert loaded.line == 1
    assert "refers to a value it is part of" in loaded.message


def test_a_long_plain_list_is_refused_too() -> None:
    loaded = load_yaml("tags: [" + ", ".join(["x"] * (MAX_VALUES + 1)) + "]")
    assert isinstance(loaded, YamlProblem)
    assert "more than 10,000 items" in loaded.message and "aliases" not in loaded.message


def test_the_cards_next_to_a_refused_block_load() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [" + ", ".join([f"*{p}"] * 10) + "]\n"
        for p, n in zip("abcde", "bcdef", strict=True)
    )
    text = f"---\n{bomb}---\n\n## One?\n\n1\n\n## Two?\n\n```quiz\n{bomb}```\n\n## Three?\n\n3\n"
    deck = parse_deck(text, "d.md")
    assert [c.front for c in deck.cards] == ["One?", "Three?"]
    # the refused quiz block keeps its card from loading; the refused front matter
    # keeps none (it is ignored)
    assert [(d.line, d.severity) for d in deck.diagnostics] == [(5, "warning"), (20, "error")]


# -- quoting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "x" * 10**6,
        list(range(10**6)),
        {"k": ["v"] * 10**6},
        10**4000,
        b"\x00" * 10**6,
    ],
    ids=["text", "list", "dict", "int", "bytes"],
)
def test_quoted_never_writes_more_than_its_limit(value: object) -> None:
    assert len(quoted(value)) <= LIMIT


def test_quoted_stops_inside_a_value_that_contains_itself() -> None:
    looped: list[object] = []
    looped.append(looped)
    assert quoted(looped).endswith("…")


def test_quoted_describes_an_integer_too_long_to_print() -> None:
    assert quoted(10**400) == "a 401-digit number"
    assert quoted([1, "a"]) == "[1, 'a']"


# -- quiz blocks against the grader's rules ----------------------------------------------------


def quiz_block(params: str, model: str = "mha_params") -> str:
    return f"## Q\n\n```quiz\nmodel: {model}\nask: q\nparams: {params}\n```\n"


def test_a_block_whose_constraints_no_draw_satisfies_is_an_error() -> None:
    deck = parse_deck(quiz_block("{d: [7, 7], heads: [2, 2]}"), "d.md")
    assert deck.cards == ()
    (error,) = deck.errors
    assert error.line == 6
    assert f"no usable parameters in {MAX_TRIES} draws" in error.message
    assert "heads=2 must divide d=7" in error.message


def test_a_block_that_rarely_draws_is_loaded_with_a_warning() -> None:
    deck = parse_deck(quiz_block("{d: [1, 300], heads: [1, 300]}"), "d.md")
    assert len(deck.cards) == 1
    (warning,) = deck.diagnostics
    assert warning.severity == "warning"
    assert "draws of these parameters are usable" in warning.message


def test_draw_odds_stop_counting_once_a_block_draws_reliably() -> None:
    odds = draw_odds(QuizSpec("mha_params", "q", {"d": ("range", 8, 64), "heads": ("fixed", 1)}))
    assert (odds.usable, odds.tried, odds.unreliable) == (CLEAN_START, CLEAN_START, False)
    # d = 16 divides by 1, 2, 4, 8 or 16 of 1..16, so a few draws fail on the way
    some = draw_odds(QuizSpec("mha_params", "q", {"d": ("fixed", 16), "heads": ("range", 1, 16)}))
    assert some.usable == RELIABLE and some.tried > RELIABLE and not some.unreliable
    fixed = draw_odds(QuizSpec("mha_params", "q", {"d": ("fixed", 8), "heads": ("fixed", 2)}))
    assert (fixed.usable, fixed.tried, fixed.unreliable) == (1, 1, False)


@pytest.mark.parametrize(
    ("params", "model", "expected"),
    [
        ("{m: [1, 2000000], n: 8}", "gru_params", "range [1, 2000000] of m goes outside"),
        ("{m: 8, n: 8, layers: 101}", "gru_params", "layers must be between 1 and 100"),
        ("{m: 8, n: 8, bias: 2}", "gru_params", "bias must be 0 or 1"),
        ("{n: [1, 2], f: 3, p: -1}", "conv_output", "padding p must be between 0"),
        ('{sizes: "2,0", filters: 1, embed: 1, seq_len: 9}', "textcnn_features", "filter size 0"),
        ("{x: 1.0e+300}", "lstm_step", "x must be between -1e+06 and 1e+06"),
    ],
)
def test_every_value_must_lie_inside_the_models_limits(
    params: str, model: str, expected: str
) -> None:
    deck = parse_deck(quiz_block(params, model), "d.md")
    assert deck.cards == ()
    assert any(expected in d.message for d in deck.errors), deck.diagnostics


@pytest.mark.parametrize(
    "params",
    [
        {"m": ("range", 1, 10**400), "n": ("fixed", 8)},
        {"m": ("range", 1.0, float("inf")), "n": ("fixed", 8)},
        {"m": ("fixed", "eight"), "n": ("fixed", 8)},
        {"m": (), "n": ("fixed", 8)},
        {"m": ("choices",), "n": ("fixed", 8)},
        {"m": ("range", 1), "n": ("fixed", 8)},
        {"zz": ("fixed", 1)},
    ],
    ids=["huge", "infinite", "text", "empty", "no-choices", "short-range", "unknown"],
)
def test_a_stored_block_the_parser_would_refuse_fails_to_draw_with_a_draw_error(
    params: dict[str, tuple[object, ...]],
) -> None:
    # as a database written by an older quizapp may hold it
    with pytest.raises(DrawError):
        draw_params(QuizSpec("gru_params", "q", params), random.Random(0))


# -- formulas --------------------------------------------------------------------------------


def test_math_depth_counts_groups_optional_arguments_and_environments() -> None:
    assert math_depth(r"\frac{a}{b}") == 1
    assert math_depth(r"\sqrt[3]{x^{2}}") == 2
    assert math_depth(r"\begin{aligned}x &= \{1\}\end{aligned}") == 2  # the name is a group
    assert math_depth(r"\{\{\{\[") == 0
    assert math_problem("x" * 50 + "{" * (MAX_DEPTH + 1) + "}" * (MAX_DEPTH + 1)) is not None
    assert math_problem(r"\frac{n+2p-f}{s}+1") is None


def test_a_formula_past_the_limits_is_shown_as_its_source() -> None:
    deep = r"\sqrt{" * 500 + "x" + "}" * 500
    assert latex_to_unicode(deep, display=True) == deep
    long = "+".join(["x"] * 6000)
    assert latex_to_unicode(long) == long
    assert latex_to_unicode(r"\frac{n+2p-f}{s}") == "(n+2p-f)/s"


@pytest.fixture
def shallow_stack() -> Iterator[None]:
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)
    try:
        yield
    finally:
        sys.setrecursionlimit(limit)


def test_a_formula_too_deep_for_the_stack_at_hand_is_shown_as_its_source(
    shallow_stack: None,
) -> None:
    # called from deep inside an app, less nesting is enough to run out of stack
    formula = r"\sqrt{" * 30 + "y" + "}" * 30
    assert latex_to_unicode(formula) == formula
