"""YAML inside a deck (front matter, ``quiz`` blocks): safe loading with line numbers.

Only PyYAML's safe loader is used: plain data, never tags that build objects or run
code. Besides the data, the lines of top-level keys (and of keys one mapping deeper) are
kept so a problem with one parameter is reported on that parameter's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml


@dataclass(frozen=True)
class YamlData:
    """A loaded YAML snippet; lines are 0-based within the snippet."""

    data: object
    key_lines: dict[str, int] = field(default_factory=dict)
    #: for a top-level key whose value is a mapping: line of each of its keys
    nested_key_lines: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class YamlProblem:
    """Why a snippet is not valid YAML; ``line`` is 0-based within the snippet."""

    line: int
    message: str


def _key_lines(node: yaml.Node) -> dict[str, int]:
    import yaml

    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines.setdefault(str(key.value), key.start_mark.line)
    return lines


def load_yaml(text: str) -> YamlData | YamlProblem:
    """Load ``text`` with the safe loader; a syntax error becomes a :class:`YamlProblem`."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    loader: yaml.SafeLoader | None = None
    if fast is not None:
        # libyaml is ten times faster on big decks; on an error, the pure-Python loader
        # runs again below for its clearer messages.
        try:
            loader = fast(text)
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
        except Exception:
            fast = None
        finally:
            if loader is not None:
                loader.dispose()
                loader = None
    try:
        if fast is None:
            loader = yaml.SafeLoader(text)
            node = loader.get_single_node()
            data = None if node is None else loader.construct_document(node)
    except yaml.reader.ReaderError as exc:
        # A control character: the reader refuses the text before parsing anything.
        line = text.count("\n", 0, max(exc.position, 0))
        return YamlProblem(line, f"character U+{exc.character:04X} is not allowed in YAML")
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and (mark is None or mark.index >= len(text.rstrip())):
            # "expected ']' but got <stream end>": where the unclosed thing started is
            # the line to fix, not the end of the block.
            mark = exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        return YamlProblem(mark.line if mark is not None else 0, problem)
    except Exception as exc:
        # Anything else the loader can throw on hostile input (a timestamp out of range,
        # an integer too long to convert, nesting deeper than the recursion limit) is
        # still just "this block is not usable YAML" for the deck's author.
        return YamlProblem(0, f"not valid YAML ({type(exc).__name__}: {exc})")
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return YamlData(None)
    nested: dict[str, dict[str, int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.MappingNode):
                nested.setdefault(str(key.value), _key_lines(value))
    return YamlData(data, _key_lines(node), nested)
