"""What the app's card widget is given of a huge text: the beginning, and a note."""

from __future__ import annotations

from quizapp.present.bounds import MAX_TABLE_COLUMNS, bounded_pieces
from quizapp.present.cardtext import card_markdown

NOTE = "Press e to read the whole card in its deck file."


def _count(text: str, kind: str) -> int:
    return sum(t.type == kind for t in card_markdown().parse(text))


def test_an_ordinary_answer_is_left_whole() -> None:
    text = "Intro.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```"
    assert bounded_pieces(text) == text


def test_a_long_list_is_cut_between_items_with_a_note() -> None:
    text = "\n".join(f"- item {i}" for i in range(3000))
    shown = bounded_pieces(text)
    assert shown.startswith("- item 0\n- item 1\n")
    assert 40 <= _count(shown, "list_item_open") <= 100
    assert shown.endswith(f"… [cut: only its beginning is shown here. {NOTE}]")
    # The cut falls between items: every shown item is whole.
    assert all(line == f"- item {i}" for i, line in enumerate(shown.split("\n")[:-2]))


def test_a_wide_table_keeps_its_first_columns_and_says_so() -> None:
    head = "| " + " | ".join(f"h{j}" for j in range(50)) + " |"
    rows = ["| " + " | ".join(f"r{i}c{j}" for j in range(50)) + " |" for i in range(200)]
    shown = bounded_pieces("\n".join([head, "|" + "---|" * 50, *rows]))
    tokens = card_markdown().parse(shown)
    assert sum(t.type == "th_open" for t in tokens) == MAX_TABLE_COLUMNS + 1
    first = shown.split("\n")[0]
    assert first.startswith("| h0 | h1 |") and first.endswith("| h11 | … |")
    assert f"tables cut to their first {MAX_TABLE_COLUMNS} columns" in shown
    assert "only its beginning is shown here" in shown


def test_a_table_in_a_quote_stays_a_table() -> None:
    head = "> | " + " | ".join(f"h{j}" for j in range(20)) + " |"
    rule = "> |" + "---|" * 20
    row = "> | " + " | ".join("v" for _ in range(20)) + " |"
    shown = bounded_pieces("\n".join([head, rule, row]))
    assert _count(shown, "th_open") == MAX_TABLE_COLUMNS + 1
    assert _count(shown, "td_open") == MAX_TABLE_COLUMNS + 1


def test_a_huge_table_is_cut_between_rows() -> None:
    rows = [f"| row {i} | b | c | d |" for i in range(7000)]
    shown = bounded_pieces("\n".join(["| a | b | c | d |", "|---|---|---|---|", *rows]))
    body = shown.split("\n\n…")[0].split("\n")
    assert body[-1].startswith("| row ") and body[-1].endswith("| d |")
    assert _count(shown, "td_open") <= 400
