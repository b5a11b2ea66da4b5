"""TOML front matter, as hashcards writes it (``name = "Linear algebra"``).

Read with the standard library's ``tomllib``: data only. Strings lose their control
characters (an escape such as ``"\\u001b"`` could carry one) and the line of each
top-level key is kept, so a problem is reported where it is.
"""

from __future__ import annotations

import re
import tomllib

from quizapp.deckfile.controls import has_controls, remove_controls, removed_message
from quizapp.deckfile.yamlblock import YamlData

#: ``key =`` at the start of a line (bare or quoted key)
_KEY = re.compile(r"""^[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([A-Za-z0-9_-]+))[ \t]*=""", re.M)


def _cleaned(value: object, removed: list[str]) -> object:
    if isinstance(value, str) and has_controls(value):
        removed.append(value)
        return remove_controls(value)
    if isinstance(value, list):
        return [_cleaned(item, removed) for item in value]
    return value


def load_toml(text: str) -> YamlData | None:
    """The TOML table ``text`` holds, as :class:`YamlData`; None when it is not TOML."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    key_lines: dict[str, int] = {}
    for match in _KEY.finditer(text):
        key = next(group for group in match.groups() if group is not None)
        key_lines.setdefault(key, text.count("\n", 0, match.start()))
    data: dict[str, object] = {}
    removed: list[tuple[int, str]] = []
    for key, value in table.items():
        found: list[str] = []
        data[key] = _cleaned(value, found)
        removed.extend((key_lines.get(key, 0), removed_message(item)) for item in found)
    return YamlData(data, key_lines, {}, tuple(removed))
