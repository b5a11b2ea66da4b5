"""The presenter: what a card shows, in the terminal and in line mode."""

from __future__ import annotations

import pytest
from factories import card_view

from quizapp.deckfile.parse import parse_deck
from quizapp.present.terminal import card_parser, terminal_text
from quizapp.study.sides import answer_text, question_text


def test_a_cloze_marker_in_a_code_span_is_shown_as_written() -> None:
    card = card_view(
        front="Q", back="In code `{{c1::x}}` stays; {{c1::this}} hides.", kind="cloze", cloze=1
    )
    assert question_text(card) == "Q\n\nIn code `{{c1::x}}` stays; […] hides."
    assert answer_text(card) == "In code `{{c1::x}}` stays; **this** hides."


def test_markers_in_code_blocks_stay_and_in_math_count() -> None:
    code = "```\n{{c1::in a fence}}\n```\n\n    {{c1::indented}}\n\n"
    back = "{{c1::update}} gate\n\n" + code + "$$\n\\frac{{c1::a}}{b}\n$$\n"
    card = card_view(front="Q", back=back, kind="cloze", cloze=1)
    assert question_text(card) == "Q\n\n[…] gate\n\n" + code + "$$\n\\frac[…]{b}\n$$\n"


def test_hints_other_numbers_and_code_inside_a_marker() -> None:
    back = "A {{c1::`nn.GRU`::a module}} has {{c2::three}} weight sets; `{{c2::x}}`."
    first = card_view(back=back, kind="cloze", cloze=1, front="Q")
    second = card_view(back=back, kind="cloze", cloze=2, front="Q")
    assert question_text(first) == "Q\n\nA [a module] has three weight sets; `{{c2::x}}`."
    assert answer_text(first) == "A **`nn.GRU`** has three weight sets; `{{c2::x}}`."
    assert question_text(second) == "Q\n\nA `nn.GRU` has […] weight sets; `{{c2::x}}`."


def test_the_markers_shown_are_the_ones_the_parser_counted() -> None:
    text = (
        "# D\n\n## Gates\n\n"
        "> GRU has an {{c1::update gate}} and `{{c3::x}}`, \\{\\{c5::escaped}}.\n\n"
        "- {{c2::reset gate}} in a list, ``{{c4::`y`}}`` in code\n\n"
        "| a | b |\n|---|---|\n| {{c6::cell}} | `{{c7::no}}` |\n"
    )
    deck = parse_deck(text, "c.md")
    numbers = [c.cloze for c in deck.cards]
    assert numbers == [1, 2, 6]
    for spec in deck.cards:
        card = card_view(front=spec.front, back=spec.back, kind="cloze", cloze=spec.cloze)
        shown = question_text(card)
        assert shown.count("[…]") == 1
        # every other counted marker is shown as its text; the uncounted ones as written
        assert "{{c3::x}}" in shown and "{{c4::`y`}}" in shown and "{{c7::no}}" in shown
        assert "\\{\\{c5::escaped}}" in shown
        assert sum(f"{{{{c{n}::" in shown for n in numbers) == 0


def test_basic_cards_show_their_text_as_written() -> None:
    card = card_view(front="What is {{c1::x}}?", back="`{{c1::x}}` and {{c1::y}}")
    assert question_text(card) == "What is {{c1::x}}?"
    assert answer_text(card) == "`{{c1::x}}` and {{c1::y}}"


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        ("$o = \\lfloor \\frac{n+2p-f}{s} \\rfloor + 1$", "o = ⌊(n+2p-f)/s⌋ + 1"),
        ("costs $5 and $10", "costs $5 and $10"),
        ("code `$x$` stays", "code $x$ stays"),
        ("**tanh** and *σ*, [GRU](https://x.org)", "tanh and σ, GRU (https://x.org)"),
        ("- a list with $h_t$\n- and $$W^2$$", "- a list with hₜ\n- and W²"),
        ("$$\n\\Gamma_u = \\sigma(x)\n$$", "    Γᵤ = σ(x)"),
    ],
)
def test_line_mode_text(markdown: str, shown: str) -> None:
    assert terminal_text(markdown) == shown


def test_the_tui_parser_shows_math_as_text_and_unlabelled_fences_plain() -> None:
    tokens = card_parser().parse("Loss $\\frac{1}{n}$ here\n\n```\n$x$ raw\n```\n")
    inline = tokens[1].children or []
    assert "".join(t.content for t in inline) == "Loss 1/n here"
    fence = tokens[3]
    assert (fence.type, fence.info, fence.content) == ("fence", "text", "$x$ raw\n")


def test_a_c_block_card_shows_its_text_once_and_a_heading_cloze_its_heading() -> None:
    deck = parse_deck("# Algebra\n\nC: The [trace] is the sum of the [diagonal].\n", "qa.md").cards
    trace = card_view(front=deck[1].front, back=deck[1].back, kind="cloze", cloze=2)
    assert question_text(trace) == "The trace is the sum of the […]."
    assert answer_text(trace) == "The trace is the sum of the **diagonal**."
    heading = card_view(front="Trace", back=deck[1].back, kind="cloze", cloze=2)
    assert question_text(heading) == "Trace\n\nThe trace is the sum of the […]."
