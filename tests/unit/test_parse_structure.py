"""The deck format's structure rules: deck name, leaf and fixed-level cards, topics, ids."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest

from quizapp.deckfile import CardSpec, card_id, content_hash, parse_deck
from quizapp.deckfile.types import ParsedDeck

FIXTURES = Path(__file__).parent.parent / "fixtures" / "decks"


def parse(text: str, source: str = "deck.md", prefix: tuple[str, ...] = ()) -> ParsedDeck:
    return parse_deck(text, source, prefix)


def outline(deck: ParsedDeck) -> list[tuple[tuple[str, ...], str]]:
    return [(c.topic, c.front) for c in deck.cards]


# -- the seed's format, with all of its traps -------------------------------------------


@pytest.fixture(scope="module")
def seed() -> ParsedDeck:
    path = FIXTURES / "seed-format.md"
    return parse_deck(path.read_bytes(), str(path))


def test_seed_format_yields_exactly_its_questions_and_knowledge_sections(seed: ParsedDeck) -> None:
    assert seed.deck == "深度学习模型"
    assert outline(seed) == [
        (("知识体系",), "CNN"),
        (("知识体系",), "RNN"),
        (("Questions", "CNN相关"), "CNN 有什么好处？"),
        (("Questions", "CNN相关"), "卷积层输出 size？"),
        (("Questions", "RNN"), "LSTM 网络结构？"),
        (("Questions", "RNN"), "GRU 参数量"),
        (("Questions", "Attention"), "Attention 机制"),
        (("Questions", "ELMO"), "简单介绍下ELMO"),
        # an H3 among H4 siblings: a card directly under "Questions"
        (("Questions",), "ELMO的缺点"),
        (("Questions", "BERT"), "BERT缺点"),
    ]
    assert all(c.kind == "basic" for c in seed.cards)
    assert seed.diagnostics == ()


def test_seed_format_lines_ids_and_breadcrumbs(seed: ParsedDeck) -> None:
    lines = {c.front: c.line for c in seed.cards}
    assert lines["CNN"] == 8
    assert lines["ELMO的缺点"] == 77
    assert lines["BERT缺点"] == 84
    assert len({c.id for c in seed.cards}) == len(seed.cards)
    # "### RNN" twice: a card under 知识体系, a topic under Questions
    rnn = next(c for c in seed.cards if c.front == "RNN")
    assert rnn.id == card_id("深度学习模型", ("知识体系",), "RNN")
    assert rnn.source == str(FIXTURES / "seed-format.md")


def test_seed_format_backs_keep_their_markdown(seed: ParsedDeck) -> None:
    backs = {c.front: c.back for c in seed.cards}
    # images indented inside list items stay in the knowledge section's back
    assert "    ![](images/gru.png)" in backs["RNN"].splitlines()
    assert backs["RNN"].startswith("RNN 的两个常用变体：")
    assert backs["RNN"].endswith("    ![](images/gru.png)")
    # $$ blocks keep <t> as written
    assert "c^{<t>} = \\Gamma_f * c^{<t-1>}" in backs["LSTM 网络结构？"]
    assert backs["LSTM 网络结构？"].startswith("$$") and backs["LSTM 网络结构？"].endswith("$$")
    # a "# comment" inside a code fence is code, not a heading
    assert "# a comment, not a heading" in backs["Attention 机制"]
    assert backs["ELMO的缺点"] == "两个方向分开训练，只在 loss 处合并。"


def test_seed_format_topic_intro_is_a_note(seed: ParsedDeck) -> None:
    assert [(t.path, t.text, t.line) for t in seed.topics] == [
        (("知识体系",), "本节概括常见的特征抽取模型：卷积网络、循环网络和注意力机制。", 4)
    ]


# -- deck name ----------------------------------------------------------------------------


def test_deck_name_from_front_matter_keeps_the_h1_as_a_topic() -> None:
    deck = parse("---\ndeck: Interview prep\n---\n# Models\n\n## Q\n\nA\n")
    assert deck.deck == "Interview prep"
    assert outline(deck) == [(("Models",), "Q")]


def test_deck_name_from_first_h1_which_is_not_a_topic() -> None:
    deck = parse("# Models\n\nAbout this deck.\n\n## Q\n\nA\n")
    assert deck.deck == "Models"
    assert outline(deck) == [((), "Q")]
    assert [(t.path, t.text) for t in deck.topics] == [((), "About this deck.")]


def test_deck_name_falls_back_to_the_file_stem_and_gets_the_folder_prefix() -> None:
    deck = parse("## Q\n\nA\n", "notes/attention-basics.md", ("nlp", "models"))
    assert deck.deck == "nlp::models::attention-basics"
    assert deck.cards[0].deck == "nlp::models::attention-basics"
    assert deck.cards[0].id == card_id("nlp::models::attention-basics", (), "Q")


def test_a_second_h1_is_an_ordinary_topic() -> None:
    deck = parse("# Deck\n\n## A\n\na\n\n# Part two\n\n## B\n\nb\n")
    assert deck.deck == "Deck"
    assert outline(deck) == [((), "A"), (("Part two",), "B")]


# -- the leaf rule ------------------------------------------------------------------------


def test_heading_levels_may_skip_and_nesting_alone_decides() -> None:
    deck = parse(
        "# D\n\n## T\n\n#### deep card\n\nx\n\n### shallow card\n\ny\n\n## U\n\n### z\n\nz\n"
    )
    assert outline(deck) == [(("T",), "deep card"), (("T",), "shallow card"), (("U",), "z")]


def test_headings_inside_code_math_html_or_quotes_are_body() -> None:
    text = (
        "# D\n\n## Q\n\n~~~\n## not a heading\n~~~\n\n$$\n# not a heading\n$$\n\n"
        "> ## quoted heading\n\n    ## indented code\n\n<details>\n## raw html\n</details>\n"
    )
    deck = parse(text)
    assert outline(deck) == [((), "Q")]
    assert "> ## quoted heading" in deck.cards[0].back
    assert "    ## indented code" in deck.cards[0].back
    assert deck.cards[0].back.endswith("<details>\n## raw html\n</details>")


def test_a_topic_without_intro_gives_no_note_and_headings_keep_inline_markdown() -> None:
    deck = parse("# D\n\n## The `GRU` *cell*\n\n### Count `params`?\n\n3(nm + n² + 2n)\n")
    assert deck.topics == ()
    assert outline(deck) == [(("The `GRU` *cell*",), "Count `params`?")]


def test_setext_headings_and_closing_hashes() -> None:
    deck = parse("Deck\n====\n\nTopic\n-----\n\n### Q ###\n\nA\n")
    assert deck.deck == "Deck"
    assert outline(deck) == [(("Topic",), "Q")]
    assert deck.cards[0].line == 7


def test_back_is_the_body_source_without_surrounding_blank_lines() -> None:
    deck = parse("# D\n\n## Q\n\n\n    indented code first\n\n- item\n\n  more\n\n\n## R\n\nr\n")
    assert deck.cards[0].back == "    indented code first\n\n- item\n\n  more"


def test_bom_and_crlf_are_accepted() -> None:
    data = "\ufeff# D\r\n\r\n## Q\r\n\r\nline one\r\nline two\r\n".encode()
    deck = parse_deck(data, "deck.md")
    assert deck.deck == "D"
    assert deck.cards[0].back == "line one\nline two"
    assert deck.cards[0].line == 3
    assert deck.diagnostics == ()


# -- fixed level --------------------------------------------------------------------------


def test_fixed_level_cards_include_their_sub_headings() -> None:
    text = (
        "---\ncards: 2\n---\n# Deck\n\nIntro.\n\n## Explain attention\n\n"
        "### Queries\n\nq\n\n### Keys\n\nk\n\n## Empty one\n\n## Last\n\nl\n"
    )
    deck = parse(text)
    assert deck.deck == "Deck"
    assert outline(deck) == [((), "Explain attention"), ((), "Empty one"), ((), "Last")]
    assert deck.cards[0].back == "### Queries\n\nq\n\n### Keys\n\nk"
    assert deck.cards[1].back == ""
    assert [(t.path, t.text) for t in deck.topics] == [((), "Intro.")]


def test_fixed_level_topics_above_and_stray_headings_below() -> None:
    text = (
        "---\ncards: 3\n---\n# D\n\n## Topic\n\n### Card\n\n#### part\n\np\n\n"
        "## Other\n\n#### stray\n\ns\n"
    )
    deck = parse(text)
    assert outline(deck) == [(("Topic",), "Card")]
    assert deck.cards[0].back == "#### part\n\np"
    [stray] = deck.diagnostics
    assert (stray.line, stray.severity) == (16, "warning")
    assert "'stray' is below level 3" in stray.message


def test_fixed_level_one_takes_the_deck_name_from_the_stem() -> None:
    deck = parse("---\ncards: 1\n---\n# First\n\na\n\n# Second\n\nb\n", "flash.md")
    assert deck.deck == "flash"
    assert outline(deck) == [((), "First"), ((), "Second")]


# -- attributes ---------------------------------------------------------------------------


def test_explicit_id_and_classes_are_read_and_removed_from_the_front() -> None:
    deck = parse("# D\n\n## 求 GRU 参数？ {#gru-params .hard .core}\n\n3(nm+n²+2n)\n")
    [card] = deck.cards
    assert card.front == "求 GRU 参数？"
    assert card.id == "gru-params"
    assert card.explicit_id
    assert card.tags == ("hard", "core")


def test_braces_that_are_not_attributes_stay_in_the_question() -> None:
    deck = parse("# D\n\n## Is {a, b} a set?\n\nyes\n\n## What is {}?\n\nempty\n")
    assert [c.front for c in deck.cards] == ["Is {a, b} a set?", "What is {}?"]
    assert not any(c.explicit_id for c in deck.cards)


def test_skip_excludes_a_card_or_a_whole_topic() -> None:
    text = (
        "# D\n\n## Keep\n\nk\n\n## Draft {.skip}\n\nd\n\n## Later {.skip}\n\n### Hidden\n\nh\n\n"
        "```quiz\nmodel: nope\n```\n\n## Also kept\n\na\n"
    )
    deck = parse(text)
    assert [c.front for c in deck.cards] == ["Keep", "Also kept"]
    # nothing under a skipped heading is checked either
    assert deck.diagnostics == ()


def test_features_fixture() -> None:
    path = FIXTURES / "features.md"
    deck = parse_deck(path.read_bytes(), "features.md")
    assert deck.deck == "Features"
    topic = ("Recurrent networks", "GRU")
    assert [(c.id, c.kind, c.topic) for c in deck.cards] == [
        ("gru-params", "basic", topic),
        ("gru-params/quiz-1", "quiz", topic),
        ("gru-two-layers", "quiz", topic),
        (card_id("Features", topic, "GRU 门控（填空）") + "/c1", "cloze", topic),
        (card_id("Features", topic, "GRU 门控（填空）") + "/c2", "cloze", topic),
    ]
    assert deck.cards[0].tags == ("hard", "interview", "nlp")
    assert deck.cards[3].tags == ("interview", "nlp")
    assert [(t.path, t.text) for t in deck.topics] == [
        (("Recurrent networks",), "Intro note of the top topic.")
    ]
    assert deck.diagnostics == ()


# -- ids and content hashes ---------------------------------------------------------------


def test_default_id_is_sha1_of_deck_topic_and_normalized_question() -> None:
    expected = hashlib.sha1(b"D\x1fT\x1fU\x1fWhat is GRU?").hexdigest()[:16]
    assert card_id("D", ("T", "U"), "  What   is\tGRU? ") == expected
    # NFKC: full-width letters and the ideographic space are the same question
    assert card_id("D", ("T", "U"), "Ｗｈａｔ\u3000is GRU?") == expected
    assert unicodedata.normalize("NFKC", "Ｗ") == "W"


def test_id_survives_answer_edits_and_rewrapping_but_not_question_edits() -> None:
    before = parse("# D\n\n## T\n\n### What  is GRU?\n\nold answer\n").cards[0]
    after = parse("# D\n\n## T\n\n### What is GRU?\n\nnew answer\n").cards[0]
    renamed = parse("# D\n\n## T\n\n### What is a GRU?\n\nold answer\n").cards[0]
    moved = parse("# D\n\n## U\n\n### What is GRU?\n\nold answer\n").cards[0]
    assert before.id == after.id
    assert renamed.id != before.id
    assert moved.id != before.id


def base_card(**changes: object) -> CardSpec:
    card = CardSpec(
        id="x", deck="D", topic=("T",), front="Q", back="A", kind="basic", source="a.md", line=3
    )
    return CardSpec(**{**card.__dict__, **changes})


def test_content_hash_covers_content_not_position() -> None:
    card = base_card()
    assert content_hash(card) == content_hash(base_card(line=99, source="b.md", id="y"))
    for change in (
        {"front": "Q2"},
        {"back": "A2"},
        {"topic": ("T", "U")},
        {"deck": "E"},
        {"kind": "cloze", "cloze": 1},
        {"tags": ("hard",)},
        {"parent": "p"},
    ):
        assert content_hash(base_card(**change)) != content_hash(card), change


def test_an_id_on_a_topic_heading_is_ignored_with_a_warning() -> None:
    deck = parse("# D\n\n## Topic {#t}\n\n### Q\n\nA\n")
    assert [c.topic for c in deck.cards] == [("Topic",)]
    assert [(d.line, d.severity, d.message) for d in deck.diagnostics] == [
        (
            3,
            "warning",
            "{#t} is on a heading with sub-headings, which is a topic, not a card; "
            "the id is ignored",
        )
    ]
