"""Stable note GUIDs, deck names, deck ids and tags."""

from __future__ import annotations

from quizapp.export.identity import (
    anki_deck_id,
    anki_deck_name,
    anki_tags,
    breadcrumb,
    note_guid,
)


def test_guid_depends_on_card_id_and_instance_only() -> None:
    assert note_guid("gru-params") == note_guid("gru-params")
    assert note_guid("gru-params") != note_guid("lstm-params")
    guids = {note_guid("gru-params/quiz-1", i) for i in range(3)}
    assert len(guids) == 3
    assert note_guid("gru-params/quiz-1", 0) == note_guid("gru-params/quiz-1", 0)


def test_deck_name_nests_topics() -> None:
    assert anki_deck_name("基于深度学习的模型", ("Questions", "CNN相关")) == (
        "基于深度学习的模型::Questions::CNN相关"
    )
    assert anki_deck_name("nlp::BERT", ()) == "nlp::BERT"


def test_deck_name_keeps_a_heading_with_colons_on_one_level() -> None:
    assert anki_deck_name("D", ("C++::std", "  a   b ")) == "D::C++:std::a b"


def test_deck_id_is_stable_and_in_range() -> None:
    a = anki_deck_id("D::Questions")
    assert a == anki_deck_id("D::Questions")
    assert a != anki_deck_id("D::Knowledge")
    assert (1 << 30) <= a < (1 << 31)


def test_tags_from_topic_path_have_no_spaces() -> None:
    assert anki_tags(("Questions", "CNN 相关")) == ["Questions::CNN_相关"]
    assert anki_tags((), ("rnn", "two words")) == ["rnn", "two_words"]
    assert anki_tags(("A",), ("A",)) == ["A"]


def test_breadcrumb() -> None:
    assert breadcrumb("nlp::BERT", ("Questions",)) == "nlp › BERT › Questions"
