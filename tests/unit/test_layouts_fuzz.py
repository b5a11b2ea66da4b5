"""The list, OSR and ``Q:``/``A:``/``C:`` layouts never raise, report lines inside the
file, and give every card a front and a unique id, whatever pieces a file mixes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.deckfile import parse_deck

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADS = ["", "---\ncards: list\n---", "---\ntags: [flashcards]\n---", "#flashcards", "# Deck"]
PIECES = [
    "## Topic",
    "Title\n---",
    "1. Question?",
    "   indented answer",
    "- bullet {#id-1}",
    "  - nested",
    "2) Draft {.skip}",
    "Q: question",
    "Q:",
    "A: answer",
    "A:",
    "C: The [a] and [b::c] and [x^{2}] and [[w]] and [l](u) and ![i](p)",
    "C:",
    "[ref]: https://example.org",
    "front::back",
    "front:::back <!--SR:!2026-01-01,1,250--> ^blk",
    "`code::span`",
    "?",
    "??",
    "```",
    "```quiz\nmodel: gru_params\nask: 'nn.GRU({m}, {n})'\nparams: {m: [8, 512], n: 64}\n```",
    "$$\n[x] :: y\n$$",
    "{{c1::gap}} and {{c0::zero}}",
    "<!--SR:!2026-01-01,1,250-->",
    "***",
    "",
    "\t",
]


@FUZZ
@given(
    st.sampled_from(HEADS),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40),
    st.lists(st.sampled_from(["\n", "\n\n", "\r\n"]), min_size=1, max_size=10),
)
def test_layout_shaped_text(head: str, pieces: list[str], breaks: list[str]) -> None:
    text = head + "\n" + "".join(p + breaks[i % len(breaks)] for i, p in enumerate(pieces))
    deck = parse_deck(text, "fuzz.md")
    last = text.count("\n") + text.count("\r") - text.count("\r\n") + 1
    for d in deck.diagnostics:
        assert 1 <= d.line <= last, (d, last)
        assert d.message
    for card in deck.cards:
        assert 1 <= card.line <= last, (card, last)
        assert card.front.strip()
    ids = [c.id for c in deck.cards]
    assert len(ids) == len(set(ids))
