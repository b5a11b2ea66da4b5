"""Parameters of a reference model: defaults filled in, types coerced, nonsense refused.

Every entry point of the grader (drawing, computing, ``quizapp calc``) goes through
:func:`resolve_params`, so a model function only ever sees a complete, sensible set of
values. The names, kinds and defaults come from :data:`quizapp.deckfile.catalog.CATALOG`.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping

from quizapp.deckfile.catalog import CATALOG, ModelInfo, ParamInfo

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

_FLAGS = ("bidirectional", "bias")


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
        raise ParamError(f"unknown model {model!r}{hint} (known: {', '.join(CATALOG)})")
    return info


def parse_sizes(text: str) -> tuple[int, ...]:
    """Filter sizes of a TextCNN from ``"2,3,4"`` (spaces allowed)."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if not parts or any(not p for p in parts):
        raise ParamError(
            f'sizes must be a comma-separated list of integers like "2,3,4", not {text!r}'
        )
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ParamError(
            f'sizes must be a comma-separated list of integers like "2,3,4", not {text!r}'
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
            try:
                return int(value.strip())
            except ValueError:
                pass
        raise ParamError(f"{where} must be a whole number, not {value!r}")
    if info.kind == "float":
        number: float
        if isinstance(value, bool):
            raise ParamError(f"{where} must be a number, not {value!r}")
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                raise ParamError(f"{where} must be a number, not {value!r}") from None
        else:
            raise ParamError(f"{where} must be a number, not {value!r}")
        if not math.isfinite(number):
            raise ParamError(f"{where} must be a finite number, not {value!r}")
        return number
    # str parameters: only TextCNN ``sizes``, which YAML may also give as a bare int
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ParamError(f"{where} must be text, not {value!r}")
    return str(value)


def _check_ranges(model: str, p: Mapping[str, Value]) -> None:
    """Refuse values that make no sense for ``model`` (raises :class:`ParamError`)."""
    for name, value in p.items():
        if name in _FLAGS:
            if value not in (0, 1):
                raise ParamError(f"{model}: {name} must be 0 or 1, not {value}")
        elif name == "layers":
            if not 1 <= int(value) <= MAX_LAYERS:
                raise ParamError(f"{model}: layers must be between 1 and {MAX_LAYERS}, not {value}")
        elif name == "p":
            if not 0 <= int(value) <= MAX_SIZE:
                raise ParamError(
                    f"{model}: padding p must be between 0 and {MAX_SIZE}, not {value}"
                )
        elif isinstance(value, int):
            if not 1 <= value <= MAX_SIZE:
                raise ParamError(f"{model}: {name} must be between 1 and {MAX_SIZE:,}, not {value}")
        elif isinstance(value, float) and abs(value) > MAX_REAL:
            raise ParamError(
                f"{model}: {name} must be between {-MAX_REAL:g} and {MAX_REAL:g}, not {value}"
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
    elif model == "textcnn_features":
        sizes = parse_sizes(str(p["sizes"]))
        if len(sizes) > MAX_FILTER_SIZES:
            raise ParamError(f"textcnn_features: at most {MAX_FILTER_SIZES} filter sizes")
        for size in sizes:
            if not 1 <= size <= MAX_SIZE:
                raise ParamError(
                    f"textcnn_features: filter size {size} must be between 1 and {MAX_SIZE:,}"
                )
        if int(p["seq_len"]) < max(sizes):
            raise ParamError(
                f"textcnn_features: seq_len={p['seq_len']} is shorter than the largest "
                f"filter size {max(sizes)}"
            )


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
            f"{model} has no parameter {unknown[0]!r}; its parameters are "
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
    _check_ranges(model, resolved)
    _check_model(model, resolved)
    return resolved
