"""Numbers with units: reading ``7.24B``, ``1.5k``, ``2 GiB``, ``512 MiB``, and writing
``7,241,732,096 (7.24B)``.

The one place that knows the unit suffixes. A deck's parameter values
(``params: 7B``), ``quizapp calc``'s ``k=v`` values and typed answers are read with
them, and answers are shown with them. Counts use decimal suffixes (``k`` thousand,
``M`` million, ``B`` or ``G`` billion, ``T`` trillion); bytes are decimal with ``KB``,
``MB``, ``GB``, ``TB`` and binary with ``KiB``, ``MiB``, ``GiB``, ``TiB``, as
the IEC names say (``2 GiB`` = 2,147,483,648, ``2 GB`` = 2,000,000,000).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Literal

#: What a model's answer counts; decides how it is shown.
Unit = Literal["", "params", "bytes", "FLOPs"]

#: Every suffix a number may carry, and its factor.
FACTORS: dict[str, int] = {
    "k": 10**3,
    "K": 10**3,
    "M": 10**6,
    "B": 10**9,
    "G": 10**9,
    "T": 10**12,
    "KB": 10**3,
    "kB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KiB": 2**10,
    "MiB": 2**20,
    "GiB": 2**30,
    "TiB": 2**40,
}

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
# longest suffixes first, so "GiB" is not read as "G" followed by "iB"
_SUFFIX = "|".join(sorted(FACTORS, key=len, reverse=True))
#: a number followed by a unit suffix, inside a longer text (an answer's expression)
_WITH_UNIT = re.compile(rf"(?<![\w.])({_NUMBER})\s*({_SUFFIX})(?![\w])")
_QUANTITY = re.compile(rf"\s*({_NUMBER})\s*({_SUFFIX})?\s*")


def expand_units(text: str) -> str:
    """``text`` with every ``<number><suffix>`` written as a product:
    ``7.24B`` → ``(7.24*1000000000)``, ``2 GiB`` → ``(2*1073741824)``.

    The result is plain arithmetic for the answer reader; a number without a suffix,
    and anything that is not a number, is left as it is.
    """
    return _WITH_UNIT.sub(lambda m: f"({m.group(1)}*{FACTORS[m.group(2)]})", text)


def parse_quantity(text: str) -> Fraction | None:
    """The exact value of one number with an optional suffix (``7B``, ``1.5k``,
    ``6.7e9``, ``512 MiB``), or None when ``text`` is not one."""
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    number, suffix = match.groups()
    return Fraction(number) * FACTORS.get(suffix or "", 1)


_DECIMAL = ((10**12, "T"), (10**9, "B"), (10**6, "M"), (10**3, "k"))
_BINARY = ((2**40, "TiB"), (2**30, "GiB"), (2**20, "MiB"), (2**10, "KiB"))
_SI = ((10**15, "P"), (10**12, "T"), (10**9, "G"), (10**6, "M"), (10**3, "k"))


def _three_digits(value: float) -> str:
    """``7.2417`` → ``7.24``, ``124.4`` → ``124``, ``2.0`` → ``2``."""
    return f"{value:.3g}" if value < 1000 else f"{value:.0f}"


def human(value: float, unit: Unit) -> str:
    """``value`` in the unit a person says it in, to three significant digits:
    ``7.24B`` parameters, ``2 GiB``, ``14.5 GFLOPs``; ``""`` when the plain number is
    already that (below ten thousand, or a model without a unit)."""
    size = abs(value)
    if not unit or size < 10_000:
        return ""
    if unit == "bytes":
        for factor, name in _BINARY:
            if size >= factor:
                return f"{_three_digits(value / factor)} {name}"
    if unit == "FLOPs":
        if size >= 10**18:
            return f"{value:.3g}".replace("e+", "e")
        for factor, name in _SI:
            if size >= factor:
                return f"{_three_digits(value / factor)} {name}FLOPs"
    for factor, name in _DECIMAL:
        if size >= factor:
            return f"{_three_digits(value / factor)}{name}"
    return ""


def spoken(value: int) -> str:
    """A drawn size as a question says it: ``7B``, ``1.4T``, ``125M`` for a round
    million or more, else the plain number (``131072``, ``4096``)."""
    for factor, name in _DECIMAL[:3]:
        if value >= factor and value % (factor // 100) == 0:
            return f"{value / factor:g}{name}"
    return str(value)


def with_unit(value: int | float, unit: Unit) -> str:
    """An answer as shown: the exact value, its unit and its human form:
    ``7,241,732,096 (7.24B)``, ``2,147,483,648 bytes (2 GiB)``."""
    exact = f"{value:,}"
    if unit in ("bytes", "FLOPs"):
        exact += f" {unit}"
    short = human(value, unit)
    return f"{exact} ({short})" if short else exact
