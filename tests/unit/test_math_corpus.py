"""Math shown as text never loses a symbol: every formula of the bundled deck, and a few
hundred written for this test in the style of ML notes (linear algebra, probability,
losses, attention, optimisers), checked by an oracle that knows LaTeX, not the renderer
(:mod:`mathfaith`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mathfaith import corpus_entries, problems

from quizapp import locations
from quizapp.deckfile.collection import load_decks
from quizapp.present.cardtext import card_markdown
from quizapp.present.mathtext import latex_to_unicode

NOTES = Path(__file__).parent.parent / "fixtures" / "math" / "ml-notes.tex"


def _bundled_formulas() -> list[str]:
    md = card_markdown()
    found: list[str] = []
    for deck in load_decks([locations.bundled_deck()]):
        for card in deck.cards:
            for text in (card.front, card.back, card.quiz.ask if card.quiz else ""):
                for token in md.parse(text):
                    if token.type in ("math_block", "math_block_label"):
                        found.append(token.content.strip())
                    for child in token.children or []:
                        if child.type in ("math_inline", "math_inline_double"):
                            found.append(child.content.strip())
    return list(dict.fromkeys(found))


BUNDLED = _bundled_formulas()
WRITTEN = corpus_entries(NOTES.read_text(encoding="utf-8"))


def _lost(latex: str) -> list[str]:
    lost = problems(latex, latex_to_unicode(latex), display=False)
    if "\\begin" in latex:
        lost += problems(latex, latex_to_unicode(latex, display=True), display=True)
    return lost


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(BUNDLED) > 150
    assert len(WRITTEN) > 250


@pytest.mark.parametrize(("name", "formulas"), [("bundled", BUNDLED), ("written", WRITTEN)])
def test_every_formula_is_shown_without_losing_a_symbol(name: str, formulas: list[str]) -> None:
    unfaithful = {f: lost for f in formulas if (lost := _lost(f))}
    assert unfaithful == {}, f"{len(unfaithful)} of {len(formulas)} {name} formulas lose symbols"


@pytest.mark.parametrize(
    ("latex", "shown", "display"),
    [
        # what the renderer used to show: the oracle sees each loss
        (r"\|\mathbf{v}\| = \sqrt{\sum v_i^2}", "v = √(∑ vᵢ²)", False),
        (r"\frac{a \cdot b}{\|a\|\|b\|}", "(a · b)/ab", False),
        (r"\overline{AB}", "AB", False),
        (r"\binom{n}{k}", "binom(n)k", False),
        (r"\begin{cases} 1 & x>0 \\ 0 & \text{otherwise} \end{cases}", "1 x>0 0 otherwise", True),
        (r"\argmax_x f(x)", "argmaxₓ f(x)", False),
    ],
)
def test_the_oracle_sees_a_lost_symbol(latex: str, shown: str, display: bool) -> None:
    assert problems(latex, shown, display) != []
