"""A card's markdown as plain readable text: what line mode prints, for pipes and
screen readers alike.

Emphasis, code and link markers are left out (``**tanh**`` reads "tanh"), headings and
paragraphs are separated by blank lines, list items keep a ``-`` or their number,
quotes a ``>``, code blocks and display math are indented, table rows are cells
between ``|``, and math is Unicode text. Raw HTML is shown as written: it is text
here, never interpreted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode

_INDENT = "    "


def _inline(node: SyntaxTreeNode) -> str:
    from quizapp.present.mathtext import latex_to_unicode

    out: list[str] = []
    for child in node.children:
        kind = child.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind in ("math_inline", "math_inline_double"):
            out.append(latex_to_unicode(child.content).replace("\n", " "))
        elif kind == "image":
            alt = _inline(child)
            out.append(f"[image: {alt}]" if alt else "[image]")
        elif kind == "link":
            text, href = _inline(child), str(child.attrs.get("href", ""))
            out.append(text if not href or href in (text, f"mailto:{text}") else f"{text} ({href})")
        else:  # strong, em, s and anything a plugin adds: their text
            out.append(_inline(child) if child.children else child.content)
    return "".join(out)


def _prefixed(lines: list[str], first: str, rest: str) -> list[str]:
    return [(first if i == 0 else rest) + line if line else "" for i, line in enumerate(lines)]


def _table(node: SyntaxTreeNode) -> list[str]:
    rows: list[list[str]] = []
    for part in node.children:  # thead, tbody
        for row in part.children:
            rows.append(
                [_inline(cell.children[0]) if cell.children else "" for cell in row.children]
            )
    return [" | ".join(cells).strip() for cells in rows]


def _blocks(node: SyntaxTreeNode) -> list[list[str]]:
    """The text of each block under ``node``, as lines."""
    from quizapp.present.mathtext import latex_to_unicode

    out: list[list[str]] = []
    for child in node.children:
        kind = child.type
        if kind in ("paragraph", "heading"):
            out.append(_inline(child.children[0]).split("\n") if child.children else [""])
        elif kind in ("fence", "code_block"):
            out.append([_INDENT + line for line in child.content.rstrip("\n").split("\n")])
        elif kind in ("math_block", "math_block_label"):
            body = latex_to_unicode(child.content, display=True).split("\n")
            out.append([_INDENT + line for line in body])
        elif kind in ("bullet_list", "ordered_list"):
            out.append(_list(child))
        elif kind == "blockquote":
            out.append(["> " + line if line else ">" for line in _joined(_blocks(child))])
        elif kind == "table":
            out.append(_table(child))
        elif kind == "hr":
            out.append(["———"])
        elif kind == "html_block":
            out.append(child.content.rstrip("\n").split("\n"))
        elif child.children:
            out.extend(_blocks(child))
    return out


def _list(node: SyntaxTreeNode) -> list[str]:
    start = int(str(node.attrs.get("start", 1)))
    lines: list[str] = []
    for i, item in enumerate(node.children):
        mark = f"{start + i}. " if node.type == "ordered_list" else "- "
        body = _joined(_blocks(item), tight=True)
        lines.extend(_prefixed(body or [""], mark, " " * len(mark)))
    return lines


def _joined(blocks: list[list[str]], *, tight: bool = False) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        if lines and not tight:
            lines.append("")
        lines.extend(block)
    return lines


def plain_text(tree: SyntaxTreeNode) -> str:
    """The document ``tree`` (markdown-it's) as plain text."""
    return "\n".join(_joined(_blocks(tree)))
