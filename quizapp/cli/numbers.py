"""Numeric command-line values with their bounds: an impossible value is a usage error
(exit 2, a message naming the range), never a hang, a traceback or a NULL stored."""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high``."""

    def parse(value: str) -> int:
        text = value.strip().replace("_", "")
        # the length first: int() of a huge digit string is slow, then refused anyway
        if len(text) > 20:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}")
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
        if not low <= n <= high:
            raise argparse.ArgumentTypeError(f"must be from {low:,} to {high:,}, not {n:,}")
        return n

    return parse


def positive_number(high: float) -> Callable[[str], float]:
    """An argparse ``type``: a finite number more than 0 and at most ``high``."""

    def parse(value: str) -> float:
        try:
            x = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not math.isfinite(x) or not 0 < x <= high:
            raise argparse.ArgumentTypeError(f"must be more than 0 and at most {high:g}")
        return x

    return parse
