"""Notes written for other tools, read as those tools read them: OSR questions written as
headings, hashcards' TOML front matter and deletions inside math, HTML comments and
Obsidian callouts, and deck names as each tool gives them. The fixtures are look-alikes
written for these tests; the expected cards are the ones the original tool makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import card_view

from quizapp.cli import main
from quizapp.deckfile import ParsedDeck, parse_deck
from quizapp.present.card import breadcrumb
from quizapp.present.terminal import terminal_text
from quizapp.study.sides import answer_text, question_text

FIXTURES = Path(__file__).parent.parent / "fixtures" / "layouts"


def fixture(name: str) -> ParsedDeck:
    return parse_deck((FIXTURES / name).read_bytes(), name)


def lint(capsys: pytest.CaptureFixture[str], path: Path) -> tuple[int, str]:
    code = main(["lint", str(path)])
    return code, capsys.readouterr().out


# -- OSR: a heading line is an ordinary line ----------------------------------------------


def test_osr_questions_written_as_headings_are_cards() -> None:
    deck = fixture("osr-headings.md")
    assert [(c.deck, c.topic, c.front, c.back) for c in deck.cards] == [
        (
            "aif::evo1",
            (),
            "What is artificial life?",
            "- A branch of AI that studies life-like behaviour\n"
            "- in software, hardware and chemistry",
        ),
        # headings inside an answer are part of it, as in the plugin
        (
            "aif::evo1",
            (),
            "Which two kinds of evolution does it compare?",
            "Natural and artificial.\n### In software\nGenetic algorithms.\n"
            "### In hardware\nEvolvable circuits.",
        ),
        ("aif::evo1", ("See Also",), "Fitness landscape", "A map from genotypes to fitness"),
        (
            "aif::evo1",
            ("See Also",),
            "What does selection pressure measure?",
            "How strongly fitness differences change the next generation.",
        ),
    ]
    assert deck.diagnostics == ()


def test_lint_of_an_osr_note_whose_cards_all_load_is_clean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = lint(capsys, FIXTURES / "osr-headings.md")
    assert (code, "no cards" in out, "error" in out) == (0, False, False)


def test_a_heading_question_of_a_note_with_only_heading_questions() -> None:
    text = (
        "#flashcards/aif/evo1\n## What is artificial life?\n?\n- Is a branch of AI\n\n"
        "## What is emergence?\n?\nBehaviour no part has on its own.\n"
    )
    deck = parse_deck(text, "evo.md")
    assert [(c.front, c.back) for c in deck.cards] == [
        ("What is artificial life?", "- Is a branch of AI"),
        ("What is emergence?", "Behaviour no part has on its own."),
    ]


# -- deck names as each tool names them ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "deck"),
    [
        # OSR: the tag, not the first H1
        (
            "# See Also\n\n#flashcards/science/physics\n\nForce::mass times acceleration\n",
            "science::physics",
        ),
        ("---\ntags: [flashcards/ml/nlp]\n---\n# #french-note\n\nBERT::an encoder\n", "ml::nlp"),
        ("#flashcards\n\n# Notes\n\nTerm::Definition\n", "flashcards"),
        # quizapp's own key still wins
        ("---\ndeck: Physics\n---\n#flashcards/science\n\nForce::ma\n", "Physics"),
        # hashcards / repeat: `name`, else the file, never a heading inside
        ('---\nname = "physics"\n---\n# 2025-12-28 Class\n\nQ: F?\nA: ma\n', "physics"),
        ("# 2025-12-28 Class\n\nQ: F?\nA: ma\n", "class-notes"),
    ],
)
def test_deck_names_as_the_original_tools_name_them(text: str, deck: str) -> None:
    parsed = parse_deck(text, "class-notes.md")
    assert parsed.deck == deck
    assert {c.deck for c in parsed.cards} == {deck}


def test_an_osr_card_with_its_own_tag_is_in_that_deck() -> None:
    deck = parse_deck(
        "#flashcards/ml\n\nAdam::optimizer\n\n#flashcards/ml/nlp BERT::encoder\n", "n.md"
    )
    assert [(c.deck, c.front) for c in deck.cards] == [("ml", "Adam"), ("ml::nlp", "BERT")]


# -- hashcards: TOML front matter, deletions inside math ---------------------------------


def test_hashcards_deck_with_toml_front_matter_loads_every_card() -> None:
    deck = fixture("hashcards-class.md")
    assert deck.deck == "Machine Learning"
    assert [(c.topic, c.kind, c.cloze, c.front) for c in deck.cards][:1] == [
        (("2025-12-28 Class",), "basic", None, "What is the norm of a vector $\\mathbf{v}$?")
    ]
    assert [c.cloze for c in deck.cards if c.kind == "cloze"] == [1, 2, 3, 4]
    assert len(deck.cards) == 6
    assert deck.diagnostics == ()


def test_lint_of_a_hashcards_deck_with_toml_front_matter_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = lint(capsys, FIXTURES / "hashcards-class.md")
    assert (code, "error" in out, "front matter" in out) == (0, False, False)


def test_front_matter_that_is_neither_yaml_nor_toml_is_a_warning_and_the_cards_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.md"
    path.write_text("---\nname = Machine Learning\n---\n\nQ: Why?\nA: Because.\n", "utf-8")
    code, out = lint(capsys, path)
    assert code == 0
    assert f"{path}:2: warning: front matter must be a YAML mapping" in out
    assert [c.front for c in parse_deck(path.read_bytes(), str(path)).cards] == ["Why?"]


def test_a_deletion_inside_math_shows_its_blank_inside_the_rendered_formula() -> None:
    card = next(c for c in fixture("hashcards-class.md").cards if c.cloze == 1)
    view = card_view(front=card.front, back=card.back, kind="cloze", cloze=1)
    shown = terminal_text(question_text(view))
    assert shown == (
        "Matrix multiplication (m × […]) · (n × p) = (m × p) requires\n"
        "the inner dimensions to match."
    )
    revealed = terminal_text(answer_text(view))
    assert revealed.startswith("Matrix multiplication (m × n) · (n × p) = (m × p)")


# -- never shown: HTML comments; callouts as titled blocks --------------------------------


def test_html_comments_are_in_no_card_text() -> None:
    deck = fixture("hashcards-class.md")
    first = deck.cards[0]
    assert first.back == "$\\|\\mathbf{v}\\| = \\sqrt{\\sum_i v_i^2}$"
    assert not any("<!--" in c.back or "Bite" in c.back for c in deck.cards)
    assert "several lines" not in deck.cards[-1].back


def test_a_comment_in_code_is_code_and_an_unclosed_one_stays() -> None:
    text = "## Q\n\nSee `<!-- x -->` and\n\n```html\n<!-- kept -->\n```\n\nopen <!-- here\n"
    (card,) = parse_deck(text, "d.md").cards
    assert card.back == "See `<!-- x -->` and\n\n```html\n<!-- kept -->\n```\n\nopen <!-- here"


def test_a_callout_is_a_titled_block_in_line_mode() -> None:
    deck = fixture("hashcards-class.md")
    callout = deck.cards[-1]
    assert callout.back == "> *Tip* · **Shape check**\n>\n> Write the shapes under each factor."
    text = "## Q\n\n> [!question]- Write the Jacobian\n> $J_{ij} = \\partial f_i / \\partial x_j$\n"
    (card,) = parse_deck(text, "d.md").cards
    shown = terminal_text(card.back)
    assert "[!question]" not in shown and "]-" not in shown
    assert shown.splitlines()[0] == "> Question · Write the Jacobian"
    assert shown.splitlines()[2] == "> J_ij = ∂ fᵢ / ∂ xⱼ"


def test_a_tag_deck_reads_as_its_levels_in_the_breadcrumb() -> None:
    card = fixture("osr-headings.md").cards[2]
    view = card_view(deck=card.deck, topic=card.topic, front=card.front)
    assert breadcrumb(view) == "aif › evo1 › See Also"
