"""Deck markdown → the HTML Anki shows: the presenter's HTML flavour
(:mod:`quizapp.present.html`: math for MathJax, highlighted code, raw HTML as text, cloze
markers kept), plus the deck's local images bundled as media (see ``MediaBundle``);
remote images stay links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from quizapp.export.media import MediaBundle
from quizapp.present.html import html_markdown

_ENV_KEY = "quizapp_export"
# A URL scheme (``https:``, ``data:``) or a protocol-relative ``//host``: not a local file.
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


@dataclass
class RenderContext:
    """Per-deck-file state of a render: where relative image paths start, and results."""

    base_dir: Path
    media: MediaBundle
    #: image references that could not be bundled (the file is missing or unreadable)
    missing_images: list[str] = field(default_factory=list)


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
        src = _bundle(src, ctx)
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr}>'


def _bundle(src: str, ctx: RenderContext) -> str:
    """The media name for a local image, or ``src`` unchanged when it can't be bundled."""
    # markdown-it percent-encodes link targets; the file on disk has the plain name.
    relative = unquote(src.split("#", 1)[0].split("?", 1)[0])
    path = ctx.base_dir / relative
    try:
        if path.is_file():
            return ctx.media.add(path)
    except OSError:
        pass
    ctx.missing_images.append(relative)
    return src
