"""Card layouts besides headings: ``cards: list``, Obsidian Spaced Repetition notes and
``Q:``/``A:``/``C:`` decks, read from look-alike fixtures written for these tests."""

from __future__ import annotations

import re
import textwrap
import time
from pathlib import Path

import pytest

from quizapp.deckfile import ParsedDeck, parse_deck
from quizapp.deckfile.lint import lint_paths

FIXTURES = Path(__file__).parent.parent / "fixtures" / "layouts"


def parse(text: str, source: str = "deck.md") -> ParsedDeck:
    return parse_deck(text, source)


def fixture(name: str) -> ParsedDeck:
    path = FIXTURES / name
    return parse_deck(path.read_bytes(), name)


def cards(deck: ParsedDeck) -> list[tuple[str, str]]:
    return [(c.front, c.back) for c in deck.cards]


def found(deck: ParsedDeck) -> list[str]:
    return [str(d) for d in deck.diagnostics]


# -- cards: list -------------------------------------------------------------------------


def test_numbered_list_note_loads_one_card_per_answered_question() -> None:
    deck = fixture("numbered.md")
    assert deck.deck == "序列模型"
    assert [(c.topic, c.front, c.kind, c.line) for c in deck.cards] == [
        (("RNN",), "LSTM 网络结构？", "basic", 10),
        (("RNN",), "为什么 RNN 会梯度消失？", "basic", 21),
        (("RNN",), "求 GRU 参数量", "basic", 27),
        (("RNN",), "nn.GRU({m}, {n}) 有多少个参数？", "quiz", 31),
        (("Attention",), "缩放点积注意力为什么除以 $\\sqrt{d_k}$？", "cloze", 39),
    ]
    # The unanswered question is a warning at its line, and nothing else is reported.
    assert found(deck) == [
        "numbered.md:25: warning: list item 'GRU 和 LSTM 哪个快？' has no answer under it, "
        "so it is not a card (indent the answer below the question)"
    ]


def test_list_answer_keeps_its_markdown_without_the_item_indentation() -> None:
    lstm = fixture("numbered.md").cards[0]
    assert lstm.back == (
        "三个门控制一个记忆单元 $c_t$：\n"
        "\n"
        "$$\n"
        "c_t = f_t \\odot c_{t-1} + i_t \\odot \\tilde{c}_t\n"
        "$$\n"
        "\n"
        "- 遗忘门 $f_t$ 决定丢掉多少旧记忆\n"
        "- 输出门 $o_t$：$h_t = o_t \\odot \\tanh(c_t)$"
    )


def test_list_item_ids_skips_quiz_and_cloze_work_as_for_headings() -> None:
    deck = fixture("numbered.md")
    by_front = {c.front: c for c in deck.cards}
    gru = by_front["求 GRU 参数量"]
    assert (gru.id, gru.explicit_id) == ("gru-count", True)
    assert gru.back == "PyTorch 每个门两个偏置：$3(nm + n^2 + 2n)$。"  # the quiz fence is cut out
    quiz = by_front["nn.GRU({m}, {n}) 有多少个参数？"]
    assert (quiz.id, quiz.parent, quiz.quiz and quiz.quiz.model) == (
        "gru-count/quiz-1",
        "gru-count",
        "gru_params",
    )
    cloze = deck.cards[-1]
    assert cloze.id.endswith("/c1") and "{{c1::" in cloze.back
    assert not any("草稿" in c.front for c in deck.cards)  # {.skip}


def test_list_items_in_code_and_items_without_answers_are_not_cards() -> None:
    text = (
        "---\ncards: list\n---\n"
        "1) Bullet or number, the marker is not part of the question?\n\n"
        "   Right.\n\n"
        "```markdown\n1. Inside a fence\n\n   not a card\n```\n\n"
        "* Star item\n"
        "  * nested answer\n"
    )
    deck = parse(text)
    assert cards(deck) == [
        ("Bullet or number, the marker is not part of the question?", "Right."),
        ("Star item", "* nested answer"),
    ]
    assert deck.diagnostics == ()


def test_answer_edit_of_a_list_card_keeps_its_id() -> None:
    before = parse("---\ncards: list\n---\n1. Why?\n\n   Because.\n")
    after = parse("---\ncards: list\n---\n1. Why?\n\n   Because, at length.\n")
    assert before.cards[0].id == after.cards[0].id
    assert before.cards[0].back != after.cards[0].back


def test_without_front_matter_lint_suggests_cards_list(tmp_path: Path) -> None:
    text = (FIXTURES / "numbered.md").read_text(encoding="utf-8")
    body = text.split("---\n", 2)[2]
    bare = tmp_path / "bare.md"
    bare.write_text(body.replace("## RNN\n", "").replace("## Attention\n", ""), "utf-8")
    named = tmp_path / "named.md"
    named.write_text("---\ndeck: Notes\n---\n" + bare.read_text("utf-8"), "utf-8")
    messages = [str(d) for d in lint_paths([bare, named]) if "no cards" in d.message]
    assert messages == [
        f"{bare}:5: warning: no cards in this file: its list items have answers under them, "
        "but cards are headings here; to make each such item a card, start the file with "
        "the front matter `---` / `cards: list` / `---`",
        f"{named}:8: warning: no cards in this file: its list items have answers under them, "
        "but cards are headings here; to make each such item a card, add `cards: list` to "
        "its front matter",
    ]


def test_plain_notes_without_answered_items_keep_the_usual_message() -> None:
    deck = parse("Some notes.\n\n- a point\n- another\n")
    assert found(deck) == [
        "deck.md:1: warning: no cards in this file (a card is a heading with content and no "
        "sub-headings)"
    ]


# -- Obsidian Spaced Repetition ----------------------------------------------------------


def test_osr_note_loads_exactly_its_cards_reversed_ones_twice() -> None:
    deck = fixture("vault-note.md")
    # named by its tag #flashcards/ml, as the plugin names it, not by its H1
    assert deck.deck == "ml"
    assert [(c.topic[1:], c.front, c.back) for c in deck.cards] == [
        (
            (),
            "Momentum keeps a running average of gradients",
            "It smooths the update direction and damps oscillation.",
        ),
        # the plugin's scheduling comment is not part of the answer
        ((), "Adam", "Adaptive Moment Estimation"),
        # ::: makes a card each way; the Obsidian block id is dropped
        (("Regularisation",), "Weight decay", "L2 penalty on the weights"),
        (("Regularisation",), "L2 penalty on the weights", "Weight decay"),
        (
            ("Regularisation",),
            "What does dropout do at inference time?",
            "Nothing is dropped; with inverted dropout the\nactivations need no rescaling.",
        ),
        (
            ("Regularisation",),
            "Early stopping",
            "Stop training when the validation loss stops improving.",
        ),
        (
            ("Regularisation",),
            "Stop training when the validation loss stops improving.",
            "Early stopping",
        ),
        (
            ("Regularisation",),
            "Label smoothing",
            "Mixing the one-hot target with a uniform distribution.",
        ),
    ]
    # The H1 is a topic: the plugin shows the headings above a card as its context.
    assert {c.topic[0] for c in deck.cards} == {"Optimizers"}
    # Obsidian's own front matter keys are not quizapp's business in a vault note.
    assert deck.diagnostics == ()


def test_osr_reversed_card_ids_follow_the_question() -> None:
    deck = parse("#flashcards\n\nWeight decay:::L2 penalty\n")
    edited = parse("#flashcards\n\nWeight decay:::An L2 penalty on the weights\n")
    forward, backward = deck.cards
    assert backward.id == forward.id + "/reverse"
    assert [c.id for c in edited.cards] == [forward.id, backward.id]


@pytest.mark.parametrize(
    "front_matter",
    [
        "tags: [flashcards]",
        "tags: flashcards/ml",
        'tags: ["#flashcards"]',
        "tags: notes, flashcards",
    ],
)
def test_osr_tag_in_front_matter(front_matter: str) -> None:
    deck = parse(f"---\n{front_matter}\n---\n# Note\n\nTerm::Definition\n")
    assert cards(deck) == [("Term", "Definition")]


def test_flashcard_tag_inside_code_or_a_longer_tag_does_not_make_an_osr_note() -> None:
    for text in (
        "## Q\n\nThe tag `#flashcards` marks notes; a::b\n",
        "## Q\n\n#flashcardsX tag; a::b\n",
        "## Q\n\n```\n#flashcards\n```\n\na::b\n",
    ):
        assert [c.front for c in parse(text).cards] == ["Q"], text


def test_osr_code_never_holds_cards() -> None:
    text = (
        "#flashcards\n\n"
        "Use `std::vector` here, not a card.\n\n"
        "```cpp\nauto v = std::vector<int>{};\n\n?\n```\n\n"
        "    indented::code\n\n"
        "How is a fenced block kept in an answer?\n"
        "?\n"
        "```python\nx = 1\n\ny = 2\n```\n"
        "It continues across the blank line in the fence.\n"
    )
    deck = parse(text)
    assert cards(deck) == [
        (
            "How is a fenced block kept in an answer?",
            "```python\nx = 1\n\ny = 2\n```\nIt continues across the blank line in the fence.",
        )
    ]


def test_osr_multi_line_card_ends_at_a_blank_line_and_prose_stays_prose() -> None:
    text = (
        "#flashcards\n\n"
        "Prose before.\n\n"
        "What are the two moments\n"
        "Adam tracks?\n"
        "?\n"
        "- the mean of the gradients\n"
        "- the uncentred variance\n\n"
        "Prose after, with a question mark?\n"
    )
    assert cards(parse(text)) == [
        (
            "What are the two moments Adam tracks?",
            "- the mean of the gradients\n- the uncentred variance",
        )
    ]


def test_osr_id_and_skip_at_the_end_of_the_question() -> None:
    deck = parse("#flashcards\n\nBias {#bias-card}::Offset\n\nDraft {.skip}::Later\n")
    assert [(c.id, c.front) for c in deck.cards] == [("bias-card", "Bias")]


# -- Q: / A: / C: ------------------------------------------------------------------------


def test_qa_deck_loads_one_card_per_question_and_per_deletion() -> None:
    deck = fixture("hashcards.md")
    # named by its TOML front matter, as hashcards names it; the H1 is a topic
    assert deck.deck == "Linear algebra"
    assert [(c.topic, c.kind, c.cloze, c.line) for c in deck.cards] == [
        (("Week 3",), "basic", None, 7),
        (("Week 3",), "basic", None, 10),
        (("Week 3",), "cloze", 1, 21),
        (("Week 3",), "cloze", 2, 21),
        (("Week 3", "Eigen things"), "cloze", 1, 25),
        (("Week 3", "Eigen things"), "basic", None, 32),
    ]
    assert found(deck) == [
        "hashcards.md:30: warning: question 'What does SVD stand for?' has no `A:` answer, "
        "so it is not a card"
    ]


def test_qa_question_and_answer_text() -> None:
    deck = fixture("hashcards.md")
    assert cards(deck)[:2] == [
        ("What is the rank of a matrix?", "The dimension of its column space."),
        (
            "Name the conditions for a matrix to be orthogonal.",
            "- $Q^\\top Q = I$\n- its columns are orthonormal\n\n"
            "```python\nQ.T @ Q  # identity\n```",
        ),
    ]
    # the answer stops at the heading, which is the next card's topic
    assert deck.cards[-1].back == "Yes, by the spectral theorem."


def test_cloze_deletions_skip_links_code_and_math() -> None:
    deck = fixture("hashcards.md")
    trace, eigen = deck.cards[2], deck.cards[4]
    assert trace.back == (
        "The {{c1::trace}} of a square matrix is the sum of its {{c2::diagonal entries}}."
    )
    # A deletion card's front is its text with every deletion hidden.
    assert (
        trace.front == deck.cards[3].front == ("The […] of a square matrix is the sum of its […].")
    )
    assert eigen.back == (
        "An eigenvector $v$ satisfies $Av = \\lambda v$; see [the notes](https://example.org/eig)"
        " and `x[0]`.\nThe set of eigenvalues is the {{c1::spectrum}}."
    )


def test_cloze_deletions_skip_reference_links_images_and_task_boxes() -> None:
    text = (
        "C: See [the spec] and ![a plot](p.png), [[Wiki Page]], [ref][] and `[0, 1]`;\n"
        "the answer is [forty-two]. A set is [$\\{x\\}$] and a map [a {b}].\n\n"
        "[the spec]: https://example.org\n[ref]: https://example.org/r\n"
    )
    (card, *rest) = parse(text).cards
    assert len(rest) == 2
    assert card.back.split("\n\n")[0] == (
        "See [the spec] and ![a plot](p.png), [[Wiki Page]], [ref][] and `[0, 1]`;\n"
        "the answer is {{c1::forty-two}}. A set is {{c2::$\\{x\\}$}} and a map {{c3::a {b} }}."
    )


def test_deletions_inside_math_are_cards_as_hashcards_makes_them() -> None:
    deck = fixture("hashcards-class.md")
    clozes = [c for c in deck.cards if c.kind == "cloze"]
    assert [c.cloze for c in clozes] == [1, 2, 3, 4]
    assert clozes[0].back == (
        "Matrix multiplication $(m \\times {{c1::n}}) \\cdot ({{c2::n}} \\times {{c3::p}}) "
        "= (m \\times p)$ requires\nthe {{c4::inner dimensions}} to match."
    )
    # an interval in math is a deletion too, as in hashcards
    assert [c.back for c in parse("C: It lies in $[0, 1]$.\n").cards] == [
        "It lies in ${{c1::0, 1}}$."
    ]


def test_cloze_deletion_that_a_marker_cannot_hold_is_reported() -> None:
    deck = parse("C: In C++ [std::vector] grows; its size is [dynamic].\n")
    assert [c.back for c in deck.cards] == [
        "In C++ [std::vector] grows; its size is {{c1::dynamic}}."
    ]
    assert found(deck) == [
        "deck.md:1: warning: deletion '[std::vector]' holds `::` or `}}`, which a cloze "
        "cannot hide; it is shown as written"
    ]


def test_bracket_soup_is_read_in_bounded_time_and_cards() -> None:
    started = time.perf_counter()
    deck = parse("C: " + "[" * 20_000 + " [x] " + "[a](" * 5_000 + "\n")
    assert [c.back.count("{{c1::x}}") for c in deck.cards] == [1]
    many = parse("C: " + "[x] " * 1_000 + "\n")
    assert time.perf_counter() - started < 10
    assert len(many.cards) == 200
    assert found(many) == [
        "deck.md:1: warning: a `C:` block makes at most 200 cards; its 800 deletions after "
        "that are shown as written"
    ]


def test_deletion_edit_keeps_the_card_ids() -> None:
    before = parse("C: The [order] of a group is [its size].\n")
    after = parse("C: The [order] of a group is [the cardinality of its set].\n")
    assert len(before.cards) == 2
    assert [c.id for c in before.cards] == [c.id for c in after.cards]
    assert before.cards[1].back != after.cards[1].back


def test_separator_under_an_answer_is_not_a_heading() -> None:
    # "A: …" directly above "---" is a setext heading to markdown.
    deck = parse("Q: One?\nA: First\n---\nQ: Two?\nA: Second\n")
    assert [(c.topic, c.front, c.back) for c in deck.cards] == [
        ((), "One?", "First"),
        ((), "Two?", "Second"),
    ]


def test_answer_without_question_and_a_second_answer_are_reported() -> None:
    deck = parse("A: orphan\n\nQ: Real?\nA: yes\nA: and more\n")
    assert cards(deck) == [("Real?", "yes\nA: and more")]
    assert found(deck) == [
        "deck.md:1: warning: `A:` without a `Q:` before it is ignored",
        "deck.md:5: warning: a second `A:` for one question is read as part of its answer",
    ]


def test_q_lines_in_code_or_in_a_heading_answer_keep_the_heading_rule() -> None:
    in_code = "## Card\n\n```\nQ: not\nA: a card\n```\n"
    assert [c.front for c in parse(in_code).cards] == ["Card"]
    forced = "---\ncards: headings\n---\n## FAQ\n\nQ: Is this a card?\nA: The heading is.\n"
    assert cards(parse(forced)) == [("FAQ", "Q: Is this a card?\nA: The heading is.")]


def test_a_heading_deck_read_as_q_a_blocks_says_which_heading_lost_its_card() -> None:
    text = "# Deck\n\n## FAQ\n\nQ: Is it?\nA: Yes.\n\n## Gradient clipping\n\nCap the norm.\n"
    deck = parse(text)
    assert cards(deck) == [("Is it?", "Yes.")]
    assert found(deck) == [
        "deck.md:8: warning: heading 'Gradient clipping' has text but no `Q:` or `C:` block: "
        "this file is read as Q:/A:/C: blocks, so that text is not a card (front matter "
        "`cards: headings` reads the file by its headings)"
    ]


def test_qa_answer_edit_keeps_the_id() -> None:
    before = parse("Q: Why?\nA: Because.\n")
    after = parse("Q: Why?\nA: Because, at length.\n")
    assert before.cards[0].id == after.cards[0].id


# -- the examples of deck/README.md ------------------------------------------------------


def test_readme_examples_of_the_other_layouts_load_what_the_text_says() -> None:
    readme = (Path(__file__).parents[2] / "deck" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Notes in other layouts", 1)[1].split("\n## Ids and skipping", 1)[0]
    blocks = re.findall(r"^( *)```markdown\n(.*?)^\1```$", section, re.S | re.M)
    examples = [textwrap.dedent(indent + text) for indent, text in blocks]
    listed, osr, heading_question, qa = (parse(text) for text in examples)
    assert [(c.deck, c.topic, c.front) for c in heading_question.cards] == [
        ("ai::evolution", (), "What is artificial life?")
    ]
    assert [(c.topic, c.front) for c in listed.cards] == [
        (("RNN",), "LSTM 网络结构？"),
        (("RNN",), "GRU 有几个门？"),
    ]
    assert [d.line for d in listed.diagnostics] == [20]
    assert [(c.topic, c.front) for c in osr.cards] == [
        (("Optimizers",), "Adam"),
        (("Optimizers",), "Weight decay"),
        (("Optimizers",), "An L2 penalty on the weights"),
        (("Optimizers",), "What does dropout do at inference time?"),
    ]
    assert [(c.kind, c.cloze) for c in qa.cards] == [
        ("basic", None),
        ("basic", None),
        ("cloze", 1),
        ("cloze", 2),
        ("cloze", 1),
    ]
    assert osr.diagnostics == qa.diagnostics == ()
