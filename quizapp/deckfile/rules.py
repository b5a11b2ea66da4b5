"""What a reference model accepts: limits, constraints, coercion, and how values are drawn.

The one rules module of computational cards. The grader resolves every parameter set
through :func:`resolve_params` (drawing, computing, ``quizapp calc``) and draws with
:func:`draw`; the deck parser checks each ``quiz`` block with the same functions
(:func:`check_spec` for every value a block names, :func:`draw` for the constraints
between them), so a block the parser accepts is one the grader can use. The names,
kinds and defaults come from :data:`quizapp.deckfile.catalog.CATALOG`. Pure Python:
no torch, nothing a deck could make expensive.
"""

from __future__ import annotations

import difflib
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from quizapp.deckfile.catalog import CATALOG, ModelInfo, ParamInfo
from quizapp.deckfile.quoting import quoted
from quizapp.deckfile.types import ParamSpec, QuizSpec
from quizapp.deckfile.units import parse_quantity

#: A parameter value after coercion: ints for sizes, floats for weights, str for ``sizes``.
Value = int | float | str
Params = dict[str, Value]

#: Largest size a model accepts. Meta tensors make big modules free, but parameter counts
#: must stay inside int64 and an interview question never needs more.
MAX_SIZE = 1_000_000
MAX_LAYERS = 100
#: Largest magnitude of a real-valued input (LSTM weights, states).
MAX_REAL = 1e6
#: Largest answer a count may have (torch counts elements in int64).
MAX_COUNT = 2**62
MAX_FILTER_SIZES = 32

_FLAGS = ("bidirectional", "bias", "tied", "pooler", "affine", "ceil")


class ParamError(ValueError):
    """A model name or parameter set the grader cannot use; the text is for the user."""


def model_info(model: str) -> ModelInfo:
    """The catalog entry of ``model``; an unknown name suggests the closest one."""
    info = CATALOG.get(model)
    if info is None:
        close = difflib.get_close_matches(model, list(CATALOG), n=1, cutoff=0.5)
        if not close:
            # "gru" or "conv" is a prefix of the real name rather than a near spelling
            close = [name for name in CATALOG if name.startswith(model.lower())][:1]
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ParamError(f"unknown model {quoted(model)}{hint} (known: {', '.join(CATALOG)})")
    return info


def parse_sizes(text: str) -> tuple[int, ...]:
    """Filter sizes of a TextCNN from ``"2,3,4"`` (spaces allowed)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if not parts or any(not p for p in parts):
        raise ParamError(
            f'sizes must be a comma-separated list of integers like "2,3,4", not {quoted(text)}'
        )
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ParamError(
            f'sizes must be a comma-separated list of integers like "2,3,4", not {quoted(text)}'
        ) from None
    return sizes


def _coerce(model: str, info: ParamInfo, value: object) -> Value:
    """``value`` as the kind the catalog declares for ``info``."""
    where = f"{model}: {info.name}"
    if info.kind == "int":
        if isinstance(value, bool):
            # YAML ``bias: true`` means 1
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            # 7B, 1.5k, 6.7e9, 512 MiB: sizes are said with units
            quantity = parse_quantity(value.replace("_", ""))
            if quantity is not None and quantity.denominator == 1:
                return int(quantity)
        raise ParamError(f"{where} must be a whole number, not {quoted(value)}")
    if info.kind == "float":
        number: float
        if isinstance(value, bool):
            raise ParamError(f"{where} must be a number, not {quoted(value)}")
        if isinstance(value, int | float):
            try:
                number = float(value)
            except OverflowError:  # an int of hundreds of digits
                raise ParamError(
                    f"{where} must be between {-MAX_REAL:g} and {MAX_REAL:g}, not {quoted(value)}"
                ) from None
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise ParamError(f"{where} must be a number, not {quoted(value)}") from None
        else:
            raise ParamError(f"{where} must be a number, not {quoted(value)}")
        if not math.isfinite(number):
            raise ParamError(f"{where} must be a finite number, not {quoted(value)}")
        return number
    # str parameters: TextCNN ``sizes`` (which YAML may also give as a bare int), and
    # names from a list (``ff_kind``, ``norm``, LoRA's ``targets``)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParamError(f"{where} must be text, not {quoted(value)}")
    if info.choices:
        return _named(model, info, str(value))
    return str(value)


def _named(model: str, info: ParamInfo, text: str) -> str:
    """A choice (``SwiGLU`` → ``swiglu``) or, for ``several``, a list of them in the
    catalog's order (``v, q`` → ``q,v``)."""
    allowed = ", ".join(str(c) for c in info.choices)
    items = [item.strip().lower() for item in (text.split(",") if info.several else [text])]
    for item in items:
        if item not in info.choices:
            raise ParamError(
                f"{model}: {info.name} must be {'a list of ' if info.several else ''}"
                f"{'' if info.several else 'one of '}{allowed}, not {quoted(text)}"
            )
    if not info.several:
        return items[0]
    return ",".join(str(c) for c in info.choices if c in items)


def check_value(model: str, name: str, value: Value) -> None:
    """Refuse a value of parameter ``name`` outside what ``model`` accepts
    (raises :class:`ParamError`)."""
    info = CATALOG[model].param(name) if model in CATALOG else None
    if info is not None and (info.low is not None or info.high is not None or info.choices):
        _check_declared(model, info, value)
    elif name == "sizes":
        sizes = parse_sizes(str(value))
        if len(sizes) > MAX_FILTER_SIZES:
            raise ParamError(f"{model}: at most {MAX_FILTER_SIZES} filter sizes")
        for size in sizes:
            if not 1 <= size <= MAX_SIZE:
                raise ParamError(
                    f"{model}: filter size {quoted(size)} must be between 1 and {MAX_SIZE:,}"
                )
    elif name in _FLAGS:
        if value not in (0, 1):
            raise ParamError(f"{model}: {name} must be 0 or 1, not {quoted(value)}")
    elif name == "layers":
        if not isinstance(value, int) or not 1 <= value <= MAX_LAYERS:
            raise ParamError(
                f"{model}: layers must be between 1 and {MAX_LAYERS}, not {quoted(value)}"
            )
    elif name == "p":
        if not isinstance(value, int) or not 0 <= value <= MAX_SIZE:
            raise ParamError(
                f"{model}: padding p must be between 0 and {MAX_SIZE:,}, not {quoted(value)}"
            )
    elif isinstance(value, int):
        if not 1 <= value <= MAX_SIZE:
            raise ParamError(
                f"{model}: {name} must be between 1 and {MAX_SIZE:,}, not {quoted(value)}"
            )
    elif isinstance(value, float) and not (math.isfinite(value) and abs(value) <= MAX_REAL):
        raise ParamError(
            f"{model}: {name} must be between {-MAX_REAL:g} and {MAX_REAL:g}, not {quoted(value)}"
        )


def _check_declared(model: str, info: ParamInfo, value: Value) -> None:
    """The limits the catalog declares for ``info``."""
    if isinstance(value, str):
        if info.choices:
            _named(model, info, value)
        return
    if info.choices:
        if value not in info.choices:
            allowed = ", ".join(str(c) for c in info.choices)
            raise ParamError(f"{model}: {info.name} must be one of {allowed}, not {quoted(value)}")
        return
    low = 1 if info.low is None else info.low
    high = MAX_SIZE if info.high is None else info.high
    if not isinstance(value, int) or not low <= value <= high:
        raise ParamError(
            f"{model}: {info.name} must be between {low:,} and {high:,}, not {quoted(value)}"
        )


def _check_model(model: str, p: Mapping[str, Value]) -> None:
    """The cross-parameter rules: a module PyTorch would refuse to build or run."""
    if model == "conv_output":
        n, f, pad, d = (int(p[k]) for k in ("n", "f", "p", "d"))
        span = d * (f - 1) + 1
        if n + 2 * pad < span:
            raise ParamError(
                f"conv_output: the kernel (f={f}, d={d}, spanning {span}) is larger than "
                f"the padded input (n + 2p = {n + 2 * pad}); the output would be empty"
            )
    elif model == "conv_params":
        c_in, c_out, f = (int(p[k]) for k in ("c_in", "c_out", "f"))
        if c_out * c_in * f * f + c_out > MAX_COUNT:
            raise ParamError(
                "conv_params: the kernel would have more elements than torch can count"
            )
    elif model in ("mha_params", "encoder_layer_params"):
        d, heads = int(p["d"]), int(p["heads"])
        if d % heads:
            raise ParamError(f"{model}: heads={heads} must divide d={d}")
    elif model in _LLM_CHECKS:
        _LLM_CHECKS[model](p)
    elif model == "textcnn_features":
        sizes = parse_sizes(str(p["sizes"]))
        if int(p["seq_len"]) < max(sizes):
            raise ParamError(
                f"textcnn_features: seq_len={p['seq_len']} is shorter than the largest "
                f"filter size {max(sizes)}"
            )


# --- transformer and layer arithmetic ------------------------------------------------------


def _heads_divide(model: str, p: Mapping[str, Value]) -> None:
    d, heads, kv = int(p["d"]), int(p["heads"]), int(p.get("kv_heads", 0))
    if d % heads:
        raise ParamError(f"{model}: heads={heads} must divide d={d}")
    if kv and heads % kv:
        raise ParamError(
            f"{model}: kv_heads={kv} must divide heads={heads} (each key/value head serves "
            "a whole group of query heads)"
        )


def _countable(model: str, count: int) -> None:
    if count > MAX_COUNT:
        raise ParamError(f"{model}: the answer would be larger than torch can count")


def _attention_term(model: str, p: Mapping[str, Value]) -> None:
    given = [int(p[k]) > 0 for k in ("layers", "ctx", "d")]
    if any(given) and not all(given):
        raise ParamError(
            f"{model}: give layers, ctx and d together for the attention term "
            "(or none of them for 2N / 6N alone)"
        )


def _check_lora(p: Mapping[str, Value]) -> None:
    _heads_divide("lora_params", p)
    mlp = {"gate", "up", "down"} & set(str(p["targets"]).split(","))
    if mlp and not int(p["ff"]):
        raise ParamError(f"lora_params: targets {', '.join(sorted(mlp))} need the FFN width ff")


def _check_pool(p: Mapping[str, Value]) -> None:
    n, f, pad = int(p["n"]), int(p["f"]), int(p["p"])
    if 2 * pad > f:
        raise ParamError(f"pool_output: padding p={pad} must be at most half the kernel f={f}")
    if n + 2 * pad < f:
        raise ParamError(
            f"pool_output: the kernel f={f} is larger than the padded input "
            f"(n + 2p = {n + 2 * pad}); the output would be empty"
        )


def _receptive_field(p: Mapping[str, Value]) -> int:
    layers, f, s, d = (int(p[k]) for k in ("layers", "f", "s", "d"))
    if s == 1:
        return 1 + layers * (f - 1) * d
    # 1 + (f-1)·d·(1 + s + … + s^(L-1)); capped before the geometric sum grows huge
    if layers * (s.bit_length() - 1) > 64:
        return MAX_COUNT + 1
    widening: int = (s**layers - 1) // (s - 1)
    return 1 + (f - 1) * d * widening


_LLM_CHECKS: dict[str, Callable[[Mapping[str, Value]], None]] = {
    "decoder_params": lambda p: _heads_divide("decoder_params", p),
    "encoder_params": lambda p: _heads_divide("encoder_params", p),
    "lora_params": _check_lora,
    "kv_cache_bytes": lambda p: _countable(
        "kv_cache_bytes",
        2
        * math.prod(int(p[k]) for k in ("batch", "seq", "layers", "kv_heads", "head_dim"))
        * int(p["dtype_bytes"]),
    ),
    "attention_scores_bytes": lambda p: _countable(
        "attention_scores_bytes",
        int(p["batch"]) * int(p["heads"]) * int(p["seq"]) ** 2 * int(p["dtype_bytes"]),
    ),
    "flops_per_token": lambda p: _attention_term("flops_per_token", p),
    "train_flops": lambda p: _attention_term("train_flops", p),
    "pool_output": _check_pool,
    "receptive_field": lambda p: _countable("receptive_field", _receptive_field(p)),
}


def resolve_params(model: str, params: Mapping[str, object]) -> Params:
    """A complete parameter set for ``model``, in catalog order.

    Fills defaults, coerces each value to its catalog kind (strings are parsed, so
    ``quizapp calc`` can pass its ``k=v`` text straight in), normalizes ``sizes`` to
    ``"2,3,4"``, and raises :class:`ParamError` for an unknown model or parameter, a
    missing required one, or a combination PyTorch would refuse (heads not dividing d,
    a kernel larger than the padded input, a sentence shorter than a filter, ...).
    """
    info = model_info(model)
    unknown = [name for name in params if info.param(name) is None]
    if unknown:
        raise ParamError(
            f"{model} has no parameter {quoted(unknown[0])}; its parameters are "
            f"{', '.join(info.param_names)}"
        )
    resolved: Params = {}
    for spec in info.params:
        if spec.name in params:
            resolved[spec.name] = _coerce(model, spec, params[spec.name])
        elif spec.default is not None:
            resolved[spec.name] = spec.default
        else:
            what = f" ({spec.help})" if spec.help else ""
            raise ParamError(f"{model} needs {spec.name}{what}")
    if model == "textcnn_features":
        resolved["sizes"] = ",".join(str(s) for s in parse_sizes(str(resolved["sizes"])))
    for name, value in resolved.items():
        check_value(model, name, value)
    _check_model(model, resolved)
    return resolved


def check_spec(info: ModelInfo, name: str, spec: ParamSpec) -> None:
    """Refuse a parameter spec of a quiz block (``("fixed", v)``, ``("range", lo, hi)``,
    ``("choices", …)``) naming any value the model does not accept: a range must lie
    inside the parameter's limits, every choice must be usable."""
    param = info.param(name)
    if param is None:
        raise ParamError(
            f"{info.name} has no parameter {quoted(name)}; its parameters are "
            f"{', '.join(info.param_names)}"
        )
    kind, *values = spec if spec else ("",)
    if kind == "range" and len(values) == 2:
        if param.kind == "str":
            raise ParamError(f"{name} is text; give a value or a list of choices, not a range")
        for end, bound in zip(("ceil", "floor"), values, strict=True):
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                raise ParamError(f"{name}: range bounds must be numbers, not {quoted(bound)}")
            try:
                if isinstance(bound, float) and not math.isfinite(bound):
                    raise ParamError(f"{name} must be a finite number, not {quoted(bound)}")
                if param.kind == "int":
                    # the whole numbers a range of an int parameter can draw
                    value: Value = math.ceil(bound) if end == "ceil" else math.floor(bound)
                else:
                    value = _coerce(info.name, param, bound)
                check_value(info.name, name, value)
            except ParamError as exc:
                inner = str(exc).removeprefix(f"{info.name}: ")
                raise ParamError(
                    f"range {quoted(list(values))} of {name} goes outside the limits: {inner}"
                ) from None
        return
    if (kind == "fixed" and len(values) == 1) or (kind == "choices" and values):
        for given in values:
            check_value(info.name, name, _coerce(info.name, param, given))
        return
    raise ParamError(f"{name}: unreadable parameter spec {quoted(spec)}")


#: Draws tried before giving up on ranges that rarely make sense together.
MAX_TRIES = 200


def _draw_range(info: ParamInfo, lo: float, hi: float, rng: random.Random) -> object:
    """One value of ``("range", lo, hi)``, both ends included.

    The catalog kind decides what is drawn: a whole-number parameter gets an integer
    (``[8.5, 512]`` draws from 9..512), a real parameter (an LSTM weight or state) gets
    a real rounded to 2 decimals, even from ``[-1, 1]``, so a question about one LSTM
    step never collapses to the three values -1, 0 and 1.
    """
    low, high = float(lo), float(hi)
    if low > high:
        raise ParamError(f"{info.name}: range [{lo}, {hi}] is empty (low > high)")
    if info.kind == "int":
        first, last = math.ceil(low), math.floor(high)
        if first > last:
            raise ParamError(f"{info.name}: range [{lo}, {hi}] holds no whole number")
        return rng.randint(first, last)
    # whole hundredths inside the range, so rounding never steps outside it (the inner
    # round() keeps 1.1 * 100 = 110.00000000000001 from excluding 1.10 itself)
    first, last = math.ceil(round(low * 100, 6)), math.floor(round(high * 100, 6))
    if first > last:
        return rng.uniform(low, high)
    return rng.randint(first, last) / 100


def _draw_one(info: ParamInfo, spec: ParamSpec, rng: random.Random) -> object:
    kind, *values = spec
    if kind == "fixed":
        return values[0]
    if kind == "range":
        return _draw_range(info, float(values[0]), float(values[1]), rng)  # type: ignore[arg-type]
    return rng.choice(values)


def _prepared(quiz: QuizSpec) -> tuple[ModelInfo, bool]:
    """The model of ``quiz`` once every spec passed :func:`check_spec`, and whether any
    parameter is drawn at random."""
    info = model_info(quiz.model)
    for name, spec in quiz.params.items():
        check_spec(info, name, spec)
    return info, any(spec[0] != "fixed" for spec in quiz.params.values())


def _draw_once(info: ModelInfo, quiz: QuizSpec, rng: random.Random) -> Params:
    drawn = {
        p.name: _draw_one(p, quiz.params[p.name], rng) for p in info.params if p.name in quiz.params
    }
    return resolve_params(quiz.model, drawn)


def draw(quiz: QuizSpec, rng: random.Random) -> Params:
    """Draw every parameter of ``quiz`` and fill the rest from the catalog's defaults.

    Every spec is checked first (:func:`check_spec`), so no value past a model's limits
    ever reaches the arithmetic. Parameters are drawn in catalog order, so a seeded
    ``rng`` gives the same question every time. A draw PyTorch would refuse or that
    makes no sense (a convolution with an empty output, heads that do not divide d, a
    sentence shorter than a filter) is drawn again, up to :data:`MAX_TRIES` times; then
    :class:`ParamError` says why.
    """
    info, drawn_at_random = _prepared(quiz)
    problem = ""
    for _ in range(MAX_TRIES if drawn_at_random else 1):
        try:
            return _draw_once(info, quiz, rng)
        except ParamError as exc:
            problem = str(exc)
    if not drawn_at_random:
        raise ParamError(problem)
    raise ParamError(
        f"{quiz.model}: no sensible parameters in {MAX_TRIES} draws; the last one failed "
        f"with: {problem}. Widen or adjust the ranges."
    )


#: usable draws out of :data:`MAX_TRIES` below which a review may fail to draw a
#: block: with 10 in 200 usable, a review's 200 tries all fail about once in 28,000
#: reviews; with 2 in 200, once in 7
RELIABLE = 10


@dataclass(frozen=True)
class DrawOdds:
    """How a quiz block draws: usable sets among the draws tried, and why the others
    failed (the last failure's message)."""

    usable: int
    tried: int
    problem: str

    @property
    def unreliable(self) -> bool:
        """Whether a review, drawing up to :data:`MAX_TRIES` times, may find nothing."""
        return self.usable < min(RELIABLE, self.tried)


#: a block whose first draws are all usable is taken as reliable without drawing more
#: (were fewer than 1 in 20 draws usable, this would happen less than once in 8,000)
CLEAN_START = 3


def draw_odds(quiz: QuizSpec) -> DrawOdds:
    """Draw ``quiz`` as reviews will (seeded, so the answer is the same every time),
    until :data:`RELIABLE` draws were usable (or the first :data:`CLEAN_START` all
    were) or :data:`MAX_TRIES` were tried.

    Raises :class:`ParamError` for a spec outside the model's limits.
    """
    info, drawn_at_random = _prepared(quiz)
    rng = random.Random(0)
    usable = tried = 0
    problem = ""
    while tried < (MAX_TRIES if drawn_at_random else 1) and usable < RELIABLE:
        tried += 1
        try:
            _draw_once(info, quiz, rng)
            usable += 1
        except ParamError as exc:
            problem = str(exc)
        if usable == tried == CLEAN_START:
            break
    return DrawOdds(usable, tried, problem)
