"""A deck's front matter: its name, where its cards are, extra tags.

Front matter is YAML (``deck: Name``), or TOML as hashcards writes it
(``name = "Name"``). A problem with it never keeps a card from loading, so it is a
warning: the file is read as if the key were not there.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.tomlblock import load_toml
from quizapp.deckfile.types import Diagnostic, Severity
from quizapp.deckfile.yamlblock import YamlProblem, load_yaml

KEYS = ("deck", "cards", "tags", "name")
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
    #: hashcards' deck name (``name = "…"``), used by ``Q:``/``A:``/``C:`` decks
    name: str | None = None
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

    def problem(line: int, message: str, severity: Severity = "warning") -> None:
        diagnostics.append(Diagnostic(source, first_line + line, severity, message))

    loaded = load_yaml(content)
    if isinstance(loaded, YamlProblem) or not isinstance(loaded.data, dict | None):
        toml = load_toml(content) if not isinstance(loaded, YamlProblem) or loaded.syntax else None
        if toml is not None:
            loaded = toml
    if isinstance(loaded, YamlProblem):
        what = "is not valid YAML: " if loaded.syntax else "refused: "
        problem(loaded.line, f"front matter {what}{loaded.message}; it is ignored")
        return FrontMatter(), diagnostics
    for line, message in loaded.removed:
        problem(line, f"front matter: {message}")
    data = loaded.data
    if data is None:
        return FrontMatter(), diagnostics
    if not isinstance(data, dict):
        problem(
            0,
            "front matter must be a YAML mapping such as `deck: Name` (or TOML such as "
            '`name = "Name"`); it is ignored',
        )
        return FrontMatter(), diagnostics

    names: dict[str, str] = {}
    cards: int | None = None
    rule: str | None = None
    tags: list[str] = []
    unknown: list[Diagnostic] = []
    for key, value in data.items():
        line = loaded.key_lines.get(str(key), 0)
        if key in ("deck", "name"):
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                problem(line, f"front matter `{key}` must be a name; it is ignored")
            elif not str(value).strip():
                problem(line, f"front matter `{key}` is empty; it is ignored")
            else:
                names[key] = " ".join(str(value).split())
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
                    problem(
                        line,
                        f"front matter `tags` must be words, not {quoted(item)}; it is ignored",
                    )
                else:
                    tags.append(tag)
        else:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else f" (known: {', '.join(KEYS)})"
            message = f"unknown front matter key {quoted(key)}{hint}; it is ignored"
            unknown.append(Diagnostic(source, first_line + line, "warning", message))
    options = FrontMatter(
        deck=names.get("deck"),
        cards=cards,
        rule=rule,
        tags=tuple(tags),
        name=names.get("name"),
        unknown=tuple(unknown),
    )
    return options, diagnostics
