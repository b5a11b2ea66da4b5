"""``{#id .class key=value}`` at the end of a question (the attrs plugin's syntax)."""

from __future__ import annotations


def split_heading_attrs(raw: str) -> tuple[str, dict[str, str]]:
    """A heading's text without a trailing ``{#id .class key=value}``, and those attrs.

    Braces that do not parse as attributes (``{a, b}``, ``{}``) stay part of the text.
    """
    text = raw.rstrip()
    if not text.endswith("}"):
        return raw, {}
    opening = text.rfind("{")
    block = text[opening:]
    if opening < 0 or "}" in block[:-1]:
        return raw, {}
    from mdit_py_plugins.attrs.parse import ParseError, parse

    try:
        end, attrs = parse(block)
    except ParseError:
        return raw, {}
    if end != len(block) - 1 or not attrs:
        return raw, {}
    return text[:opening].rstrip(), attrs
