"""Deck markdown → the HTML Anki shows: the presenter's HTML flavour
(:mod:`quizapp.present.html`: math for MathJax, highlighted code, raw HTML as text, cloze
markers kept), plus the deck's local images bundled as media (see ``MediaBundle``).
Only images inside the deck folder are bundled; one that leads outside it (or is not a
regular file, or is too big) is replaced by its alt text. Remote images stay links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from quizapp.export.media import MediaBundle, MediaRefused
from quizapp.present.html import html_markdown

_ENV_KEY = "quizapp_export"
# A URL scheme (``https:``, ``data:``) or a protocol-relative ``//host``: not a local file.
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


@dataclass
class RenderContext:
    """Per-deck-file state of a render: where relative image paths start, the deck
    folder images must stay in, and results."""

    base_dir: Path
    media: MediaBundle
    #: the deck folder the user named; images outside it are never read.
    #: None: ``base_dir`` itself
    root: Path | None = None
    #: why images were not bundled, one message each (``image not found: x.png``)
    image_problems: list[str] = field(default_factory=list)

    @cached_property
    def deck_root(self) -> Path:
        """The folder images must resolve into, itself resolved."""
        return (self.root or self.base_dir).resolve()


class AnkiHtmlRenderer:
    """Markdown → Anki field HTML. One instance serves any number of renders."""

    def __init__(self) -> None:
        md = html_markdown()
        md.add_render_rule("image", _image)
        self._md = md

    def block(self, text: str, ctx: RenderContext) -> str:
        """Render a body of markdown (paragraphs, lists, code, math, tables)."""
        return str(self._md.render(text, {_ENV_KEY: ctx}))

    def inline(self, text: str, ctx: RenderContext) -> str:
        """Render one line of inline markdown, such as a heading's text."""
        return str(self._md.renderInline(text, {_ENV_KEY: ctx}))


def _image(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = self.renderInlineAsText(token.children or [], options, env)
    title = token.attrGet("title")
    ctx = env.get(_ENV_KEY)
    if isinstance(ctx, RenderContext) and src and not _REMOTE.match(src):
        bundled = _bundle(src, ctx)
        if bundled is None:
            return escapeHtml(alt)
        src = bundled
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr}>'


def _bundle(src: str, ctx: RenderContext) -> str | None:
    """The media name for a local image; ``src`` unchanged when the file is missing;
    None when it must not be bundled (outside the deck folder, not a regular file, too
    big): the card then shows the alt text."""
    # markdown-it percent-encodes link targets; the file on disk has the plain name.
    relative = unquote(src.split("#", 1)[0].split("?", 1)[0])
    try:
        return ctx.media.add(ctx.base_dir / relative, ctx.deck_root)
    except MediaRefused as refused:
        ctx.image_problems.append(f"{refused}: {relative}")
        return None
    except (OSError, ValueError):
        ctx.image_problems.append(f"image not found: {relative}")
        return src
