"""Anki field HTML → deck-format markdown: what the deck parser reads back."""

from __future__ import annotations

import pytest

from quizapp.deckfile.parse import parse_deck
from quizapp.importing.html import FieldConverter

MEDIA = {"a b.png": "media/a_b-1.png", "s.mp3": "media/s.mp3"}


@pytest.fixture
def convert() -> FieldConverter:
    return FieldConverter(MEDIA.get)


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("What is <b>attention</b>?", "What is **attention**?"),
        ("\\(x_1 &lt; y\\)", "$x_1 < y$"),
        ("<div>\\[\\sum_i x_i\\]</div>", "$$\\sum_i x_i$$"),
        ("[$]a_b[/$] and [$$]c[/$$]", "$a_b$ and $$c$$"),
        ("costs $5 and $10", "costs \\$5 and \\$10"),
        ("a_b *c*", "a\\_b \\*c\\*"),
        ("# not a heading<br># nor this", "\\# not a heading\\\n\\# nor this"),
        ("x &lt;b&gt; y &amp;amp; z", "x \\<b> y \\&amp; z"),
        ("a\\*b", "a\\\\\\*b"),
        ("<h1>Title</h1>text", "**Title**\n\ntext"),
        ("<ul><li>x</li><li>y</li></ul>", "- x\n- y"),
        ("<pre><code>a_b = 1\n# c</code></pre>", "```\na_b = 1\n# c\n```"),
        ('<img src="a b.png">', "![](media/a_b-1.png)"),
        ('<img src="a%20b.png">', "[missing image: a%20b.png]"),
        ('<img src="https://example.org/x.png">', "![](https://example.org/x.png)"),
        ("[sound:s.mp3]", "[s.mp3](media/s.mp3)"),
        (
            "{{c1::Paris::city}} is in {{c2::<b>France</b>}}",
            "{{c1::Paris::city}} is in {{c2::**France**}}",
        ),
        ("plain   text\nacross lines", "plain text across lines"),
    ],
)
def test_field_to_markdown(convert: FieldConverter, html: str, markdown: str) -> None:
    assert convert.block(html) == markdown


def test_a_question_is_one_line(convert: FieldConverter) -> None:
    assert convert.line("<div>first</div><div>second<br>third</div>") == "first second third"


@pytest.mark.parametrize(
    "html",
    [
        "# heading-like text",
        "<h2>A heading</h2>body",
        "line<br>## another",
        "<pre>```\nfence inside</pre>",
        "costs $5, not $x$",
    ],
)
def test_converted_fields_never_split_a_card(convert: FieldConverter, html: str) -> None:
    text = f"## Question {{#q1}}\n\n{convert.block(html)}\n\n## Next {{#q2}}\n\nanswer\n"
    deck = parse_deck(text, "deck.md")
    assert [c.id for c in deck.cards] == ["q1", "q2"]
    assert deck.errors == ()


def test_control_characters_never_reach_the_deck_file(convert: FieldConverter) -> None:
    hostile = "copy \x1b]52;c;ZXZpbA==\x07 this\x9b2J <b>now\x1b[2J</b> &#27;[2J &#x9b;"
    text = convert.block(hostile) + convert.line(hostile)
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text)
