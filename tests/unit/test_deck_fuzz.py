"""The deck parser never raises, every line it reports lies inside the file, no control
character survives it, and every quiz block it accepts draws."""

from __future__ import annotations

import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deckfile import parse_deck
from quizapp.deckfile.catalog import CATALOG
from quizapp.deckfile.types import ParsedDeck
from quizapp.grading.draw import draw_params
from quizapp.grading.formulas import derivation

#: what the parser never lets through: C0 controls but newline and tab, DEL, C1
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: pieces of deck syntax, including the broken kinds, to build plausible decks from
PIECES = [
    "# Deck",
    "## Topic",
    "### Question?",
    "#### 求 GRU 参数？ {#gru .hard}",
    "### Draft {.skip}",
    "##",
    "## {#only-id}",
    "Title\n=====",
    "answer text with $x^{<t>}$ and `code`",
    "- item\n\n    ![](img.png)",
    "> ## quoted",
    "```python\n# comment\n```",
    "```",
    "~~~~",
    "```quiz\nmodel: gru_params\nask: 'nn.GRU({m}, {n})'\nparams: {m: [8, 512], n: 64}\n```",
    "```quiz\nmodel: gru_param\nask: [\n```",
    "```quiz\nmodel: conv_output\nparams: {n: [9, 1], f: true}\nid: x\n```",
    "```quiz",
    "$$\n\\hat{c}^{<t>} = \\tanh(x)\n$$",
    "$$",
    "The {{c1::capital}} is {{c2::Paris::city}} and `{{c3::code}}` {{c0::zero}}",
    "---\ndeck: Fuzz\ncards: 3\n---",
    "---",
    "deck: [",
    "| a | b |\n|---|---|\n| {{c1::x}} | y |",
    "<details>\n## raw\n</details>",
    "",
    "\t",
    "x" * 10_050,
    "```quiz\nmodel: gru_params\n\x01\n```",
    "---\ndeck: \x02\n---",
    "a\rb\r\r## lone CR",
    # control sequences, raw and as YAML escapes
    "### OSC 52 \x1b]52;c;aGk=\x07 here?\n\nclear \x1b[2J \x9b2J \x7f\x85 done",
    '---\ndeck: "\\e]0;title\\a"\ntags: ["\\x9b", "\\N"]\n---',
    '```quiz\nmodel: gru_params\nask: "\\e]52;c;aGk=\\a {m}"\nparams: {m: 8, n: 8}\n```',
    # the other card layouts, with control characters in their cards
    "#flashcards\n\nWhat\x1b]0;t\x07?::It\x9b2J is",
    "Q: Which\x1b[31m one?\nA: That\x07 one.\n\nC: The [capital\x1b] is here.",
    "---\ncards: list\n---\n\n- Front\x1b[2J?\n\n  Back\x07 text",
    # YAML anchors and aliases: harmless reuse, a blow-up, a value that contains itself
    "```quiz\nmodel: gru_params\nask: x\nparams: {m: &r [8, 64], n: *r}\n```",
    "---\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
    "tags: *d\n---",
    "```quiz\nmodel: gru_params\nask: x\nparams: &p {m: *p, n: 8}\n```",
    "---\ntags: &t [*t]\n---",
    # numbers past every limit, and constraints no draw satisfies
    "```quiz\nmodel: gru_params\nask: x\nparams: {m: [1, 1%s], n: 8}\n```" % ("0" * 400),
    "```quiz\nmodel: lstm_step\nask: x\nparams: {x: [-1.0e+308, 1.0e+308], h: 0, c: .inf}\n```",
    "```quiz\nmodel: mha_params\nask: x\nparams: {d: 7, heads: 2}\n```",
    "```quiz\nmodel: conv_output\nask: x\nparams: {n: [1, 3], f: [9, 12], d: 99}\n```",
    "$$\n" + "\\sqrt{" * 300 + "x" + "}" * 300 + "\n$$",
]

#: what a quiz parameter may say, extreme numbers included
NUMBERS = st.one_of(
    st.integers(min_value=-3, max_value=1_100_000),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1e308", "-1e308", ".inf", "-.inf", ".nan", "1" + "0" * 300, "0x7fffffff"]),
)


def _yaml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value).replace("inf", ".inf").replace("nan", ".nan")
    return str(value)


PARAM_VALUES = st.one_of(
    NUMBERS, st.lists(NUMBERS, min_size=1, max_size=4), st.sampled_from(['"2,3,4"', '"0,9"'])
)
#: values a model accepts, so that many generated blocks get as far as the draw
PLAUSIBLE = st.sampled_from([1, 2, 3, 8, 64, [8, 64], [1, 1000], [2, 3], 0.5, [-1, 1], '"2,3"'])


@st.composite
def quiz_blocks(draw: st.DrawFn) -> str:
    """A quiz block of a bundled model: its required parameters mostly plausible, any
    parameter possibly extreme."""
    model = CATALOG[draw(st.sampled_from(sorted(CATALOG)))]
    params = {p.name: draw(PLAUSIBLE) for p in model.params if p.required}
    names = sorted({p.name for m in CATALOG.values() for p in m.params})
    params.update(draw(st.dictionaries(st.sampled_from(names), PARAM_VALUES, max_size=3)))
    body = ", ".join(f"{k}: {_yaml(v)}" for k, v in params.items())
    return f"```quiz\nmodel: {model.name}\nask: q\nparams: {{{body}}}\n```"


def line_count(text: str) -> int:
    """Lines of ``text`` counting LF, CRLF and lone CR as breaks, as editors do."""
    return text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def check(deck: ParsedDeck, text: str, source: str) -> None:
    last = line_count(text)
    for d in deck.diagnostics:
        assert d.source == source
        assert d.severity in ("error", "warning")
        assert 1 <= d.line <= last, (d, last)
        assert d.message
        # a message never writes out an unbounded value
        assert len(d.message) < 600, d.message
    assert not CONTROL.search(deck.deck)
    for card in deck.cards:
        assert 1 <= card.line <= last, (card, last)
        assert card.front
        assert card.kind in ("basic", "cloze", "quiz")
        for part in (card.deck, card.front, card.back, *card.topic, *card.tags):
            assert not CONTROL.search(part), (card, part)
        if card.quiz is not None:
            # a block the parser accepts is one the grader can draw and explain
            assert not CONTROL.search(card.quiz.ask)
            params = draw_params(card.quiz, random.Random(0))
            derivation(card.quiz.model, params)
    for topic in deck.topics:
        assert 1 <= topic.line <= last
    ids = [c.id for c in deck.cards]
    assert len(ids) == len(set(ids))


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes) -> None:
    deck = parse_deck(data, "fuzz.md")
    check(deck, data.decode("utf-8", "replace"), "fuzz.md")


@FUZZ
@given(st.text(max_size=3000))
def test_arbitrary_text(text: str) -> None:
    check(parse_deck(text, "fuzz.md"), text, "fuzz.md")


@FUZZ
@given(
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=30)), max_size=40),
    st.lists(st.sampled_from(["\n", "\n\n", "\r\n", "\r", " \n"]), min_size=1, max_size=40),
    st.booleans(),
)
def test_deck_shaped_text(pieces: list[str], breaks: list[str], bom: bool) -> None:
    text = "".join(p + breaks[i % len(breaks)] for i, p in enumerate(pieces))
    data = ("\ufeff" if bom else "") + text
    check(parse_deck(data.encode(), "fuzz.md", ("sub",)), text, "fuzz.md")


@FUZZ
@given(
    st.lists(st.one_of(quiz_blocks(), st.sampled_from(PIECES)), min_size=1, max_size=6),
    st.text(alphabet=st.characters(max_codepoint=0xA0), max_size=20),
)
def test_quiz_blocks_and_control_characters(blocks: list[str], noise: str) -> None:
    text = "# Deck\n\n## Question " + noise + "?\n\n" + "\n\n".join(blocks) + "\n"
    check(parse_deck(text, "fuzz.md"), text, "fuzz.md")
