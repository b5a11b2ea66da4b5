"""A question that is only an HTML comment shows nothing: an error, not a blank card."""

from __future__ import annotations

import pytest

from quizapp.deckfile.parse import parse_deck


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("---\ntags: [flashcards]\n---\n<!--SR:!2024-01-01,1,230-->\n?\nanswer\n", 4),
        # (the tag line is part of an OSR question that follows it at once)
        ("#flashcards\n<!-- a note to self -->\n?\nanswer\n", 1),
        ("Q: <!-- later -->\nA: an answer\n", 1),
        ("# Deck\n\n## <!-- draft -->\n\nanswer\n", 3),
    ],
)
def test_a_comment_only_question_is_refused_at_its_line(text: str, line: int) -> None:
    deck = parse_deck(text, "notes.md")
    assert deck.cards == ()
    [error] = [d for d in deck.diagnostics if d.severity == "error"]
    assert error.line == line
    assert "question is empty once its HTML comments are left out" in error.message


def test_a_question_with_text_beside_its_comment_loads() -> None:
    deck = parse_deck("#flashcards\nWhat is a GRU? <!-- check -->\n?\nA gated RNN.\n", "n.md")
    assert [c.front.strip() for c in deck.cards] == ["What is a GRU?"]
