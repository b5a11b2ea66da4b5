"""A deck's YAML front matter: its name, where its cards are, extra tags."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.types import Diagnostic, Severity
from quizapp.deckfile.yamlblock import YamlProblem, load_yaml

KEYS = ("deck", "cards", "tags")
#: the words ``cards:`` takes besides a heading level
RULES = ("list", "headings")


@dataclass(frozen=True)
class FrontMatter:
    """Options a deck file sets for itself."""

    #: deck name; None = first H1, else the file stem
    deck: str | None = None
    #: heading level whose headings are cards (the fixed-level rule); None = leaf rule
    cards: int | None = None
    #: ``cards: list`` (list items are cards) or ``cards: headings`` (the heading rules,
    #: whatever else the file looks like); None = decided by the file's content
    rule: str | None = None
    #: tags added to every card of the file
    tags: tuple[str, ...] = ()
    #: warnings about keys quizapp does not know (an Obsidian note has keys of its own)
    unknown: tuple[Diagnostic, ...] = ()


def _tag(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = "_".join(str(value).split())
    return text or None


def read_front_matter(
    content: str, source: str, first_line: int
) -> tuple[FrontMatter, list[Diagnostic]]:
    """Read the front matter ``content`` whose first line is file line ``first_line``."""
    diagnostics: list[Diagnostic] = []

    def problem(line: int, message: str, severity: Severity = "error") -> None:
        diagnostics.append(Diagnostic(source, first_line + line, severity, message))

    loaded = load_yaml(content)
    if isinstance(loaded, YamlProblem):
        what = "is not valid YAML: " if loaded.syntax else "refused: "
        problem(loaded.line, f"front matter {what}{loaded.message}")
        return FrontMatter(), diagnostics
    for line, message in loaded.removed:
        problem(line, f"front matter: {message}", "warning")
    data = loaded.data
    if data is None:
        return FrontMatter(), diagnostics
    if not isinstance(data, dict):
        problem(0, "front matter must be a YAML mapping such as `deck: Name`")
        return FrontMatter(), diagnostics

    deck: str | None = None
    cards: int | None = None
    rule: str | None = None
    tags: list[str] = []
    unknown: list[Diagnostic] = []
    for key, value in data.items():
        line = loaded.key_lines.get(str(key), 0)
        if key == "deck":
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                problem(line, "front matter `deck` must be a name")
            elif not str(value).strip():
                problem(line, "front matter `deck` is empty")
            else:
                deck = " ".join(str(value).split())
        elif key == "cards":
            if isinstance(value, str) and value.strip().lower() in RULES:
                rule = value.strip().lower()
            elif isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 6:
                problem(
                    line,
                    "front matter `cards` must be a heading level from 1 to 6, `list` or "
                    f"`headings`, not {quoted(value)}; using the default rule (a heading "
                    "without sub-headings is a card)",
                )
            else:
                cards = value
        elif key == "tags":
            values = value if isinstance(value, list) else [value]
            for item in values:
                tag = _tag(item)
                if tag is None:
                    problem(line, f"front matter `tags` must be words, not {quoted(item)}")
                else:
                    tags.append(tag)
        else:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(KEYS)})"
            message = f"unknown front matter key {quoted(key)}{hint}; it is ignored"
            unknown.append(Diagnostic(source, first_line + line, "warning", message))
    return FrontMatter(deck, cards, rule, tuple(tags), tuple(unknown)), diagnostics
