"""The one-pass scan of code spans and formulas gives markdown-it's answer exactly.

Which cloze markers count (not in code) and which sit in a formula depends on these
offsets, so the scan that replaces markdown-it's inline parse on escape- and dollar-heavy
paragraphs is checked against that parse on many generated paragraphs: every mix of
backticks, dollars, backslashes, markers, brackets, emphasis, entities and line breaks.
"""

from __future__ import annotations

import random

import pytest

from quizapp.deckfile.cloze import inline_cloze_numbers, replace_clozes
from quizapp.deckfile.inline_spans import (
    code_and_math,
    parsed_code_and_math,
    scannable,
    scanned_code_and_math,
)

#: what generated paragraphs are made of: everything that starts an inline rule, and
#: the characters dollarmath looks at around a dollar (spaces, digits, Unicode spaces)
PIECES = (
    "`", "``", "```", "$", "$$", "\\", "\\\\", "\\$", "\\`", "{{c1::", "{{c2::", "}}", "::",
    "[", "]", "(", ")", "![", "<", ">", "*", "**", "_", "~~", "&amp;", "&#36;", "&#96;", "&",
    "{", "}", "{.a}", "\n", "  \n", " ", "\t", "\u2003", "\xa0", "a", "x^2", "1", "!", "\r",
    "\x00", "é", "-", "#",
)  # fmt: skip


def _paragraphs(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        size = rng.choice((3, 10, 40, 200))
        # Each paragraph draws from a few pieces only, so that rare pairs (``$$`` with
        # ``$$``, a run of three backticks with its twin) meet often.
        palette = rng.sample(PIECES, rng.randint(2, 8))
        texts.append("".join(rng.choice(palette) for _ in range(rng.randint(1, size))))
    return texts


@pytest.mark.parametrize("seed", range(6))
def test_the_scan_agrees_with_markdown_it_on_generated_paragraphs(seed: int) -> None:
    scanned = 0
    for text in _paragraphs(seed, 2_000):
        expected = parsed_code_and_math(text)
        assert code_and_math(text) == expected, repr(text)
        if scannable(text):
            scanned += 1
            assert scanned_code_and_math(text) == expected, repr(text)
    # Most paragraphs take the scan: the comparison above is not of the fallback alone.
    assert scanned > 1_200


@pytest.mark.parametrize(
    "text",
    [
        "$a$\\",  # dollarmath counts a backslash ending the text as escaping a first `$`
        "\\\\$a$ and $$b$$ and $$c$ d$$ and $ e$ and $f $ and 5$ and $$$$",
        "``a` ``` b ``` `` c",  # a run closes only at a run of its own length
        "\\`a` `b\\` $c\\$ d$ $\\\\$",
        "{{c1::a `}}` b}} $c {{c2::d}}$ `e`",
        "line one $a\nb$ ` \n `",
    ],
)
def test_the_scan_agrees_with_markdown_it_on_edge_cases(text: str) -> None:
    assert scannable(text)
    assert scanned_code_and_math(text) == parsed_code_and_math(text)


@pytest.mark.parametrize(
    "text",
    [
        "[a](`b`) `c`",  # a link's address is neither code nor math
        "<http://a`b> `c`",  # nor is an autolink
        '<span title="`"> `c`',  # nor raw HTML
        '`a`{title="`$x$`"} `c`',  # nor the quoted value of an attribute
        "a\r\n`b` $c$",  # markdown-it drops the carriage return before counting offsets
    ],
)
def test_text_the_scan_would_misread_goes_to_markdown_it(text: str) -> None:
    assert not scannable(text)
    assert scanned_code_and_math(text) != parsed_code_and_math(text)
    assert code_and_math(text) == parsed_code_and_math(text)


def test_markers_among_thousands_of_formulas_know_whether_they_are_in_math() -> None:
    formulas = " ".join(f"$x_{{{i}}}$" for i in range(5_000))
    text = f"{{{{c1::a}}}} {formulas} $y = {{{{c2::b}}}}$ `{{{{c3::c}}}}` {formulas}"
    seen: list[tuple[int, str, bool]] = []

    def note(n: int, hidden: str, hint: str | None, math: bool) -> str:
        seen.append((n, hidden, math))
        return "[…]"

    replace_clozes(text, note)
    assert sorted(seen) == [(1, "a", False), (2, "b", True)]
    assert inline_cloze_numbers(text) == [1, 2]
