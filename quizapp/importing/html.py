"""The HTML of Anki fields → markdown of the deck format, with markdownify.

What Anki keeps in a field is HTML written by its editor (or pasted from anywhere).
It is converted the way the deck format reads it back:

- MathJax ``\\(…\\)`` / ``\\[…\\]`` (and the older ``[$]…[/$]``, ``[$$]…[/$$]``,
  ``[latex]…[/latex]``) become ``$…$`` / ``$$…$$``; the formula's text is taken
  verbatim (entities decoded, tags dropped), never escaped as prose would be;
- images and ``[sound:…]`` point at the copies of the media files beside the deck
  (:class:`MediaLinks` names them); remote images keep their URL;
- headings inside a field become bold lines: a ``#`` line would end the card;
- characters that would mean something else in markdown (``$``, ``*``, ``_``, a ``#``
  that starts a line, ``<`` before a tag name) are escaped in text;
- cloze markers ``{{cN::…}}`` pass through unchanged;
- control characters are dropped (a deck file never holds them).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from markdownify import MarkdownConverter

#: MathJax and Anki's older LaTeX markers: (pattern, display?)
_MATH = re.compile(
    r"\\\((?P<inline>.*?)\\\)"
    r"|\\\[(?P<display>.*?)\\\]"
    r"|\[\$\](?P<old_inline>.*?)\[/\$\]"
    r"|\[\$\$\](?P<old_display>.*?)\[/\$\$\]"
    r"|\[latex\](?P<latex>.*?)\[/latex\]",
    re.S | re.I,
)
_SOUND = re.compile(r"\[sound:([^\]\n]+)\]")
_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<br\s*/?>", re.I)
#: a placeholder for a formula while the HTML around it is converted: letters and digits
#: only, so markdownify neither escapes nor splits it
_SLOT = "qzmathslot{}x"
_SLOT_FIND = re.compile(r"qzmathslot(\d+)x")
_HASHES = re.compile(r"(^|\n)([ \t]*)(#{1,6}(?:[ \t]|$))")
#: a backslash that markdown would read as escaping the punctuation after it
_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
#: control characters (tab and newline aside): a deck file holds none of them, so no
#: ``cat`` of it can drive the terminal
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BACKTICKS = re.compile(r"`+")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
#: what makes a field more than plain text: tags, entities, formulas, sounds
_MARKUP = re.compile(r"[<&\\]|\[(?:\$|latex|sound:)")
_REMOTE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")

#: how a media file name from a field becomes a link target beside the deck
MediaLinks = Callable[[str], str | None]


def _formula(raw: str) -> str:
    """A formula's LaTeX from the HTML between its markers."""
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", raw)))
    return " ".join(text.replace("\xa0", " ").split())


class _Converter(MarkdownConverter):
    """markdownify with the deck format's escaping, headings as bold lines, and media
    links through ``media``."""

    def __init__(self, media: MediaLinks) -> None:
        super().__init__(
            heading_style="atx", bullets="-", newline_style="backslash", escape_misc=False
        )
        self.media = media

    def escape(self, text: str, parent_tags: Any) -> str:
        if not text:
            return ""
        # what markdownify escapes by default, and what else the deck format reads
        text = _BACKSLASH.sub(r"\\\\", text)
        text = text.replace("*", "\\*").replace("_", "\\_").replace("$", "\\$")
        text = _HASHES.sub(r"\1\2\\\3", text)
        text = _TAG_START.sub("\\\\<", text)
        return _ENTITY.sub("\\\\&", text)

    def convert_hN(self, n: int, el: Any, text: str, parent_tags: Any) -> str:
        text = " ".join(text.split())
        if not text or "_inline" in parent_tags:
            return text
        return f"\n\n**{text}**\n\n"

    def convert_pre(self, el: Any, text: str, parent_tags: Any) -> str:
        code = text.strip("\n")
        if not code:
            return ""
        # a fence longer than any run of backticks inside, so the code cannot close it
        fence = "`" * max(3, max((len(run) for run in _BACKTICKS.findall(code)), default=0) + 1)
        return f"\n\n{fence}\n{code}\n{fence}\n\n"

    def convert_img(self, el: Any, text: str, parent_tags: Any) -> str:
        src = str(el.attrs.get("src") or "").strip()
        alt = " ".join(str(el.attrs.get("alt") or "").split()).replace("]", "\\]")
        if not src:
            return alt
        target = src if _REMOTE.match(src) else self.media(src)
        if target is None:
            return f"[missing image: {self.escape(src, parent_tags)}]"
        return f"![{alt}]({target})"


class FieldConverter:
    """Converts field HTML to markdown; one per import (the converter is reused)."""

    def __init__(self, media: MediaLinks) -> None:
        self._media = media
        self._converter = _Converter(media)

    def _sound(self, match: re.Match[str]) -> str:
        name = html.unescape(match.group(1)).strip()
        target = self._media(name)
        label = html.escape(name)
        if target is None:
            return f"[missing sound: {label}]"
        return f'<a href="{html.escape(target)}">{label}</a>'

    def block(self, raw: str) -> str:
        """A field as markdown blocks (an answer)."""
        formulas: list[str] = []

        def keep(match: re.Match[str]) -> str:
            groups = match.groupdict()
            inline = groups["inline"] if groups["inline"] is not None else groups["old_inline"]
            if inline is not None:
                formulas.append(f"${_formula(inline)}$")
            else:
                display = groups["display"] or groups["old_display"] or groups["latex"] or ""
                formulas.append(f"$${_formula(display)}$$")
            return _SLOT.format(len(formulas) - 1)

        raw = _CONTROLS.sub("", raw)
        if not _MARKUP.search(raw):
            # plain text (most questions): what markdownify would make of it, without
            # building a document tree for it
            return self._converter.escape(" ".join(raw.split()), None)
        prepared = _MATH.sub(keep, raw) if ("\\" in raw or "[" in raw) else raw
        if "[sound:" in prepared:
            prepared = _SOUND.sub(self._sound, prepared)
        text = self._converter.convert(prepared.replace("\xa0", " ").replace("&nbsp;", " "))
        if formulas:
            text = _SLOT_FIND.sub(lambda m: formulas[int(m.group(1))], text)
        text = _TRAILING_SPACE.sub("\n", _CONTROLS.sub("", text))
        return _BLANK_LINES.sub("\n\n", text).strip()

    def line(self, raw: str) -> str:
        """A field as one line of inline markdown (a question heading)."""
        text = self.block(raw)
        if "\n" not in text:
            return text
        parts = (part.strip().removesuffix("\\").strip() for part in text.splitlines())
        return " ".join(part for part in parts if part)
