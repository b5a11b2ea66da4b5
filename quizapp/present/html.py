"""Card text as HTML (the Anki export's fields).

- math stays TeX for MathJax: ``$…$`` → ``\\(…\\)``, ``$$…$$`` → ``\\[…\\]``, the TeX
  HTML-escaped so ``x^{<t>}`` reaches MathJax instead of being eaten as a ``<t>`` tag
  (a formula nested too deep or too long stays its source, in ``<code>``);
- fenced code is highlighted by Pygments with inline styles (a card carries no
  stylesheet for Pygments classes);
- raw HTML in a deck is shown as text, as in the terminal;
- cloze markers ``{{cN::…}}`` pass through untouched (markdown gives braces and colons
  no meaning), while braces inside code are written as entities so that code which
  happens to contain ``{{c1::`` or ``}}`` never opens or closes a cloze;
- a ``quiz`` block is its own card, so it is left out of the text around it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markdown_it.common.utils import escapeHtml
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from quizapp.deckfile.mathlimits import math_problem
from quizapp.present.cardtext import card_markdown

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict
    from pygments.lexer import Lexer

_FORMATTER = HtmlFormatter(noclasses=True, style="default")


def html_markdown() -> MarkdownIt:
    """A new parser of the deck format that renders a card's text as HTML (extend it
    with more render rules, such as one for images, before use)."""
    md = card_markdown()
    md.options["html"] = False
    # Raw HTML is text here; its rules would only run to find nothing.
    md.disable(["html_block", "html_inline"])
    md.add_render_rule("math_inline", _math_inline)
    md.add_render_rule("math_inline_double", _math_display)
    md.add_render_rule("math_block", _math_block)
    md.add_render_rule("math_block_label", _math_block)
    md.add_render_rule("fence", _fence)
    md.add_render_rule("code_block", _code_block)
    md.add_render_rule("code_inline", _code_inline)
    return md


def _protect_braces(code_html: str) -> str:
    """Keep Anki's cloze parser from seeing ``{{`` / ``}}`` inside code."""
    return code_html.replace("{{", "{&#123;").replace("}}", "}&#125;")


def _tex(content: str, opening: str, closing: str) -> str:
    """TeX for MathJax; a formula past the deck format's limits stays its source, as
    code, as in the terminal."""
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
