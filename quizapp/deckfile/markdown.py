"""The markdown-it-py configuration of the deck format, built once per process.

Decks are CommonMark plus tables, ``~~strikethrough~~``, ``$``/``$$`` math (dollarmath),
YAML front matter and ``{#id .class}`` attributes. This is the one place the dialect is
defined: the parser, the terminal presenter and the HTML export all start from
:func:`configured`. The parser only needs the block structure of a deck (headings,
fences, math blocks and where each starts), so :func:`structure_parser` skips inline
tokenization.

Math follows Pandoc's rule: ``$`` opens only before a non-space and closes only after
one, so "costs $5 and $10" stays text; ``$$…$$`` inside a paragraph is display math.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt


def configured() -> MarkdownIt:
    """A new markdown-it-py instance with the deck format's rules and plugins (block
    and inline); build it once and keep it, as construction takes a few milliseconds."""
    # Imported here: start-up of the app should not pay for markdown-it until a deck
    # file actually has to be read.
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin).use(attrs_plugin)
    md.use(dollarmath_plugin, allow_space=False, allow_digits=True, double_inline=True)
    return md


@cache
def structure_parser(front_matter: bool = True) -> MarkdownIt:
    """The same parser without inline tokenization: block tokens with line maps only.

    Inline tokens keep their source text in ``content`` but get no children, which
    about halves the time of a parse; the deck parser reads only block structure.
    ``front_matter=False`` is for text from the middle of a file, where ``---`` is a
    rule, not the start of front matter.
    """
    md = configured().disable(["inline", "text_join"])
    return md if front_matter else md.disable("front_matter")
