"""Bad deck files (DESIGN §7): a clear FILE:LINE message, and the other cards still load."""

from __future__ import annotations

from quizapp.deckfile import parse_deck
from quizapp.deckfile.types import ParsedDeck

GOOD = "## Fine\n\nStill here.\n"


def found(deck: ParsedDeck) -> list[str]:
    return [str(d) for d in deck.diagnostics]


def fronts(deck: ParsedDeck) -> list[str]:
    return [c.front for c in deck.cards]


def test_invalid_utf8_reports_the_first_bad_byte_and_loads_the_rest() -> None:
    data = b"# D\n\n## Q\n\nok\n\n## R\n\nbad " + b"\xe4\xb8 here\n\n" + GOOD.encode()
    deck = parse_deck(data, "d.md")
    assert found(deck) == [
        "d.md:9: error: invalid UTF-8 (byte 0xe4 at column 5); undecodable bytes are shown as "
        "\ufffd — is the file saved in another encoding (e.g. GBK or Latin-1)? Save it as UTF-8"
    ]
    assert fronts(deck) == ["Q", "R", "Fine"]
    assert deck.cards[1].back == "bad \ufffd here"


def test_gbk_file_is_reported_not_crashed_on() -> None:
    data = "# 深度学习\n\n## 问题\n\n答案\n".encode("gbk")
    deck = parse_deck(data, "gbk.md")
    assert [(d.line, d.severity) for d in deck.errors] == [(1, "error")]
    assert "invalid UTF-8" in deck.errors[0].message


def test_binary_file_is_one_error_and_no_cards() -> None:
    deck = parse_deck(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.md")
    assert found(deck) == [
        "image.md:1: error: not a text file (NUL byte on line 3); a deck must be UTF-8 markdown"
    ]
    assert deck.cards == ()


def test_utf16_file_is_named_as_such() -> None:
    deck = parse_deck("# D\n\n## Q\n\nA\n".encode("utf-16"), "wide.md")
    assert found(deck) == ["wide.md:1: error: file is UTF-16 encoded; save it as UTF-8"]
    assert deck.cards == ()


def test_empty_file_is_a_warning() -> None:
    for data in (b"", b"\xef\xbb\xbf", b"\n \n\t\n"):
        deck = parse_deck(data, "empty.md")
        assert found(deck) == ["empty.md:1: warning: empty deck file"]
        assert deck.cards == ()
        assert deck.deck == "empty"


def test_huge_line_is_a_warning_and_still_parses() -> None:
    text = "# D\n\n## Q\n\n" + "x" * 20_000 + "\n\n" + GOOD
    deck = parse_deck(text, "long.md")
    assert found(deck) == [
        "long.md:5: warning: line is 20,000 characters long (over 10,000); break it up"
    ]
    assert fronts(deck) == ["Q", "Fine"]


def test_unclosed_fence_is_reported_at_its_opening_line_and_later_cards_load() -> None:
    text = (
        "# D\n\n## T\n\n### Q\n\n```python\n# a comment in the code\nx = 1\n\n"
        "### After\n\nA\n\n## Next topic\n\nB\n"
    )
    deck = parse_deck(text, "fence.md")
    assert found(deck) == [
        "fence.md:7: error: code fence ```python is never closed; it is taken to end before "
        "the heading on line 11"
    ]
    assert [(c.topic, c.front, c.line) for c in deck.cards] == [
        (("T",), "Q", 5),
        (("T",), "After", 11),
        ((), "Next topic", 15),
    ]
    # the repaired fence is closed in the back, so it renders as the code it is
    assert deck.cards[0].back == "```python\n# a comment in the code\nx = 1\n\n```"


def test_unclosed_fence_with_a_too_short_closer_ends_there() -> None:
    text = "# D\n\n## Q\n\n````python\n# code\n```\n\nAfter the code.\n\n## R\n\nr\n"
    deck = parse_deck(text, "short.md")
    assert found(deck) == [
        "short.md:5: error: code fence ````python is never closed: the ``` on line 7 is shorter "
        "than the opening ````; it is taken to end there"
    ]
    assert [(c.front, c.line) for c in deck.cards] == [("Q", 3), ("R", 11)]
    assert deck.cards[0].back == "````python\n# code\n````\n\nAfter the code."


def test_unclosed_fences_everywhere_cost_a_bounded_number_of_parses() -> None:
    card = "## Q{n}\n\n````python\ncode\n```\n\n"
    text = "# D\n\n" + "".join(card.format(n=n) for n in range(300))
    deck = parse_deck(text, "many.md")
    # a few are repaired, then the rest of the file stays inside the last open fence
    assert 1 < len(deck.cards) < 300
    assert all(d.severity == "error" for d in deck.diagnostics)
    assert deck.diagnostics[-1].message == "code fence ````python is never closed"


def test_unclosed_fence_at_the_end_only_reports() -> None:
    deck = parse_deck("# D\n\n## Q\n\n~~~~\ncode\n", "end.md")
    assert found(deck) == ["end.md:5: error: code fence ~~~~ is never closed"]
    assert deck.cards[0].back == "~~~~\ncode"


def test_unclosed_fence_inside_a_list_item_is_reported() -> None:
    deck = parse_deck("# D\n\n## Q\n\n- step\n  ```\n  code\n\n" + GOOD, "list.md")
    assert found(deck) == ["list.md:6: error: code fence ``` is never closed"]
    assert fronts(deck) == ["Q", "Fine"]


def test_heading_with_no_text_is_an_error() -> None:
    deck = parse_deck("# D\n\n##\n\norphan\n\n## {#only-an-id}\n\nx\n\n" + GOOD, "h.md")
    assert found(deck) == [
        "h.md:3: error: heading has no text",
        "h.md:7: error: heading has no text",
    ]
    assert fronts(deck) == ["Fine"]


def test_untitled_topic_keeps_its_cards_without_a_path_entry() -> None:
    deck = parse_deck("# D\n\n##\n\n### Q\n\nA\n", "h.md")
    assert [(c.topic, c.front) for c in deck.cards] == [((), "Q")]


def test_duplicate_question_in_one_topic_keeps_the_first() -> None:
    text = (
        "# D\n\n## RNN\n\n### What is a GRU?\n\nfirst\n\n### What  is a GRU?\n\nsecond\n\n"
        "## CNN\n\n### What is a GRU?\n\nother topic: fine\n"
    )
    deck = parse_deck(text, "dup.md")
    assert found(deck) == [
        "dup.md:9: error: duplicate question 'What  is a GRU?' in topic 'RNN' (first on line "
        "5); this card is ignored"
    ]
    assert [(c.topic, c.back) for c in deck.cards] == [
        (("RNN",), "first"),
        (("CNN",), "other topic: fine"),
    ]


def test_duplicate_explicit_id_keeps_the_first() -> None:
    deck = parse_deck("# D\n\n## A {#x}\n\na\n\n## B {#x}\n\nb\n", "ids.md")
    assert found(deck) == [
        "ids.md:7: error: duplicate card id 'x' (first used on line 3); this card is ignored"
    ]
    assert fronts(deck) == ["A"]


def test_malformed_quiz_yaml_unknown_model_and_bad_range_in_one_file() -> None:
    text = (
        "# D\n\n## A\n\n```quiz\nmodel: gru_params\n  ask: : x\n```\n\n"
        "## B\n\n```quiz\nmodel: lstm_parms\nask: x\n```\n\n"
        "## C\n\n```quiz\nmodel: conv_output\nask: '{n}'\nparams:\n  n: [64, 2]\n  f: 3\n```\n\n"
        + GOOD
    )
    deck = parse_deck(text, "quiz.md")
    assert found(deck) == [
        "quiz.md:7: error: quiz block: malformed YAML: mapping values are not allowed here",
        "quiz.md:13: error: quiz block: unknown model 'lstm_parms' (did you mean 'lstm_params'?)",
        "quiz.md:23: error: quiz block: bad range for n: [64, 2] is empty (lo > hi)",
    ]
    assert fronts(deck) == ["Fine"]


def test_heading_without_content_is_a_warning() -> None:
    deck = parse_deck("# D\n\n## Todo\n\n" + GOOD, "w.md")
    assert found(deck) == [
        "w.md:3: warning: heading 'Todo' has no content and no sub-headings, so it is not a card"
    ]


def test_file_without_cards_is_a_warning() -> None:
    deck = parse_deck("Just some notes.\n", "notes.md")
    assert found(deck) == [
        "notes.md:1: warning: no cards in this file (a card is a heading with content and no "
        "sub-headings)"
    ]
    assert [t.text for t in deck.topics] == ["Just some notes."]


def test_front_matter_problems() -> None:
    deck = parse_deck("---\ndeck: [a\n---\n## Q\n\nA\n", "fm.md")
    # Every card still loads: a warning, never an error.
    assert [(d.line, d.severity) for d in deck.diagnostics] == [(2, "warning")]
    assert "front matter is not valid YAML" in deck.diagnostics[0].message
    assert deck.deck == "fm"

    deck = parse_deck("---\ndeck: X\ncards: 9\ncard: 2\n---\n## Q\n\nA\n", "fm.md")
    assert found(deck) == [
        "fm.md:3: warning: front matter `cards` must be a heading level from 1 to 6, `list` or "
        "`headings`, not 9; using the default rule (a heading without sub-headings is a card)",
        "fm.md:4: warning: unknown front matter key 'card' (did you mean `cards`?); it is ignored",
    ]
    assert fronts(deck) == ["Q"]

    deck = parse_deck("---\ndeck: X\n\n## Q\n\nA\n", "fm.md")
    assert found(deck)[0] == (
        "fm.md:1: warning: line 1 looks like the start of front matter, but no closing --- "
        "follows; it is read as markdown"
    )


def test_str_input_with_lone_surrogates_is_reported_not_raised() -> None:
    deck = parse_deck("# D\n\n## Q\n\nbad \ud800 char\n", "s.md")
    assert [(d.line, d.severity) for d in deck.diagnostics] == [(5, "error")]
    assert fronts(deck) == ["Q"]


def test_lone_carriage_returns_are_line_breaks_as_in_commonmark() -> None:
    deck = parse_deck(b"x\r\r\r\r##\r\rbody\r## Q\rA\r", "cr.md")
    assert found(deck) == ["cr.md:5: error: heading has no text"]
    assert [(c.front, c.line, c.back) for c in deck.cards] == [("Q", 8, "A")]
