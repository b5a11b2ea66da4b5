"""The bundled LLM arithmetic deck: every computational card draws, states its tolerance,
and grades its own reference answer as right."""

from __future__ import annotations

import random

from quizapp import locations
from quizapp.deckfile.parse import parse_deck
from quizapp.grading.draw import draw_params
from quizapp.grading.grade import grade, render_question
from quizapp.grading.models import compute

DECK = locations.bundled_deck() / "llm-arithmetic.md"


def test_the_llm_topic_has_about_fifteen_computational_cards_with_derivations() -> None:
    deck = parse_deck(DECK.read_text(encoding="utf-8"), str(DECK))
    assert deck.diagnostics == ()
    assert deck.deck == "LLM arithmetic"
    quizzes = [c for c in deck.cards if c.quiz is not None]
    assert 14 <= len(quizzes) <= 20
    parents = {c.id: c for c in deck.cards if c.kind == "basic"}
    for card in quizzes:
        assert card.parent in parents
        # the worked derivation sits on the card the quiz belongs to
        assert len(parents[card.parent].back) > 150
    models = {c.quiz.model for c in quizzes if c.quiz is not None}
    assert {"decoder_params", "encoder_params", "kv_cache_bytes", "train_memory_bytes",
            "flops_per_token", "train_flops", "lora_params"} <= models  # fmt: skip


def test_every_card_draws_and_grades_its_own_answer() -> None:
    deck = parse_deck(DECK.read_text(encoding="utf-8"), str(DECK))
    rng = random.Random(7)
    for card in deck.cards:
        if card.quiz is None:
            continue
        for _ in range(5):
            params = draw_params(card.quiz, rng)
            question = render_question(card.quiz, params)
            assert "{" not in question, question
            assert question.endswith(("(exact answer)", "are read)")), question
            truth = compute(card.quiz.model, params)
            assert isinstance(truth, int)
            result = grade(card.quiz, params, str(truth))
            assert result.verdict.status == "correct", (card.id, params, result.verdict.message)
