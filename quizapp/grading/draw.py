"""Drawing fresh parameters for a computational card at every review."""

from __future__ import annotations

import math
import random

from quizapp.deckfile.catalog import ParamInfo
from quizapp.deckfile.types import ParamSpec, QuizSpec
from quizapp.grading.params import ParamError, Params, model_info, resolve_params

#: Draws tried before giving up on ranges that rarely make sense together.
MAX_TRIES = 200


class DrawError(ValueError):
    """The quiz block's parameters cannot produce a sensible question."""


def _draw_range(info: ParamInfo, lo: object, hi: object, rng: random.Random) -> object:
    """One value of ``("range", lo, hi)``, both ends included.

    The catalog kind decides what is drawn: a whole-number parameter gets an integer
    (``[8.5, 512]`` draws from 9..512), a real parameter (an LSTM weight or state) gets
    a real rounded to 2 decimals, even from ``[-1, 1]``, so a question about one LSTM
    step never collapses to the three values -1, 0 and 1.
    """
    if info.kind == "str":
        raise DrawError(f"{info.name} is text; give a value or a list of choices, not a range")
    bounds: list[float] = []
    for bound in (lo, hi):
        if isinstance(bound, bool) or not isinstance(bound, int | float):
            raise DrawError(f"{info.name}: range bounds must be numbers, not {bound!r}")
        bounds.append(float(bound))
    low, high = bounds
    if low > high:
        raise DrawError(f"{info.name}: range [{lo}, {hi}] is empty (low > high)")
    if info.kind == "int":
        first, last = math.ceil(low), math.floor(high)
        if first > last:
            raise DrawError(f"{info.name}: range [{lo}, {hi}] holds no whole number")
        return rng.randint(first, last)
    # whole hundredths inside the range, so rounding never steps outside it (the inner
    # round() keeps 1.1 * 100 = 110.00000000000001 from excluding 1.10 itself)
    first, last = math.ceil(round(low * 100, 6)), math.floor(round(high * 100, 6))
    if first > last:
        return rng.uniform(low, high)
    return rng.randint(first, last) / 100


def _draw_one(info: ParamInfo, spec: ParamSpec, rng: random.Random) -> object:
    if not spec:
        raise DrawError(f"{info.name}: empty parameter spec")
    kind, *values = spec
    if kind == "fixed" and len(values) == 1:
        return values[0]
    if kind == "range" and len(values) == 2:
        return _draw_range(info, values[0], values[1], rng)
    if kind == "choices" and values:
        return rng.choice(values)
    raise DrawError(f"{info.name}: unreadable parameter spec {spec!r}")


def draw_params(quiz: QuizSpec, rng: random.Random) -> Params:
    """Draw every parameter of ``quiz`` and fill the rest from the catalog's defaults.

    Parameters are drawn in catalog order, so a seeded ``rng`` gives the same question
    every time. A draw PyTorch would refuse or that makes no sense (a convolution with
    an empty output, heads that do not divide d, a sentence shorter than a filter) is
    drawn again, up to :data:`MAX_TRIES` times; then :class:`DrawError` says why.
    """
    try:
        info = model_info(quiz.model)
    except ParamError as exc:
        raise DrawError(str(exc)) from None
    unknown = [name for name in quiz.params if info.param(name) is None]
    if unknown:
        raise DrawError(
            f"{quiz.model} has no parameter {unknown[0]!r}; its parameters "
            f"are {', '.join(info.param_names)}"
        )
    random_specs = [spec for spec in quiz.params.values() if spec and spec[0] != "fixed"]
    tries = MAX_TRIES if random_specs else 1
    problem = ""
    for _ in range(tries):
        drawn = {
            p.name: _draw_one(p, quiz.params[p.name], rng)
            for p in info.params
            if p.name in quiz.params
        }
        try:
            return resolve_params(quiz.model, drawn)
        except ParamError as exc:
            problem = str(exc)
    if not random_specs:
        raise DrawError(problem)
    raise DrawError(
        f"{quiz.model}: no sensible parameters in {MAX_TRIES} draws; the last one failed "
        f"with: {problem}. Widen or adjust the ranges."
    )
