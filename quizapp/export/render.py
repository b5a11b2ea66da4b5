"""Deck markdown → the HTML Anki shows.

- math stays TeX for Anki's MathJax: ``$…$`` → ``\\(…\\)``, ``$$…$$`` → ``\\[…\\]``, the TeX
  HTML-escaped so ``x^{<t>}`` reaches MathJax instead of being eaten as a ``<t>`` tag
  (a formula nested too deep or too long is shown as its source, in ``<code>``);
- fenced code is highlighted by Pygments with inline styles (an ``.apkg`` carries no
  stylesheet for Pygments classes);
- local images are bundled as media (see ``MediaBundle``), remote ones stay links;
- raw HTML in a deck is shown as text, as in the terminal;
- cloze markers ``{{cN::…}}`` pass through untouched (markdown gives braces and colons
  no meaning), while braces inside code are written as entities so that code which
  happens to contain ``{{c1::`` or ``}}`` never opens or closes a cloze.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from quizapp.deckfile.mathlimits import math_problem
from quizapp.export.media import MediaBundle

_ENV_KEY = "quizapp_export"
# A URL scheme (``https:``, ``data:``) or a protocol-relative ``//host``: not a local file.
_REMOTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")
_FORMATTER = HtmlFormatter(noclasses=True, style="default")


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
        # Raw HTML is text here; its rules would only run to find nothing.
        md = MarkdownIt("commonmark", {"html": False}).enable("table")
        md.disable(["html_block", "html_inline"])
        md.use(dollarmath_plugin, double_inline=True)
        md.add_render_rule("math_inline", _math_inline)
        md.add_render_rule("math_inline_double", _math_display)
        md.add_render_rule("math_block", _math_block)
        md.add_render_rule("math_block_label", _math_block)
        md.add_render_rule("fence", _fence)
        md.add_render_rule("code_block", _code_block)
        md.add_render_rule("code_inline", _code_inline)
        md.add_render_rule("image", _image)
        self._md = md

    def block(self, text: str, ctx: RenderContext) -> str:
        """Render a body of markdown (paragraphs, lists, code, math, tables)."""
        return str(self._md.render(text, {_ENV_KEY: ctx}))

    def inline(self, text: str, ctx: RenderContext) -> str:
        """Render one line of inline markdown, such as a heading's text."""
        return str(self._md.renderInline(text, {_ENV_KEY: ctx}))


def _protect_braces(code_html: str) -> str:
    """Keep Anki's cloze parser from seeing ``{{`` / ``}}`` inside code."""
    return code_html.replace("{{", "{&#123;").replace("}}", "}&#125;")


def _tex(content: str, opening: str, closing: str) -> str:
    """TeX for MathJax; a formula past the deck format's limits stays its source as code,
    as in the terminal."""
    tex = content.strip()
    if math_problem(tex) is not None:
        return "<code>" + escapeHtml(tex) + "</code>"
    return opening + escapeHtml(tex) + closing


def _math_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _tex(tokens[idx].content, "\\(", "\\)")


def _math_display(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _tex(tokens[idx].content, "\\[", "\\]")


def _math_block(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<div class="math">' + _tex(tokens[idx].content, "\\[", "\\]") + "</div>\n"


@lru_cache(maxsize=256)
def _lexer(lang: str) -> Lexer | None:
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def _plain_code(content: str, lang: str) -> str:
    cls = f' class="language-{escapeHtml(lang)}"' if lang else ""
    return f"<pre><code{cls}>{_protect_braces(escapeHtml(content))}</code></pre>\n"


def _fence(self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    if lang == "quiz":
        # A quiz block is its own card (exported as drawn instances), not part of this back.
        return ""
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return _plain_code(token.content, lang)
    return _protect_braces(str(highlight(token.content, lexer, _FORMATTER)))


def _code_block(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return _plain_code(tokens[idx].content, "")


def _code_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return "<code>" + _protect_braces(escapeHtml(tokens[idx].content)) + "</code>"


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
