"""``quiz`` blocks: YAML that names a bundled reference model and how to draw its inputs.

A block is plain data, checked against :data:`quizapp.deckfile.catalog.CATALOG`: a deck
can only name a bundled model, only with that model's parameter names, and its ``ask``
text may only fill in ``{name}`` placeholders of those parameters (:data:`PLACEHOLDER`).
Nothing in a block is ever evaluated. Every value must lie inside the model's limits,
and the block must draw as a review will draw it (:mod:`quizapp.deckfile.rules`, the
grader's own rules): a block the parser accepts is one the grader can use.

Parameter values are normalized to :data:`~quizapp.deckfile.types.ParamSpec` tuples:

- a scalar → ``("fixed", v)``
- a list of two numbers → ``("range", lo, hi)`` (inclusive); any other list →
  ``("choices", v1, v2, …)``; for a text parameter (``sizes``) every list is choices
- ``{range: [lo, hi]}`` / ``{choices: [...]}`` say which one explicitly
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from quizapp.deckfile.catalog import CATALOG, ModelInfo, ParamInfo
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.rules import MAX_REAL, DrawOdds, ParamError, check_spec, draw_odds
from quizapp.deckfile.types import Diagnostic, ParamSpec, QuizSpec, Severity
from quizapp.deckfile.units import parse_quantity
from quizapp.deckfile.yamlblock import YamlProblem, load_yaml

KEYS = ("model", "ask", "params", "tolerance", "id")
#: a placeholder of an ``ask`` text, filled with the drawn value of that parameter;
#: any other brace is literal text
PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")


class BadParam(ValueError):
    """A parameter value a quiz block cannot use; the text is for the deck's author."""


@dataclass(frozen=True)
class QuizBlock:
    """A parsed ``quiz`` block: its spec (None when it has errors) and explicit id."""

    spec: QuizSpec | None
    id: str | None
    diagnostics: tuple[Diagnostic, ...]


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if not close and name:
        # "gru" is a prefix of the real name rather than a near spelling
        close = [k for k in known if k.startswith(name.lower())][:1]
    if close:
        return f"did you mean {quoted(close[0])}?"
    return f"known: {', '.join(known)}"


def _number(info: ParamInfo, value: object) -> int | float:
    """``value`` as a number of the kind of ``info`` (an int or a float parameter)."""
    if isinstance(value, bool):
        raise BadParam(f"{info.name} must be a number, not {str(value).lower()} (write 1 or 0)")
    if isinstance(value, float) and not math.isfinite(value):
        raise BadParam(f"{info.name} must be a finite number, not {quoted(value)}")
    if info.kind == "int":
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        # sizes said with units: 7B, 1.5k, 512 MiB (and 7e9, which YAML reads as text)
        number = parse_quantity(value) if isinstance(value, str) else None
        if number is not None and number.denominator == 1:
            return int(number)
        raise BadParam(f"{info.name} must be a whole number, not {quoted(value)}")
    if isinstance(value, int | float):
        try:
            return float(value)
        except OverflowError:  # an integer of hundreds of digits
            raise BadParam(
                f"{info.name} must be between {-MAX_REAL:g} and {MAX_REAL:g}, not {quoted(value)}"
            ) from None
    raise BadParam(f"{info.name} must be a number, not {quoted(value)}")


def _value(info: ParamInfo, value: object) -> int | float | str:
    if isinstance(value, list | dict):
        raise BadParam(f"{info.name}: a value must be a plain number or text, not {quoted(value)}")
    if info.kind != "str":
        return _number(info, value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadParam(f'{info.name} must be text like "2,3,4", not {quoted(value)}')
    return str(value)


def _range(info: ParamInfo, bounds: object) -> ParamSpec:
    if info.kind == "str":
        raise BadParam(f"{info.name} is text; give a value or a list of choices, not a range")
    if not isinstance(bounds, list) or len(bounds) != 2:
        raise BadParam(f"bad range for {info.name}: must be [lo, hi], not {quoted(bounds)}")
    try:
        lo, hi = (_number(info, b) for b in bounds)
    except BadParam as exc:
        raise BadParam(f"bad range for {info.name}: {exc}") from None
    if lo > hi:
        raise BadParam(f"bad range for {info.name}: {quoted(bounds)} is empty (lo > hi)")
    return ("range", lo, hi)


def _choices(info: ParamInfo, values: object) -> ParamSpec:
    if not isinstance(values, list) or not values:
        raise BadParam(f"choices of {info.name} must be a non-empty list")
    try:
        return ("choices", *(_value(info, v) for v in values))
    except BadParam as exc:
        raise BadParam(f"bad choice for {info.name}: {exc}") from None


def normalize_param(info: ParamInfo, value: object) -> ParamSpec:
    """The :data:`ParamSpec` of one YAML parameter value; :class:`BadParam` if unusable."""
    if isinstance(value, dict):
        if len(value) == 1 and "range" in value:
            return _range(info, value["range"])
        if len(value) == 1 and "choices" in value:
            return _choices(info, value["choices"])
        raise BadParam(
            f"{info.name} must be a value, [lo, hi], a list of choices, "
            "{range: [lo, hi]} or {choices: [...]}"
        )
    if isinstance(value, list):
        if not value:
            raise BadParam(f"{info.name} has an empty list of choices")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        if info.kind != "str" and len(value) == 2 and numbers:
            return _range(info, value)
        return _choices(info, value)
    return ("fixed", _value(info, value))


#: the largest relative tolerance a block may give: anything wider grades nothing
MAX_RELATIVE = 1.0


def _tolerance(value: object) -> tuple[float | None, float | None]:
    """(absolute, relative) of a block's ``tolerance``: ``0.01`` is absolute, ``2%``
    relative (0.02); ``ValueError`` when it is neither."""
    if isinstance(value, str) and value.strip().endswith("%"):
        percent = float(value.strip()[:-1])  # ValueError for "abc%"
        if math.isfinite(percent) and 0 <= percent / 100 <= MAX_RELATIVE:
            return None, percent / 100
        raise ValueError(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(value)
    return float(value), None


def ask_problems(ask: str, model: ModelInfo) -> list[str]:
    """What is wrong with the ``{name}`` placeholders of an ``ask`` text."""
    problems: list[str] = []
    for name in dict.fromkeys(PLACEHOLDER.findall(ask)):
        if model.param(name) is None:
            problems.append(
                f"`ask` uses {{{name}}}, which is not a parameter of {model.name} "
                f"({_suggest(name, model.param_names)})"
            )
    return problems


def parse_quiz_block(content: str, source: str, fence_line: int) -> QuizBlock:
    """Validate the YAML ``content`` of a ``quiz`` fence opened on file line ``fence_line``.

    Every problem becomes a :class:`Diagnostic` on the line it is about (the fence line
    when the block as a whole is wrong); a block with any error gets no spec. Warnings
    (control characters removed, parameters that rarely draw) keep the spec.
    """
    spec, explicit_id, problems = _checked_block(content)
    return QuizBlock(
        spec,
        explicit_id,
        tuple(
            # content line k (0-based) is file line fence_line + 1 + k
            Diagnostic(
                source,
                fence_line if line is None else fence_line + 1 + line,
                severity,
                f"quiz block: {message}",
            )
            for line, severity, message in problems
        ),
    )


#: a checked block, with problems on 0-based content lines (None: the block as a whole)
_Checked = tuple[QuizSpec | None, str | None, tuple[tuple[int | None, Severity, str], ...]]


@lru_cache(maxsize=256)
def _checked_block(content: str) -> _Checked:
    """Check one block's text; the result depends on nothing else, so decks that repeat
    a block (a drill of the same model under many headings) pay for loading, checking
    and drawing it once."""
    diagnostics: list[tuple[int | None, Severity, str]] = []
    warnings: list[tuple[int | None, Severity, str]] = []

    def error(line: int | None, message: str) -> None:
        diagnostics.append((line, "error", message))

    def warn(line: int | None, message: str) -> None:
        warnings.append((line, "warning", message))

    loaded = load_yaml(content)
    if isinstance(loaded, YamlProblem):
        error(loaded.line, f"malformed YAML: {loaded.message}" if loaded.syntax else loaded.message)
        return None, None, tuple(diagnostics)
    for removed_at, message in loaded.removed:
        warn(removed_at, message)
    data = loaded.data
    if not isinstance(data, dict):
        error(None, "must be a YAML mapping with `model`, `ask` and `params`")
        return None, None, (*warnings, *diagnostics)
    lines = loaded.key_lines

    for key in data:
        if key not in KEYS:
            error(lines.get(str(key)), f"unknown key {quoted(key)} ({_suggest(str(key), KEYS)})")

    explicit_id: str | None = None
    if "id" in data:
        raw_id = data["id"]
        if isinstance(raw_id, bool) or not isinstance(raw_id, str | int) or not str(raw_id).strip():
            error(lines.get("id"), f"`id` must be a non-empty name, not {quoted(raw_id)}")
        else:
            explicit_id = str(raw_id).strip()

    tolerance: float | None = None
    relative: float | None = None
    if data.get("tolerance") is not None:
        try:
            tolerance, relative = _tolerance(data["tolerance"])
        except ValueError:
            error(
                lines.get("tolerance"),
                "`tolerance` must be a number ≥ 0 (absolute) or a percentage like 2% "
                f"(relative), not {quoted(data['tolerance'])}",
            )

    model_name = data.get("model")
    model: ModelInfo | None = None
    if model_name is None:
        error(None, f"missing `model` (one of: {', '.join(CATALOG)})")
    elif not isinstance(model_name, str):
        error(lines.get("model"), f"`model` must be a model name, not {quoted(model_name)}")
    else:
        model = CATALOG.get(model_name)
        if model is None:
            error(
                lines.get("model"),
                f"unknown model {quoted(model_name)} ({_suggest(model_name, list(CATALOG))})",
            )

    ask = data.get("ask")
    if not isinstance(ask, str) or not ask.strip():
        error(
            lines.get("ask"),
            '`ask` must be the question text, e.g. ask: "nn.GRU({m}, {n}) 有多少参数？"',
        )
        ask = None
    elif model is not None:
        for message in ask_problems(ask, model):
            error(lines.get("ask"), message)

    params: dict[str, ParamSpec] = {}
    raw_params = data.get("params", {})
    if raw_params is None:
        raw_params = {}
    param_lines = loaded.nested_key_lines.get("params", {})
    if not isinstance(raw_params, dict):
        error(lines.get("params"), "`params` must be a mapping like {m: [8, 512], n: 64}")
    elif model is not None:
        for name, value in raw_params.items():
            line = param_lines.get(str(name), lines.get("params"))
            info = model.param(name) if isinstance(name, str) else None
            if info is None:
                error(
                    line,
                    f"unknown parameter {quoted(name)} for {model.name} "
                    f"({_suggest(str(name), model.param_names)})",
                )
                continue
            try:
                params[name] = normalize_param(info, value)
                check_spec(model, name, params[name])
            except (BadParam, ParamError) as exc:
                error(line, str(exc))
        missing = [p for p in model.params if p.required and p.name not in raw_params]
        if missing:
            needs = "; ".join(f"{p.name}: {p.help}" if p.help else p.name for p in missing)
            error(
                lines.get("params"),
                f"missing required {'parameter' if len(missing) == 1 else 'parameters'} "
                f"of {model.name} ({needs})",
            )

    if diagnostics or model is None or ask is None:
        return None, explicit_id, (*warnings, *diagnostics)
    ordered = {p.name: params[p.name] for p in model.params if p.name in params}
    spec = QuizSpec(model.name, ask, ordered, tolerance, relative)
    # Drawn as a review will draw it: a block whose values never satisfy the model's
    # constraints (heads not dividing d, an empty convolution) is refused, one that
    # rarely does is reported.
    try:
        odds = draw_odds(spec)
    except ParamError as exc:
        odds = DrawOdds(0, 1, str(exc))
    if odds.usable == 0:
        error(
            lines.get("params"),
            f"no usable parameters in {odds.tried} draws; the last one failed with: "
            f"{odds.problem}. Widen or adjust the ranges"
            if odds.tried > 1
            else odds.problem,
        )
        return None, explicit_id, (*warnings, *diagnostics)
    if odds.unreliable:
        warn(
            lines.get("params"),
            f"only {odds.usable} of {odds.tried} draws of these parameters are usable "
            f"(the others fail: {odds.problem}); a review may find none — narrow the ranges",
        )
    return spec, explicit_id, tuple(warnings)
