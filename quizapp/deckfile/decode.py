"""Deck file bytes → text, with the encoding problems a user needs to hear about.

A deck is UTF-8 (a BOM is accepted) with any of LF, CRLF or CR line endings. Invalid
bytes are replaced so that the rest of the file still loads; a binary or UTF-16 file
yields no text at all. Control characters other than newline and tab are removed here,
where deck text enters, with a warning on each line that held one (see
:mod:`quizapp.deckfile.controls`).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from quizapp.deckfile.controls import CONTROL, removed_message
from quizapp.deckfile.types import Diagnostic

#: lines with control characters reported one by one; the rest in one summary line
REPORTED_CONTROL_LINES = 10


@dataclass(frozen=True)
class DecodedDeck:
    """The text of a deck file (LF line endings, no BOM), or None when it is not text."""

    text: str | None
    diagnostics: tuple[Diagnostic, ...] = ()


def _line_of(data: bytes, offset: int) -> int:
    """1-based line of byte ``offset``, counting LF, CRLF and lone CR as line breaks."""
    head = data[:offset]
    return head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n") + 1


def _as_bytes(data: bytes | str) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (from a lenient reader upstream) become invalid UTF-8 here
        # and are reported like any other undecodable byte.
        return data.encode("utf-8", "surrogatepass")


def decode_deck(data: bytes | str, source: str) -> DecodedDeck:
    """Decode a deck file and normalize its line endings to LF."""
    raw = _as_bytes(data)
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return DecodedDeck(
            None,
            (Diagnostic(source, 1, "error", "file is UTF-16 encoded; save it as UTF-8"),),
        )
    nul = raw.find(b"\x00")
    if nul >= 0:
        return DecodedDeck(
            None,
            (
                Diagnostic(
                    source,
                    1,
                    "error",
                    f"not a text file (NUL byte on line {_line_of(raw, nul)}); "
                    "a deck must be UTF-8 markdown",
                ),
            ),
        )
    diagnostics: list[Diagnostic] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8", "replace")
        line = _line_of(raw, exc.start)
        head = raw[: exc.start]
        line_start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
        column = len(head[line_start:].decode("utf-8")) + 1
        diagnostics.append(
            Diagnostic(
                source,
                line,
                "error",
                f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at column {column}); "
                "undecodable bytes are shown as \ufffd — is the file saved in another "
                "encoding (e.g. GBK or Latin-1)? Save it as UTF-8",
            )
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if CONTROL.search(text) is not None:
        text = _remove_controls(text, source, diagnostics)
    return DecodedDeck(text, tuple(diagnostics))


def _remove_controls(text: str, source: str, diagnostics: list[Diagnostic]) -> str:
    """``text`` without control characters; a warning for each line that held some."""
    lines = text.split("\n")
    dirty = [index for index, line in enumerate(lines) if CONTROL.search(line) is not None]
    for index in dirty[:REPORTED_CONTROL_LINES]:
        diagnostics.append(
            Diagnostic(
                source,
                index + 1,
                "warning",
                removed_message(lines[index]),
            )
        )
    if len(dirty) > REPORTED_CONTROL_LINES:
        more = len(dirty) - REPORTED_CONTROL_LINES
        diagnostics.append(
            Diagnostic(
                source,
                dirty[REPORTED_CONTROL_LINES] + 1,
                "warning",
                f"control characters also removed from {more:,} more "
                + ("line" if more == 1 else "lines"),
            )
        )
    return CONTROL.sub("", text)
