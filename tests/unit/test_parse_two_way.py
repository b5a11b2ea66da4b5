"""``{.two-way}`` on a heading card: the card asked both ways."""

from __future__ import annotations

from quizapp.deckfile.parse import parse_deck


def test_a_two_way_heading_is_two_cards() -> None:
    deck = parse_deck(
        "# RNN\n\n## GRU {#gru .two-way .nlp}\n\ngated recurrent unit\n\nwith two gates\n",
        "rnn.md",
    )
    forward, reverse = deck.cards
    assert (forward.id, forward.front, forward.back) == (
        "gru",
        "GRU",
        "gated recurrent unit\n\nwith two gates",
    )
    assert (reverse.id, reverse.front, reverse.back) == (
        "gru/reverse",
        "gated recurrent unit\n\nwith two gates",
        "GRU",
    )
    # the class steers the parser; the others stay tags
    assert forward.tags == reverse.tags == ("nlp",)
    assert deck.diagnostics == ()


def test_a_two_way_heading_without_an_id_keeps_the_default_id() -> None:
    deck = parse_deck("## GRU {.two-way}\n\ngated\n", "rnn.md")
    forward, reverse = deck.cards
    assert reverse.id == forward.id + "/reverse"
    # editing the answer keeps both ids: the reverse hashes the heading too
    edited = parse_deck("## GRU {.two-way}\n\ngated recurrent unit\n", "rnn.md")
    assert [c.id for c in edited.cards] == [forward.id, reverse.id]


def test_cloze_cards_are_not_reversed() -> None:
    deck = parse_deck("## Gates {.two-way}\n\nthe {{c1::update}} gate\n", "rnn.md")
    assert [c.kind for c in deck.cards] == ["cloze"]
