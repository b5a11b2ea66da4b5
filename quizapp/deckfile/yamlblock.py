"""YAML inside a deck (front matter, ``quiz`` blocks): safe loading with line numbers.

Only PyYAML's safe loader is used: plain data, never tags that build objects or run
code. Aliases may not blow a snippet up (:data:`MAX_VALUES`), and control characters
that escapes put in strings (``"\\e]52;…"``) are removed. Besides the data, the lines
of top-level keys (and of keys one mapping deeper) are kept so a problem with one
parameter is reported on that parameter's line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quizapp.deckfile.controls import has_controls, remove_controls, removed_message

if TYPE_CHECKING:
    import yaml

#: most items a YAML snippet of a deck may hold, an alias counting as many items as the
#: value it stands for; front matter and quiz blocks hold a few dozen
MAX_VALUES = 10_000


@dataclass(frozen=True)
class YamlData:
    """A loaded YAML snippet; lines are 0-based within the snippet."""

    data: object
    key_lines: dict[str, int] = field(default_factory=dict)
    #: for a top-level key whose value is a mapping: line of each of its keys
    nested_key_lines: dict[str, dict[str, int]] = field(default_factory=dict)
    #: (line, warning) for each string whose control characters were removed
    removed: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class YamlProblem:
    """Why a snippet cannot be used; ``line`` is 0-based within the snippet."""

    line: int
    message: str
    #: False when the YAML is well-formed but refused (aliases blowing it up)
    syntax: bool = True


def _key_lines(node: yaml.Node) -> dict[str, int]:
    import yaml

    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines.setdefault(str(key.value), key.start_mark.line)
    return lines


def _children(node: yaml.Node) -> list[yaml.Node]:
    import yaml

    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _checked(root: yaml.Node) -> YamlProblem | tuple[tuple[int, str], ...]:
    """Bound the size of the composed ``root`` before anything builds or walks its value,
    and clean control characters out of its strings.

    Aliases make the node graph a DAG (or a cycle): each alias is the anchored node
    itself, so nine nested anchors of nine aliases each are a few lines of YAML whose
    value, walked, holds 9⁹ items. Sizes are counted once per node with the aliases
    expanded, and a value over :data:`MAX_VALUES` items, or one that contains itself,
    is refused. Returns the (line, warning) of each string that held a control character.
    """
    import yaml

    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    removed: list[tuple[int, str]] = []
    aliased = False
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            on_path.discard(key)
            size = 1 + sum(sizes[id(child)] for child in _children(node))
            if size > MAX_VALUES:
                why = (
                    f"YAML aliases (*name) expand this value to more than {MAX_VALUES:,} "
                    "items; write the values out"
                    if aliased
                    else f"this value holds more than {MAX_VALUES:,} items"
                )
                return YamlProblem(node.start_mark.line, why, syntax=False)
            sizes[key] = size
            continue
        if key in sizes:
            aliased = True  # an alias of a value already counted
            continue
        if key in on_path:
            return YamlProblem(
                node.start_mark.line,
                "a YAML alias (*name) refers to a value it is part of",
                syntax=False,
            )
        if isinstance(node, yaml.ScalarNode):
            if isinstance(node.value, str) and has_controls(node.value):
                removed.append((node.start_mark.line, removed_message(node.value)))
                node.value = remove_controls(node.value)
            sizes[key] = 1
            continue
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    return tuple(removed)


def _load(loader: yaml.SafeLoader) -> YamlData | YamlProblem:
    """Compose, check and construct the single document of ``loader``."""
    import yaml

    try:
        node = loader.get_single_node()
        if node is None:
            return YamlData(None)
        checked = _checked(node)
        if isinstance(checked, YamlProblem):
            return checked
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    nested: dict[str, dict[str, int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.MappingNode):
                nested.setdefault(str(key.value), _key_lines(value))
    return YamlData(data, _key_lines(node), nested, checked)


def load_yaml(text: str) -> YamlData | YamlProblem:
    """Load ``text`` with the safe loader; a syntax error becomes a :class:`YamlProblem`,
    and so does a value that aliases blow up (see :func:`_checked`)."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        # libyaml is ten times faster on big decks; on an error, the pure-Python loader
        # runs again below for its clearer messages.
        try:
            return _load(fast(text))
        except Exception:
            pass
    try:
        return _load(yaml.SafeLoader(text))
    except yaml.reader.ReaderError as exc:
        # A character YAML does not allow (U+FFFE…): the reader refuses the text.
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
