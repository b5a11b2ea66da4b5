"""The deck parser never raises, and every line it reports lies inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deckfile import parse_deck
from quizapp.deckfile.types import ParsedDeck

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
]


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
    for card in deck.cards:
        assert 1 <= card.line <= last, (card, last)
        assert card.front
        assert card.kind in ("basic", "cloze", "quiz")
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
